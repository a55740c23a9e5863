package dev.piccolo.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

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
    public int pooledQuery() throws SQLException {
        return selectOne(pooled.getDataSource());
    }

    @Benchmark
    public int unpooledQuery() throws SQLException {
        return selectOne(unpooled.getDataSource());
    }

    @Benchmark
    public int loggingOffNodeQuery() throws SQLException {
        return selectOne(pooled.node(PostgresEngine.PRIMARY).dataSource());
    }

    @Benchmark
    public int rawHikariQuery() throws SQLException {
        return selectOne(raw);
    }

    static int selectOne(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT 1")) {
            result.next();
            return result.getInt(1);
        }
    }
}
