package dev.piccolo.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import dev.piccolo.engine.ConsistencyToken;
import dev.piccolo.engine.NodeConfig;
import dev.piccolo.engine.NodeContext;
import dev.piccolo.engine.PoolOptions;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.ReadYourWrites;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What read-your-writes costs, on and off side by side: {@code SELECT 1} on the replica in a session that
 * wrote nothing (the goal: on within 3 % of off), and a write on the primary followed by that read, where
 * on adds the primary's position after the write (in the commit's round trip for a transaction) and the
 * replica's check (and wait) before the read;
 * and the read in a session whose token no server has reached (what a forged header costs).
 * The interleaved rounds run it at 4 client threads; alone with {@code -Dbench.only=ReadYourWritesBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@State(Scope.Benchmark)
public class ReadYourWritesBenchmark {

    /** Further than any server will write for years: a position no primary has reached. */
    private static final ConsistencyToken FORGED = new ConsistencyToken(Long.MAX_VALUE >>> 1);

    @Param({ "off", "on" })
    public String readYourWrites;

    private PostgresEngine engine;

    private DataSource routing;

    private NodeContext nodes;

    @Setup
    public void open() throws SQLException {
        engine = PostgresEngine.builder(NodeConfig.builder().config(BenchmarkCluster.config(PostgresEngine.PRIMARY))
                .extensions().build())
                .extraNode("read_replica_1", NodeConfig.builder().config(BenchmarkCluster.config("read_replica_1"))
                        .build())
                .readYourWrites("on".equals(readYourWrites) ? Duration.ofMillis(50) : null)
                .build().start();
        engine.startConnectionPool(PoolOptions.builder().maxSize(BenchmarkCluster.POOL_SIZE).build());
        routing = engine.getDataSource();
        nodes = engine.nodeContext();
        execute("CREATE TABLE IF NOT EXISTS ryw_bench (id bigserial PRIMARY KEY)");
        execute("TRUNCATE ryw_bench");
    }

    @TearDown
    public void close() {
        engine.close();
    }

    @Benchmark
    public Object replicaRead() throws SQLException {
        try (NodeContext.Scope scope = nodes.bind("read_replica_1")) {
            return JdbcQuery.SELECT_ONE.runOn(routing);
        }
    }

    /**
     * A replica read whose session carries a token ahead of every server, as a forged header would: at
     * most one bounded question to the primary, then the read on the replica, clamped.
     */
    @Benchmark
    public Object forgedTokenReplicaRead() throws SQLException {
        try (ReadYourWrites.Session session = engine.readYourWrites().open(FORGED)) {
            return replicaRead();
        }
    }

    @Benchmark
    public Object writeThenReplicaRead() throws SQLException {
        execute("INSERT INTO ryw_bench DEFAULT VALUES");
        return replicaRead();
    }

    /**
     * The write in a transaction, as {@code @Transactional} runs it: on, the primary's position is read in
     * the commit's round trip.
     */
    @Benchmark
    public Object transactionalWriteThenReplicaRead() throws SQLException {
        try (Connection connection = routing.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("INSERT INTO ryw_bench DEFAULT VALUES");
            connection.commit();
        }
        return replicaRead();
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = routing.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
