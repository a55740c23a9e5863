package dev.piccolo.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.piccolo.engine.NodeContext;
import dev.piccolo.engine.PoolOptions;
import dev.piccolo.engine.PostgresEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Case 1: {@code getConnection()}, the first call that needs a server connection
 * ({@code getHoldability()}, answered by the driver without a round trip) and {@code close()}: raw
 * HikariCP against the engine's routing DataSource, whose logical connection takes its pooled
 * connection at that first call; and the same through a node group with the health probe running.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class AcquisitionBenchmark {

    private HikariDataSource rawPrimary;

    private HikariDataSource rawReplica;

    private PostgresEngine engine;

    private DataSource routing;

    private NodeContext nodes;

    private PostgresEngine grouped;

    private DataSource groupRouting;

    private NodeContext groupNodes;

    @Setup
    public void open() {
        rawPrimary = BenchmarkCluster.rawPool(PostgresEngine.PRIMARY);
        rawReplica = BenchmarkCluster.rawPool("read_replica_1");
        engine = BenchmarkCluster.engine();
        engine.startConnectionPool(PoolOptions.builder().maxSize(BenchmarkCluster.POOL_SIZE).build());
        routing = engine.getDataSource();
        nodes = engine.nodeContext();
        grouped = BenchmarkCluster.groupedEngine();
        grouped.startConnectionPool(PoolOptions.builder().maxSize(BenchmarkCluster.POOL_SIZE).build());
        groupRouting = grouped.getDataSource();
        groupNodes = grouped.nodeContext();
    }

    @TearDown
    public void close() {
        grouped.close();
        engine.close();
        rawPrimary.close();
        rawReplica.close();
    }

    @Benchmark
    public int rawHikariPrimary() throws SQLException {
        try (Connection connection = rawPrimary.getConnection()) {
            return connection.getHoldability();
        }
    }

    @Benchmark
    public int routingPrimary() throws SQLException {
        try (Connection connection = routing.getConnection()) {
            return connection.getHoldability();
        }
    }

    @Benchmark
    public int rawHikariReplica() throws SQLException {
        try (Connection connection = rawReplica.getConnection()) {
            return connection.getHoldability();
        }
    }

    @Benchmark
    public int routingGroupWithHealthProbe() throws SQLException {
        try (NodeContext.Scope scope = groupNodes.bind("replicas"); Connection connection = groupRouting.getConnection()) {
            return connection.getHoldability();
        }
    }

    @Benchmark
    public int routingReplicaBoundThroughNodeContext() throws SQLException {
        try (NodeContext.Scope scope = nodes.bind("read_replica_1"); Connection connection = routing.getConnection()) {
            return connection.getHoldability();
        }
    }
}
