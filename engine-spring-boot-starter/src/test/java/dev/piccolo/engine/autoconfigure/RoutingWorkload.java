package dev.piccolo.engine.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import dev.piccolo.engine.NodeContext;
import dev.piccolo.engine.test.PostgresCluster;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Calls that switch between the primary and read_replica_1 through nested {@code @UseNode} methods
 * and {@code NodeContext}, some throwing on purpose, some inside transactions that other nodes' work
 * joins, some on one connection held across calls (as an open-in-view {@code EntityManager} holds it),
 * each checked against the port of the server that answered. Runs on a fixed pool of threads, which
 * must never carry a node from one task to the next.
 */
final class RoutingWorkload {

    private final ItemService items;

    private final NodeProbe probe;

    private final NodeContext nodes;

    private final DataSource dataSource;

    private final int primary;

    private final int replica;

    private final AtomicLong calls = new AtomicLong();

    private final AtomicLong thrownOnPurpose = new AtomicLong();

    private final AtomicLong failedWhileDown = new AtomicLong();

    private final List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());

    RoutingWorkload(ConfigurableApplicationContext context, PostgresCluster cluster) {
        this.items = context.getBean(ItemService.class);
        this.probe = context.getBean(NodeProbe.class);
        this.nodes = context.getBean(NodeContext.class);
        this.dataSource = context.getBean(DataSource.class);
        this.primary = cluster.primary().port();
        this.replica = cluster.replica(1).port();
    }

    /** Runs {@code callsPerThread} calls on each thread, or until {@code duration} has passed. */
    void run(int threads, int callsPerThread, Duration duration) throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                int seed = thread;
                workers.add(pool.submit(() -> {
                    for (int call = 0; call < callsPerThread && System.nanoTime() < deadline; call++) {
                        // Every task starts on a pooled thread that must have nothing bound.
                        expect("nothing bound before call", nodes.bound().isEmpty(), true);
                        try {
                            oneCall((seed + call) % 7);
                        }
                        catch (Exception ex) {
                            if (!serverUnavailable(ex)) {
                                throw ex;
                            }
                            failedWhileDown.incrementAndGet();
                        }
                        calls.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            for (int thread = 0; thread < threads; thread++) {
                pool.submit(() -> expect("nothing bound after the workload", nodes.bound().isEmpty(), true))
                        .get();
            }
        }
        finally {
            pool.shutdownNow();
        }
    }

    private void oneCall(int kind) throws Exception {
        switch (kind) {
            case 0 -> {
                int[] ports = items.replicaThenPrimaryThenReplica();
                expect("nested replica/primary/replica", ports[0] == replica && ports[1] == primary
                        && ports[2] == replica, true);
            }
            case 1 -> expect("@UseNode primary", probe.primaryPort(), primary);
            case 2 -> expect("NodeContext replica", nodes.call("read_replica_1", probe::port), replica);
            case 3 -> {
                expect("replica after a failing primary call", items.replicaAfterFailingPrimaryCall(), replica);
                thrownOnPurpose.incrementAndGet();
            }
            case 5 -> expect("replica joining a primary transaction", items.primaryTransactionThenReplica(), primary);
            case 6 -> {
                try (Connection held = dataSource.getConnection()) {
                    int first = port(held);
                    int onReplica = nodes.call("read_replica_1", () -> port(held));
                    expect("held connection primary/replica/primary", first == primary && onReplica == replica
                            && port(held) == primary, true);
                }
            }
            default -> {
                try {
                    nodes.run("read_replica_1", () -> {
                        expect("NodeContext replica before throwing", probe.port(), replica);
                        throw new IllegalStateException("on purpose");
                    });
                }
                catch (IllegalStateException expected) {
                    thrownOnPurpose.incrementAndGet();
                }
                expect("primary after a throwing replica body", probe.port(), primary);
            }
        }
    }

    /** A failure because a server is down or going down (connection errors, admin shutdown, pool time-out). */
    private static boolean serverUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    private static int port(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT inet_server_port()")) {
            result.next();
            return result.getInt(1);
        }
    }

    private void expect(String what, Object actual, Object expected) {
        if (!expected.equals(actual)) {
            wrong.add(what + ": expected " + expected + " but was " + actual + " on " + Thread.currentThread().getName());
        }
    }

    long calls() {
        return calls.get();
    }

    long thrownOnPurpose() {
        return thrownOnPurpose.get();
    }

    long failedWhileDown() {
        return failedWhileDown.get();
    }

    List<String> wrong() {
        return wrong;
    }
}
