package dev.piccolo.engine.autoconfigure.health;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.piccolo.engine.EngineNode;
import dev.piccolo.engine.NodeStatus;
import dev.piccolo.engine.ServerVersion;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of one node: UP when it answers a query, with its server version, whether it is in recovery,
 * the replication lag of a replica and its pool statistics; DOWN with the error otherwise.
 */
final class NodeHealthIndicator extends AbstractHealthIndicator {

    /** Lag is zero while the replica has replayed all it received, else the age of the last replayed commit. */
    private static final String QUERY = "SELECT current_setting('server_version_num')::int, pg_is_in_recovery(), "
            + "CASE WHEN NOT pg_is_in_recovery() THEN NULL "
            + "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
            + "ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END";

    private static final int QUERY_TIMEOUT_SECONDS = 5;

    private final EngineNode node;

    private final Supplier<NodeStatus> probeStatus;

    NodeHealthIndicator(EngineNode node, Supplier<NodeStatus> probeStatus) {
        super("Node '" + node.name() + "' is not available");
        this.node = node;
        this.probeStatus = probeStatus;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws SQLException {
        builder.withDetail("url", node.url()).withDetail("readOnly", node.isReadOnly());
        builder.withDetail("pool", pool());
        NodeStatus probe = probeStatus.get();
        if (probe.checkedAt() != null) {
            builder.withDetail("probe", probe);
        }
        try (Connection connection = node.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            try (ResultSet result = statement.executeQuery(QUERY)) {
                result.next();
                builder.up()
                        .withDetail("version", new ServerVersion(result.getInt(1)).toString())
                        .withDetail("inRecovery", result.getBoolean(2));
                double lag = result.getDouble(3);
                if (!result.wasNull()) {
                    builder.withDetail("replicationLagSeconds", lag);
                }
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
