package dev.piccolo.engine.autoconfigure.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.piccolo.engine.EngineNode;
import dev.piccolo.engine.NodeStatus;
import dev.piccolo.engine.jdbc.ServerReading;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of one node: its URL without secrets and whether its connections are configured read-only; UP
 * when it answers a query, with its server version, whether it is in recovery,
 * a replica's replication lag in seconds and bytes (as the health probe measured them for routing) and
 * whether it streams, and its pool statistics; DOWN with the error otherwise.
 */
final class NodeHealthIndicator extends AbstractHealthIndicator {

    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

    private final EngineNode node;

    NodeHealthIndicator(EngineNode node) {
        super("Node '" + node.name() + "' is not available");
        this.node = node;
    }

    /** The node this indicator reports on. */
    EngineNode node() {
        return node;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws SQLException {
        // The node's read-only setting, named so that it is not read as the server's role (inRecovery).
        builder.withDetail("url", node.url()).withDetail("readOnlyConnections", node.isReadOnly());
        builder.withDetail("pool", pool());
        NodeStatus probe = node.status();
        if (probe.checkedAt() != null) {
            builder.withDetail("probe", probe);
        }
        try (Connection connection = node.dataSource().getConnection()) {
            ServerReading reading = ServerReading.read(connection, QUERY_TIMEOUT);
            builder.up().withDetail("version", reading.version().toString())
                    .withDetail("inRecovery", reading.inRecovery());
            // Routing's own measure when the probe runs; the standby's estimate otherwise.
            Duration lag = probe.checkedAt() != null ? probe.lag() : reading.lag();
            if (reading.inRecovery() && lag != null) {
                builder.withDetail("replicationLagSeconds", lag.toMillis() / 1000.0);
            }
            if (reading.inRecovery() && probe.lagBytes() != null) {
                builder.withDetail("replicationLagBytes", probe.lagBytes());
            }
            if (reading.streaming() != null) {
                builder.withDetail("streaming", reading.streaming());
            }
        }
    }

    private Object pool() {
        return node.poolStatistics().<Object>map(statistics -> {
            Map<String, Integer> pool = new LinkedHashMap<>();
            pool.put("active", statistics.active());
            pool.put("idle", statistics.idle());
            pool.put("waiting", statistics.waiting());
            pool.put("total", statistics.total());
            return pool;
        }).orElse("unpooled");
    }
}
