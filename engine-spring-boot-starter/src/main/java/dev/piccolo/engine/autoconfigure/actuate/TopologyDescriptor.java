package dev.piccolo.engine.autoconfigure.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.piccolo.engine.EngineNode;
import dev.piccolo.engine.NodeGroup;
import dev.piccolo.engine.NodeStatus;
import dev.piccolo.engine.PoolStatistics;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.RouteView;
import dev.piccolo.engine.RoutingDecision;
import dev.piccolo.engine.UnknownNodeException;
import dev.piccolo.engine.jdbc.ServerReading;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * What {@code GET /actuator/piccolo} shows: every node and group as routing sees it now, and the latest
 * routing decisions. Built from the engine's public views; no connection setting but the masked URL, so no
 * secret, is shown.
 *
 * @param nodes each node by name, the main node first
 * @param groups each group by name
 * @param decisions the latest routing decisions kept, the latest first
 * @since 0.3
 */
public record TopologyDescriptor(Map<String, NodeDescriptor> nodes, Map<String, GroupDescriptor> groups,
        List<RoutingDecision> decisions) implements OperationResponseBody {

    static TopologyDescriptor of(PostgresEngine engine) {
        Map<String, NodeDescriptor> nodes = new LinkedHashMap<>();
        for (EngineNode node : engine.nodes()) {
            try {
                nodes.put(node.name(), NodeDescriptor.of(engine, node));
            }
            catch (UnknownNodeException ex) {
                // Removed since the list was read: it is no longer there to show.
            }
        }
        Map<String, GroupDescriptor> groups = new LinkedHashMap<>();
        engine.groups().forEach((name, group) -> groups.put(name, GroupDescriptor.of(engine.routeView(name), group)));
        return new TopologyDescriptor(nodes, groups, engine.latestDecisions());
    }

    /**
     * One node.
     *
     * @param url the JDBC URL, password masked
     * @param main whether it is the main node
     * @param readOnlyConnections whether its connections are configured read-only
     * @param inRotation whether routing may pick it (an operator takes it out and puts it back)
     * @param usable whether a unit of work asking for it by name would run on it now
     * @param unusableBecause why not, when it is not: down, lagging, not streaming, out of rotation
     * @param fallback the node that takes its work while it is not usable, {@code null} when the work fails
     * @param status what the health probe last saw
     * @param servers what the probe last read of each of its servers
     * @param pool the pool's connections, {@code null} while unpooled
     */
    public record NodeDescriptor(String url, boolean main, boolean readOnlyConnections, boolean inRotation,
            boolean usable, List<String> unusableBecause, @Nullable String fallback, StatusDescriptor status,
            List<ServerDescriptor> servers, @Nullable PoolStatistics pool) {

        static NodeDescriptor of(PostgresEngine engine, EngineNode node) {
            RouteView route = engine.routeView(node.name());
            return new NodeDescriptor(node.url(), PostgresEngine.PRIMARY.equals(node.name()), node.isReadOnly(),
                    node.inRotation(), !route.candidates().isEmpty(), route.excluded(), route.fallback(),
                    StatusDescriptor.of(node.status()), node.servers().stream().map(ServerDescriptor::of).toList(),
                    node.poolStatistics().orElse(null));
        }
    }

    /**
     * What the health probe last saw of a node.
     *
     * @param up whether a server that may serve it answered
     * @param lagSeconds a replica's replay lag, {@code null} for a primary or when not known
     * @param lagBytes the WAL a replica has left to replay, {@code null} when not known
     * @param streaming whether a replica streams WAL, {@code null} for a primary or when not known
     * @param checkedAt when, {@code null} before the first probe or when no probe runs
     * @param error why it is down
     * @param warnings what routing works around
     */
    public record StatusDescriptor(boolean up, @Nullable Double lagSeconds, @Nullable Long lagBytes,
            @Nullable Boolean streaming, @Nullable Instant checkedAt, @Nullable String error, List<String> warnings) {

        static StatusDescriptor of(NodeStatus status) {
            return new StatusDescriptor(status.up(), seconds(status.lag()), status.lagBytes(), status.streaming(),
                    status.checkedAt(), status.error(), status.warnings());
        }
    }

    /**
     * One server of a node, as the health probe read it.
     *
     * @param address its address and port
     * @param role {@code primary} or {@code standby}
     * @param timeline its timeline, which a promotion moves on
     * @param startedAt when its postmaster started: with the address, the server's identity
     * @param systemIdentifier the cluster it belongs to
     * @param version its PostgreSQL version
     * @param lagSeconds a standby's replay lag
     * @param streaming whether a standby streams WAL
     */
    public record ServerDescriptor(@Nullable String address, String role, int timeline, Instant startedAt,
            long systemIdentifier, String version, @Nullable Double lagSeconds, @Nullable Boolean streaming) {

        static ServerDescriptor of(ServerReading reading) {
            return new ServerDescriptor(reading.server(), reading.inRecovery() ? "standby" : "primary",
                    reading.timeline(), reading.startedAt(), reading.systemIdentifier(),
                    reading.version().toString(), seconds(reading.lag()), reading.streaming());
        }
    }

    /**
     * One group.
     *
     * @param members its members now
     * @param discovered whether its members are discovered while the application runs
     * @param balancing how it picks a member
     * @param maxLagSeconds the most lag a member may have and be picked
     * @param maxLagBytes the most WAL a member may have left to replay and be picked
     * @param candidates the members it would pick from now, with the share of its work each takes
     * @param excluded each member left out and why
     * @param fallback the node that takes its work when no member can, {@code null} when the work fails
     */
    public record GroupDescriptor(List<String> members, boolean discovered, NodeGroup.Balancing balancing,
            @Nullable Double maxLagSeconds, @Nullable Long maxLagBytes, List<RouteView.Candidate> candidates,
            List<String> excluded, @Nullable String fallback) {

        static GroupDescriptor of(RouteView route, NodeGroup group) {
            return new GroupDescriptor(group.members(), group.discovered(), group.balancing(), seconds(group.maxLag()),
                    group.maxLagBytes(), route.candidates(), route.excluded(), route.fallback());
        }
    }

    private static @Nullable Double seconds(@Nullable Duration duration) {
        return duration != null ? duration.toMillis() / 1000.0 : null;
    }
}
