package dev.piccolo.engine;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the name bound in {@link NodeContext} (a node or a group) into the node that serves one
 * connection. A plain node with no health rules resolves by a map look-up; nodes with a lag limit or
 * a fallback, and groups, read the health probe's last status from each node (one volatile read).
 * Thread-safe.
 */
final class NodeRouter {

    private static final Logger logger = LoggerFactory.getLogger(NodeRouter.class);

    private final Map<String, Route> routes = new HashMap<>();

    private final List<String> names;

    private final RoutingListener listener;

    NodeRouter(Map<String, EngineNode> nodes, Map<String, NodeGroup> groups, RoutingListener listener,
            List<String> names) {
        this.listener = listener;
        this.names = names;
        nodes.forEach((name, node) -> routes.put(name, route(node, nodes)));
        groups.forEach((name, group) -> routes.put(name, new GroupRoute(name, group, nodes)));
    }

    private Route route(EngineNode node, Map<String, EngineNode> nodes) {
        NodeConfig config = node.config();
        if (config.fallback() == null && config.maxLag() == null) {
            return () -> node;
        }
        EngineNode fallback = config.fallback() != null ? nodes.get(config.fallback()) : null;
        return new GuardedRoute(node, config.maxLag(), fallback);
    }

    /**
     * Returns the node that serves a connection for {@code name}.
     *
     * @param name a node or group name
     * @return the node
     * @throws UnknownNodeException when the engine has no such node or group
     * @throws SQLException when no node of {@code name} is usable and it has no fallback
     */
    EngineNode select(String name) throws SQLException {
        Route route = routes.get(name);
        if (route == null) {
            throw new UnknownNodeException(name, names);
        }
        return route.select();
    }

    private static boolean usable(EngineNode node, Duration maxLag) {
        NodeStatus status = node.status();
        return status.usable(maxLag) && status.usable(node.config().maxLag());
    }

    @FunctionalInterface
    private interface Route {

        EngineNode select() throws SQLException;
    }

    /** Warns once when a route starts falling back and once when it stops. */
    private abstract class FallbackRoute implements Route {

        private final String name;

        private final EngineNode fallback;

        private final AtomicBoolean fallingBack = new AtomicBoolean();

        FallbackRoute(String name, EngineNode fallback) {
            this.name = name;
            this.fallback = fallback;
        }

        EngineNode served(EngineNode node) {
            // A plain read first: the compare-and-set, a write, only happens on the rare recovery.
            if (fallingBack.get() && fallingBack.compareAndSet(true, false)) {
                logger.info("'{}' is usable again; its work no longer goes to '{}'", name, fallback.name());
            }
            return node;
        }

        EngineNode unusable(String why) throws SQLException {
            if (fallback == null) {
                throw new SQLTransientConnectionException("'" + name + "' has no usable node: " + why + ". Its work "
                        + "fails until it recovers; set a fallback on it to send its work to the primary meanwhile.",
                        "08001");
            }
            if (fallingBack.compareAndSet(false, true)) {
                logger.warn("'{}' has no usable node ({}); its work goes to '{}' until it recovers", name, why,
                        fallback.name());
            }
            listener.onFallback(name, fallback.name());
            return fallback;
        }
    }

    private final class GuardedRoute extends FallbackRoute {

        private final EngineNode node;

        private final Duration maxLag;

        GuardedRoute(EngineNode node, Duration maxLag, EngineNode fallback) {
            super(node.name(), fallback);
            this.node = node;
            this.maxLag = maxLag;
        }

        @Override
        public EngineNode select() throws SQLException {
            return usable(node, maxLag) ? served(node) : unusable(describe(node));
        }
    }

    private final class GroupRoute extends FallbackRoute {

        private final EngineNode[] members;

        private final NodeGroup group;

        private final AtomicInteger turn = new AtomicInteger();

        GroupRoute(String name, NodeGroup group, Map<String, EngineNode> nodes) {
            super(name, group.fallback() != null ? nodes.get(group.fallback()) : null);
            this.group = group;
            this.members = group.members().stream().map(nodes::get).toArray(EngineNode[]::new);
        }

        @Override
        public EngineNode select() throws SQLException {
            int start = Math.floorMod(turn.getAndIncrement(), members.length);
            EngineNode chosen = null;
            int fewestBorrowed = Integer.MAX_VALUE;
            for (int offset = 0; offset < members.length; offset++) {
                EngineNode member = members[(start + offset) % members.length];
                if (!usable(member, group.maxLag())) {
                    continue;
                }
                if (group.balancing() == NodeGroup.Balancing.ROUND_ROBIN) {
                    return served(member);
                }
                int borrowed = member.borrowedConnections();
                if (borrowed < fewestBorrowed) {
                    chosen = member;
                    fewestBorrowed = borrowed;
                }
            }
            if (chosen != null) {
                return served(chosen);
            }
            StringBuilder why = new StringBuilder();
            for (EngineNode member : members) {
                why.append(why.isEmpty() ? "" : "; ").append(describe(member));
            }
            return unusable(why.toString());
        }
    }

    private static String describe(EngineNode node) {
        NodeStatus status = node.status();
        if (!status.up()) {
            return node.name() + " is down (" + status.error() + ")";
        }
        return node.name() + " lags " + status.lag();
    }
}
