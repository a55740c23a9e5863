package dev.piccolo.benchmarks;

import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
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
 * Cases 4 and 5: the cost of one {@code SELECT 1} on the primary pooled against unpooled (before the
 * pool starts), and through a node whose query logging is off against a raw pool with no proxy.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class PoolingBenchmark {

    private PostgresEngine pooled;

    private PostgresEngine unpooled;

    private HikariDataSource raw;

    @Setup
    public void open() {
        pooled = BenchmarkCluster.engine();
        pooled.startConnectionPool(PoolOptions.builder().maxSize(BenchmarkCluster.POOL_SIZE).build());
        unpooled = BenchmarkCluster.engine();
        raw = BenchmarkCluster.rawPool(PostgresEngine.PRIMARY);
    }

    @TearDown
    public void close() {
        pooled.close();
        unpooled.close();
        raw.close();
    }

    @Benchmark
    public Object pooledQuery() throws SQLException {
        return JdbcQuery.SELECT_ONE.runOn(pooled.getDataSource());
    }

    @Benchmark
    public Object unpooledQuery() throws SQLException {
        return JdbcQuery.SELECT_ONE.runOn(unpooled.getDataSource());
    }

    @Benchmark
    public Object loggingOffNodeQuery() throws SQLException {
        return JdbcQuery.SELECT_ONE.runOn(pooled.node(PostgresEngine.PRIMARY).dataSource());
    }

    @Benchmark
    public Object rawHikariQuery() throws SQLException {
        return JdbcQuery.SELECT_ONE.runOn(raw);
    }
}
