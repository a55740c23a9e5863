package dev.piccolo.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import dev.piccolo.engine.PoolOptions;
import dev.piccolo.engine.PostgresEngine;

/**
 * What each extra node costs once its pool is open with the defaults: heap retained by the engine and
 * connections held on the servers, for 0, 1, 4 and 16 extra nodes (all on the replica). Run in a JVM of its
 * own ({@link ChildJvm}) so that nothing else lives on its heap; reports
 * {@code footprint <extra nodes> <heap bytes> <primary connections> <replica connections>}.
 */
public final class NodeFootprint {

    static final List<Integer> EXTRA_NODES = List.of(0, 1, 4, 16);

    private static final Duration POOL_FILL_TIMEOUT = Duration.ofSeconds(30);

    private NodeFootprint() {
    }

    /**
     * Measures each count in turn.
     *
     * @param args none
     * @throws Exception when a pool does not fill or a server does not answer
     */
    public static void main(String[] args) throws Exception {
        // Untimed first: what the first engine of a JVM initialises once (driver, pool and engine classes' state).
        measure(1, "bench-footprint-warm-up");
        for (int extraNodes : EXTRA_NODES) {
            Footprint footprint = measure(extraNodes, "bench-footprint-" + extraNodes);
            ChildJvm.report("footprint " + extraNodes + " " + footprint.heapBytes() + " " + footprint.primaryConnections()
                    + " " + footprint.replicaConnections());
        }
    }

    /** Each engine has an application name of its own, so that one still closing is not counted. */
    private static Footprint measure(int extraNodes, String applicationName) throws Exception {
        long before = heapAfterCollection();
        try (PostgresEngine engine = BenchmarkCluster.withExtraNodes(extraNodes, applicationName).build().start()) {
            engine.startConnectionPool(PoolOptions.defaults());
            int primary = awaitConnections(PostgresEngine.PRIMARY, applicationName, PoolOptions.DEFAULT_MAX_SIZE);
            int replica = awaitConnections("read_replica_1", applicationName, PoolOptions.DEFAULT_MAX_SIZE * extraNodes);
            return new Footprint(extraNodes, heapAfterCollection() - before, primary, replica);
        }
    }

    /**
     * Runs the measurement in a JVM of its own.
     *
     * @param jvmArguments the cluster's coordinates
     * @return one footprint per count of extra nodes
     */
    static List<Footprint> measure(List<String> jvmArguments) throws IOException, InterruptedException {
        return ChildJvm.run(jvmArguments, NodeFootprint.class, List.of(), Duration.ofMinutes(3)).stream()
                .map(report -> report.text().split(" "))
                .map(words -> new Footprint(Integer.parseInt(words[1]), Long.parseLong(words[2]),
                        Integer.parseInt(words[3]), Integer.parseInt(words[4])))
                .toList();
    }

    private static long heapAfterCollection() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Pools fill in the background: waits until the server holds the expected connections of this engine. */
    private static int awaitConnections(String node, String applicationName, int expected) throws SQLException,
            InterruptedException {
        long deadline = System.nanoTime() + POOL_FILL_TIMEOUT.toNanos();
        int seen = connections(node, applicationName);
        while (seen < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
            seen = connections(node, applicationName);
        }
        return seen;
    }

    private static int connections(String node, String applicationName) throws SQLException {
        try (Connection connection = BenchmarkCluster.connect(node); PreparedStatement count = connection.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            count.setString(1, applicationName);
            try (ResultSet result = count.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }
    }

    /**
     * What an engine with some extra nodes holds once its pools are full.
     *
     * @param extraNodes extra nodes besides the primary
     * @param heapBytes heap retained after a full collection, compared with before the engine was built
     * @param primaryConnections connections the primary holds for it
     * @param replicaConnections connections the replica holds for it (every extra node is on the replica)
     */
    record Footprint(int extraNodes, long heapBytes, int primaryConnections, int replicaConnections) {
    }
}
