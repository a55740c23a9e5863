package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background health probe: on one daemon thread, every interval, each node answers a cheap query
 * over a connection of its own bounded by the probe timeout. The result marks it up or down and
 * measures a replica's lag, recorded on the node ({@link EngineNode#status()}); a change of state is
 * logged once and reported to the {@link RoutingListener}. Thread-safe.
 */
final class NodeHealthMonitor implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(NodeHealthMonitor.class);

    /** Lag is zero while a replica has replayed all it received, else the age of its last replayed commit. */
    private static final String PROBE = "SELECT pg_is_in_recovery(), "
            + "CASE WHEN NOT pg_is_in_recovery() THEN NULL "
            + "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
            + "ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END, "
            + "CASE WHEN pg_is_in_recovery() THEN pg_wal_lsn_diff(?::pg_lsn, pg_last_wal_replay_lsn()) END, "
            + "CASE WHEN NOT pg_is_in_recovery() THEN pg_current_wal_lsn()::text END";

    private final List<EngineNode> nodes;

    private final HealthProbeOptions options;

    private final RoutingListener listener;

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
        String primaryPosition = null;
        for (EngineNode node : nodes) {
            ProbeResult result = probe(node, primaryPosition);
            if (result.walPosition() != null) {
                primaryPosition = result.walPosition();
            }
            record(node, result.status());
        }
    }

    private ProbeResult probe(EngineNode node, String primaryPosition) {
        Instant now = Instant.now();
        try (Connection connection = node.openProbeConnection(options.timeout());
                PreparedStatement statement = connection.prepareStatement(PROBE)) {
            statement.setQueryTimeout((int) options.timeout().toSeconds());
            statement.setString(1, primaryPosition);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                double lagSeconds = result.getDouble(2);
                Duration lag = result.wasNull() ? null : Duration.ofMillis(Math.round(lagSeconds * 1000));
                long lagBytes = result.getLong(3);
                Long bytes = result.wasNull() ? null : lagBytes;
                return new ProbeResult(new NodeStatus(true, lag, bytes, now, null), result.getString(4));
            }
        }
        catch (SQLException | RuntimeException ex) {
            return new ProbeResult(new NodeStatus(false, null, null, now, ex.getMessage()), null);
        }
    }

    private void record(EngineNode node, NodeStatus status) {
        NodeStatus previous = node.status();
        node.status(status);
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

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private record ProbeResult(NodeStatus status, String walPosition) {
    }
}
