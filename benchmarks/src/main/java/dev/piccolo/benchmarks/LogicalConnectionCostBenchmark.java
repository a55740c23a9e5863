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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Case 9: what the logical connection costs, one thread, on the primary: (a) a primary-key lookup on a
 * connection already held, logical against a raw HikariCP connection (the statement proxy and the start
 * of a unit of work at each execution); (b) a unit of work, {@code getConnection()}, {@code SELECT 1} and
 * {@code close()}, routed against raw; (c) a {@code SELECT 1} on a held logical connection whose node
 * changes at every statement (primary, replica, primary, ...), so each one swaps its server session: to
 * set against (b), which takes a session for every statement too. A swap includes the engine's check of
 * the session it leaves (one query of its own, see {@code SessionStateCheck}). Every figure includes the
 * server's round trip; the differences are the engine's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
// A held connection is not for concurrent use: each thread holds its own.
@State(Scope.Thread)
public class LogicalConnectionCostBenchmark {

    private PostgresEngine engine;

    private DataSource routing;

    private NodeContext nodes;

    private HikariDataSource raw;

    private Connection heldLogical;

    private Connection heldRaw;

    @Setup
    public void open() throws SQLException {
        engine = BenchmarkCluster.engine();
        engine.startConnectionPool(PoolOptions.builder().maxSize(BenchmarkCluster.POOL_SIZE).build());
        routing = engine.getDataSource();
        nodes = engine.nodeContext();
        raw = BenchmarkCluster.rawPool(PostgresEngine.PRIMARY);
        heldLogical = routing.getConnection();
        heldRaw = raw.getConnection();
    }

    @TearDown
    public void close() throws SQLException {
        heldLogical.close();
        heldRaw.close();
        engine.close();
        raw.close();
    }

    @Benchmark
    public Object rawHeldStatement() throws SQLException {
        return JdbcQuery.PRIMARY_KEY_LOOKUP.runOn(heldRaw);
    }

    @Benchmark
    public Object routedHeldStatement() throws SQLException {
        return JdbcQuery.PRIMARY_KEY_LOOKUP.runOn(heldLogical);
    }

    @Benchmark
    public Object rawUnitOfWork() throws SQLException {
        return JdbcQuery.SELECT_ONE.runOn(raw);
    }

    @Benchmark
    public Object routedUnitOfWork() throws SQLException {
        return JdbcQuery.SELECT_ONE.runOn(routing);
    }

    /** Two statements, each on the other node than the one before it, so that both swap. */
    @Benchmark
    @OperationsPerInvocation(2)
    public void routedSwap(Blackhole blackhole) throws SQLException {
        blackhole.consume(JdbcQuery.SELECT_ONE.runOn(heldLogical));
        try (NodeContext.Scope scope = nodes.bind("read_replica_1")) {
            blackhole.consume(JdbcQuery.SELECT_ONE.runOn(heldLogical));
        }
    }
}
