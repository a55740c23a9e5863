package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background health probe: on one daemon thread, every interval, each node answers a cheap query
 * over a connection of its own bounded by the probe timeout. The result marks it up or down and
 * measures a replica's lag against the primary's WAL positions ({@link PrimaryWalHistory}), recorded on
 * the node ({@link EngineNode#status()}); a change of state is logged once and reported to the
 * {@link RoutingListener}. Thread-safe.
 */
final class NodeHealthMonitor implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(NodeHealthMonitor.class);

    private final List<EngineNode> nodes;

    private final HealthProbeOptions options;

    private final RoutingListener listener;

    private final PrimaryWalHistory primaryHistory = new PrimaryWalHistory();

    /** Per node, what the probe last saw: whether its server was in recovery, and which server it reached. */
    private final Map<EngineNode, ServerReading> lastReadings = new HashMap<>();

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "piccolo-health-probe");
        thread.setDaemon(true);
        return thread;
    });

    NodeHealthMonitor(List<EngineNode> nodes, HealthProbeOptions options, RoutingListener listener) {
        this.nodes = nodes;
        this.options = options;
        this.listener = listener;
    }

    /** Probes every node once now, then every interval in the background. */
    void start() {
        probeAll();
        scheduler.scheduleWithFixedDelay(this::probeAll, options.interval().toMillis(), options.interval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void probeAll() {
        List<Probe> probes = nodes.stream().map(this::probe).toList();
        Long primaryPosition = null;
        for (Probe probe : probes) {
            if (probe.reading() != null && probe.reading().walPosition() != null) {
                primaryPosition = probe.reading().walPosition();
                primaryHistory.record(probe.at(), primaryPosition);
            }
        }
        for (Probe probe : probes) {
            record(probe.node(), status(probe, primaryPosition));
        }
    }

    private Probe probe(EngineNode node) {
        Instant now = Instant.now();
        try (Connection connection = node.openProbeConnection(options.timeout())) {
            return new Probe(node, now, ServerReading.read(connection, options.timeout()), null);
        }
        catch (SQLException | RuntimeException ex) {
            return new Probe(node, now, null, ex.getMessage());
        }
    }

    private NodeStatus status(Probe probe, Long primaryPosition) {
        ServerReading reading = probe.reading();
        if (reading == null) {
            return new NodeStatus(false, null, null, null, probe.at(), probe.error());
        }
        followRole(probe.node(), reading);
        probe.node().inRecovery(reading.inRecovery());
        if (reading.replayPosition() != null) {
            probe.node().replayed(reading.replayPosition());
        }
        Duration lag = reading.inRecovery()
                ? primaryHistory.lagOf(reading.replayPosition(), reading.lag(), probe.at()) : null;
        return new NodeStatus(true, lag, reading.bytesBehind(primaryPosition), reading.streaming(), probe.at(), null);
    }

    private void record(EngineNode node, NodeStatus status) {
        NodeStatus previous = node.status();
        node.status(status);
        logStreamingChange(node, previous, status);
        if (previous.up() == status.up() && previous.checkedAt() != null) {
            return;
        }
        if (previous.checkedAt() == null && status.up()) {
            return;
        }
        if (status.up()) {
            logger.info("Node '{}' is up", node.name());
        }
        else {
            logger.warn("Node '{}' is down: {}", node.name(), status.error());
        }
        listener.onStatusChange(node.name(), status);
    }

    /**
     * Follows a failover the engine does not perform: a server that enters or leaves recovery is said once,
     * and a node whose pooled connections may be on the wrong server (its config lists several hosts, and
     * its server went into recovery or it now reaches another one) gets them renewed.
     */
    private void followRole(EngineNode node, ServerReading reading) {
        ServerReading last = lastReadings.put(node, reading);
        if (last == null) {
            return;
        }
        boolean demoted = !last.inRecovery() && reading.inRecovery();
        if (demoted) {
            logger.warn("Node '{}' is read-only now: its server is in recovery (a standby, after a failover or a "
                    + "demotion); work on it that is not read-only fails until it is writable again", node.name());
        }
        else if (last.inRecovery() && !reading.inRecovery()) {
            logger.info("Node '{}' is writable now: its server left recovery (promoted)", node.name());
        }
        boolean moved = last.server() != null && reading.server() != null && !last.server().equals(reading.server());
        if (node.listsSeveralHosts() && (demoted || moved)) {
            logger.warn("Node '{}' reaches {} now (was {}); its pooled connections are replaced so that new work "
                    + "reaches the server its config picks", node.name(), reading.server(), last.server());
            node.renewPooledConnections();
        }
    }

    /** A replica that stops or resumes streaming is said once, not at every probe. */
    private static void logStreamingChange(EngineNode node, NodeStatus previous, NodeStatus status) {
        if (status.streaming() == null || status.streaming().equals(previous.streaming())) {
            return;
        }
        if (!status.streaming()) {
            logger.warn("Node '{}' is not streaming WAL from its primary: it serves ever older rows, and a lag limit "
                    + "excludes it until it streams again", node.name());
        }
        else if (Boolean.FALSE.equals(previous.streaming())) {
            logger.info("Node '{}' is streaming WAL again", node.name());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private record Probe(EngineNode node, Instant at, @Nullable ServerReading reading, @Nullable String error) {
    }
}
