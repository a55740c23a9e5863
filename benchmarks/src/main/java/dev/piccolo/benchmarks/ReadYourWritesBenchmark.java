package dev.piccolo.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import dev.piccolo.engine.NodeConfig;
import dev.piccolo.engine.NodeContext;
import dev.piccolo.engine.PoolOptions;
import dev.piccolo.engine.PostgresEngine;
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
 * on adds the primary's position after the write and the replica's check (and wait) before the read.
 * The interleaved rounds run it at 4 client threads; alone with {@code -Dbench.only=ReadYourWritesBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@State(Scope.Benchmark)
public class ReadYourWritesBenchmark {

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

    @Benchmark
    public Object writeThenReplicaRead() throws SQLException {
        execute("INSERT INTO ryw_bench DEFAULT VALUES");
        return replicaRead();
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = routing.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
