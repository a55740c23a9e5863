package dev.piccolo.benchmarks;

import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
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
 * Case 7: a short query on the replica from 1, 4 and 16 client threads (the runner sets the thread
 * count), routed through {@code NodeContext} against a raw pool: {@code SELECT 1} and a primary-key lookup
 * ({@link JdbcQuery}), each in a unit of work of its own.
 */
@BenchmarkMode(Mode.Throughput)
@State(Scope.Benchmark)
public class ThroughputBenchmark {

    @Param({ "SELECT_ONE", "PRIMARY_KEY_LOOKUP" })
    public JdbcQuery query;

    private PostgresEngine engine;

    private DataSource routing;

    private NodeContext nodes;

    private HikariDataSource raw;

    @Setup
    public void open() {
        engine = BenchmarkCluster.engine();
        engine.startConnectionPool(PoolOptions.builder().maxSize(BenchmarkCluster.POOL_SIZE).build());
        routing = engine.getDataSource();
        nodes = engine.nodeContext();
        raw = BenchmarkCluster.rawPool("read_replica_1");
    }

    @TearDown
    public void close() {
        engine.close();
        raw.close();
    }

    @Benchmark
    public Object routedReplica() throws SQLException {
        try (NodeContext.Scope scope = nodes.bind("read_replica_1")) {
            return query.runOn(routing);
        }
    }

    @Benchmark
    public Object rawHikariReplica() throws SQLException {
        return query.runOn(raw);
    }
}
