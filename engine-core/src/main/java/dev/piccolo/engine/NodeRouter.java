package dev.piccolo.engine;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a unit of work's request becomes a node: the name bound in the engine's
 * {@link NodeContext} (a node or a group), else the read-only target for a read-only connection, else
 * the primary; then the node that serves it under the health rules; and, for a request made inside a
 * transaction open on another node, the {@link NodeSwitchPolicy}. A plain node with no health rules
 * resolves by a map look-up; nodes with a lag limit or a fallback, and groups, read the health probe's
 * last status from each node (one volatile read). The routes follow the engine's {@link Topology}: a
 * change at run time publishes a new table of them whole. Thread-safe.
 */
final class NodeRouter {

    private static final Logger logger = LoggerFactory.getLogger(NodeRouter.class);

    /** The routes of the topology published last; replaced whole when it changes. */
    private volatile RouteTable table;

    private final NodeContext nodeContext;

    private final @Nullable String readOnlyTarget;

    private final NodeSwitchPolicy switchPolicy;

    private final RoutingListener listener;

    private final EngineNode primary;

    private final ReadYourWrites readYourWrites;

    private final ClusterView cluster;

    private final RoutingDecisions decisions = new RoutingDecisions();

    NodeRouter(Topology topology, NodeContext nodeContext, @Nullable String readOnlyTarget,
            NodeSwitchPolicy switchPolicy, RoutingListener listener, ReadYourWrites readYourWrites,
            ClusterView cluster) {
        this.cluster = cluster;
        this.nodeContext = nodeContext;
        this.readOnlyTarget = readOnlyTarget;
        this.switchPolicy = switchPolicy;
        this.listener = listener;
        this.primary = topology.primary();
        this.readYourWrites = readYourWrites;
        this.table = new RouteTable(topology);
    }

    /**
     * Routes by {@code topology} from now on. Units of work that already chose a node finish there; a held
     * connection whose node left its group moves at its next unit of work.
     */
    void use(Topology topology) {
        this.table = new RouteTable(topology);
    }

    /** The routes of one topology. */
    private final class RouteTable {

        private final Topology topology;

        private final Map<String, Route> routes = new HashMap<>();

        RouteTable(Topology topology) {
            this.topology = topology;
            Map<String, EngineNode> nodes = topology.nodes();
            nodes.forEach((name, node) -> routes.put(name, route(node, nodes)));
            topology.groups().forEach((name, group) -> routes.put(name, new GroupRoute(name, group, nodes)));
        }
    }

    private Route route(EngineNode node, Map<String, EngineNode> nodes) {
        NodeConfig config = node.config();
        String fallbackName = config.fallback();
        EngineNode fallback = fallbackName != null ? nodes.get(fallbackName) : null;
        if (fallback == null && config.lagLimits().none()) {
            return new PlainRoute(node);
        }
        return new GuardedRoute(node, fallback);
    }

    /**
     * Returns what a unit of work starting now on this thread asks for: the bound node or group, else
     * the read-only target when the connection is read-only and one is configured, else the primary.
     *
     * @param readOnly whether the connection is read-only (set by transaction managers for read-only
     * transactions, before their first statement)
     * @return a node or group name
     */
    String requested(boolean readOnly) {
        return requestFor(nodeContext.boundOrNull(), readOnly);
    }

    /**
     * Returns what work asks for given what was bound for it.
     *
     * @param bound the node or group bound for the work, or {@code null}
     * @param readOnly whether the connection is read-only
     * @return {@code bound}, else the read-only target for read-only work, else the primary
     */
    String requestFor(@Nullable String bound, boolean readOnly) {
        if (bound != null) {
            return bound;
        }
        return readOnly && readOnlyTarget != null ? readOnlyTarget : NodeNames.PRIMARY;
    }

    /** The node or group bound on this thread, {@code null} for none. */
    String bound() {
        return nodeContext.boundOrNull();
    }

    /**
     * Returns the route of a node or group name.
     *
     * @param name a node or group name
     * @return its route
     * @throws UnknownNodeException when the engine has no such node or group
     */
    Route route(String name) {
        RouteTable current = table;
        Route route = current.routes.get(name);
        if (route == null) {
            throw new UnknownNodeException(name, current.topology.routable());
        }
        return route;
    }

    /** Records, for observations, that {@code node} serves the statement about to run on this thread. */
    void serving(EngineNode node) {
        nodeContext.served(node.name());
    }

    /** The main node, where reads go when a standby has not replayed what their session wrote. */
    EngineNode primary() {
        return primary;
    }

    /** What the probe knows of the cluster: which servers may serve which node now. */
    ClusterView cluster() {
        return cluster;
    }

    /** Read-your-writes, or {@code null} when it is off: the routed connection's one check on the hot path. */
    @Nullable ReadYourWrites readYourWrites() {
        return readYourWrites.isEnabled() ? readYourWrites : null;
    }

    /** Whether new routed connections start in auto-commit mode: the main node's pool setting, JDBC's default before it. */
    boolean autoCommitByDefault() {
        return primary.autoCommitByDefault();
    }

    /**
     * Applies the {@link NodeSwitchPolicy} to work that asks for {@code requested} while a unit of work
     * holds a server session of {@code node}: a transaction is open there, or the session holds the
     * caller's state ({@code SET}, a lock, an open statement, an unwrapped connection). Work whose request
     * {@code node} serves anyway (its own name, or a group it belongs to) is no switch.
     *
     * @param requested the node or group the work asks for
     * @param unitRequest what the unit of work asked for when it started
     * @param node the node the unit runs on
     * @param heldBecause why the session cannot move, for the log and the error
     * @return {@code true} when the work joined the unit and was reported as such
     * @throws IllegalStateException under {@link NodeSwitchPolicy#FAIL}
     */
    boolean switchInTransaction(String requested, String unitRequest, EngineNode node, String heldBecause) {
        if (requested.equals(node.name()) || memberOf(requested, node)) {
            return false;
        }
        boolean transaction = heldBecause.equals(ServerSession.TRANSACTION_OPEN);
        String where = transaction ? "inside a transaction that is open on node '" + node.name() + "'"
                : "on a connection whose server session on node '" + node.name() + "' holds its caller's state ("
                        + heldBecause + ")";
        if (switchPolicy == NodeSwitchPolicy.FAIL) {
            throw new IllegalStateException("Work asked for '" + requested + "' " + where + " (started for '"
                    + unitRequest + "'); it would run on '" + node.name() + "'. Choose the node where the "
                    + "transaction starts (@UseNode on the method that starts it, or its class), give this work a "
                    + "transaction or a connection of its own (@Transactional(propagation = REQUIRES_NEW)), or let "
                    + "such work join (node-switch-in-transaction: join).");
        }
        if (transaction) {
            logger.debug("Work asked for '{}' {} (started for '{}'); it joins the transaction there", requested, where,
                    unitRequest);
        }
        else {
            logger.info("Work asked for '{}' {}; it runs there, in that session, until the connection closes",
                    requested, where);
        }
        listener.onJoin(requested, node.name());
        if (RoutingDecisions.sampled()) {
            decisions.record(requested, node.name(), RoutingDecision.Reason.JOINED, heldBecause);
        }
        return true;
    }

    private boolean memberOf(String group, EngineNode node) {
        NodeGroup members = table.topology.groups().get(group);
        return members != null && members.members().contains(node.name());
    }

    /**
     * Whether {@code node} is usable under a group's limits (or none) and its own: for a node that lists
     * several servers, while one of them is within the limits (a unit of work then avoids the others).
     */
    private static boolean usable(EngineNode node, LagLimits routeLimits) {
        if (!node.inRotation()) {
            return false;
        }
        if (node.awaitingStream()) {
            return false;
        }
        NodeStatus status = node.status();
        LagLimits limits = routeLimits.strictest(node.ownLimits());
        List<NodeStatus> servers = node.observed().serverStatuses();
        return status.up() && (servers.isEmpty() ? limits.admit(status) : servers.stream().anyMatch(limits::admit));
    }

    /** How one node or group name becomes a node. */
    interface Route {

        /**
         * Returns the node that serves the next unit of work.
         *
         * @param current the node the connection is on now, or {@code null}: kept when it still serves
         * this route, so a held connection does not change servers between units of work for nothing
         * @return the node
         * @throws SQLException when no node is usable and there is no fallback
         */
        EngineNode select(@Nullable EngineNode current) throws SQLException;

        /**
         * Returns the lag limits this route sets for work on {@code chosen}, beyond the node's own.
         *
         * @param chosen the node {@link #select} returned
         * @return the limits, {@link LagLimits#NONE} for none
         */
        default LagLimits limitsFor(EngineNode chosen) {
            return LagLimits.NONE;
        }

        /**
         * Returns another node for a unit of work whose connection to {@code refused} failed: a group's other
         * usable member, so a member that has just stopped serving (promoted, stopped) costs no failed work
         * while the probe catches up.
         *
         * @param refused the node that gave no connection
         * @return another node, or {@code null} when the route has none
         */
        default @Nullable EngineNode instead(EngineNode refused) {
            return null;
        }

        /**
         * Returns what the route would pick from now, without picking.
         *
         * @return the candidates, the nodes left out and why, and the fallback
         */
        RouteView view();
    }

    /** A node with no health rules: a map look-up and one read of whether it is in rotation. */
    private static final class PlainRoute implements Route {

        private final EngineNode node;

        PlainRoute(EngineNode node) {
            this.node = node;
        }

        @Override
        public EngineNode select(@Nullable EngineNode current) throws SQLException {
            if (!node.inRotation()) {
                throw new SQLTransientConnectionException("'" + node.name() + "' has no usable node: "
                        + describe(node) + ". Its work fails until it is back in rotation; set a fallback on it to "
                        + "send its work elsewhere meanwhile.", "08001");
            }
            return node;
        }

        /** Routed whatever the probe says, so only rotation decides whether it is a candidate. */
        @Override
        public RouteView view() {
            return node.inRotation() ? new RouteView(node.name(), List.of(new RouteView.Candidate(node.name(),
                    node.ramp().share())), List.of(), null)
                    : new RouteView(node.name(), List.of(), List.of(describe(node)), null);
        }
    }

    /** Warns once when a route starts falling back and once when it stops. */
    private abstract class FallbackRoute implements Route {

        String name() {
            return name;
        }


        private final String name;

        private final @Nullable EngineNode fallback;

        private final AtomicBoolean fallingBack = new AtomicBoolean();

        FallbackRoute(String name, @Nullable EngineNode fallback) {
            this.name = name;
            this.fallback = fallback;
        }

        @Nullable String fallbackName() {
            return fallback != null ? fallback.name() : null;
        }

        EngineNode served(EngineNode node) {
            // A plain read first: the compare-and-set, a write, only happens on the rare recovery.
            EngineNode to = fallback;
            if (to != null && fallingBack.get() && fallingBack.compareAndSet(true, false)) {
                logger.info("'{}' is usable again; its work no longer goes to '{}'", name, to.name());
            }
            return node;
        }

        EngineNode unusable(String why) throws SQLException {
            EngineNode to = fallback;
            if (to == null) {
                throw new SQLTransientConnectionException("'" + name + "' has no usable node: " + why + ". Its work "
                        + "fails until it recovers; set a fallback on it to send its work to the primary meanwhile.",
                        "08001");
            }
            if (fallingBack.compareAndSet(false, true)) {
                logger.warn("'{}' has no usable node ({}); its work goes to '{}' until it recovers", name, why,
                        to.name());
            }
            listener.onFallback(name, to.name());
            decisions.record(name, to.name(), RoutingDecision.Reason.FALLBACK, why);
            return to;
        }
    }

    private final class GuardedRoute extends FallbackRoute {

        private final EngineNode node;

        GuardedRoute(EngineNode node, @Nullable EngineNode fallback) {
            super(node.name(), fallback);
            this.node = node;
        }

        @Override
        public EngineNode select(@Nullable EngineNode current) throws SQLException {
            return usable(node, LagLimits.NONE) ? served(node) : unusable(describe(node));
        }

        @Override
        public RouteView view() {
            return viewOf(node.name(), List.of(node), LagLimits.NONE, fallbackName());
        }
    }

    private static @Nullable EngineNode fallbackOf(NodeGroup group, Map<String, EngineNode> nodes) {
        String fallback = group.fallback();
        return fallback != null ? nodes.get(fallback) : null;
    }

    private final class GroupRoute extends FallbackRoute {

        private final EngineNode[] members;

        private final NodeGroup group;

        private final AtomicInteger turn = new AtomicInteger();

        private final LagLimits limits;

        GroupRoute(String name, NodeGroup group, Map<String, EngineNode> nodes) {
            super(name, fallbackOf(group, nodes));
            this.group = group;
            this.members = group.members().stream().map(nodes::get).toArray(EngineNode[]::new);
            this.limits = group.lagLimits();
        }

        @Override
        public LagLimits limitsFor(EngineNode chosen) {
            // The fallback takes the group's work when no member is usable: the members' limits are not its.
            return group.members().contains(chosen.name()) ? limits : LagLimits.NONE;
        }

        private boolean usable(EngineNode member) {
            return NodeRouter.usable(member, limits);
        }

        @Override
        public EngineNode select(@Nullable EngineNode current) throws SQLException {
            if (current != null && isMember(current) && usable(current)) {
                return served(current);
            }
            EngineNode chosen = pick(null);
            if (chosen != null) {
                return served(chosen);
            }
            StringBuilder why = new StringBuilder(members.length == 0 ? "it has no members now" : "");
            for (EngineNode member : members) {
                why.append(why.isEmpty() ? "" : "; ").append(describe(member));
            }
            return unusable(why.toString());
        }

        @Override
        public @Nullable EngineNode instead(EngineNode refused) {
            return pick(refused);
        }

        /** A usable member other than {@code passedOver}, by the group's balancing; {@code null} for none. */
        private @Nullable EngineNode pick(@Nullable EngineNode passedOver) {
            int start = Math.floorMod(turn.getAndIncrement(), Math.max(1, members.length));
            EngineNode chosen = null;
            EngineNode rampingUp = null;
            int fewestBorrowed = Integer.MAX_VALUE;
            for (int offset = 0; offset < members.length; offset++) {
                EngineNode member = members[(start + offset) % members.length];
                if (member == passedOver || !usable(member)) {
                    continue;
                }
                if (!member.ramp().admits()) {
                    rampingUp = member;
                    continue;
                }
                if (group.balancing() == NodeGroup.Balancing.ROUND_ROBIN) {
                    return member;
                }
                int borrowed = member.borrowedConnections();
                if (borrowed < fewestBorrowed) {
                    chosen = member;
                    fewestBorrowed = borrowed;
                }
            }
            // A member ramping up is passed over while another can serve, never left idle when it alone can.
            return chosen != null ? chosen : rampingUp;
        }

        /** The node itself, not one of the same name: a node removed and added again is a new one. */
        private boolean isMember(EngineNode node) {
            for (EngineNode member : members) {
                if (member == node) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public RouteView view() {
            return viewOf(name(), List.of(members), limits, fallbackName());
        }
    }

    private static RouteView viewOf(String name, List<EngineNode> nodes, LagLimits limits, @Nullable String fallback) {
        List<RouteView.Candidate> candidates = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        for (EngineNode node : nodes) {
            if (usable(node, limits)) {
                candidates.add(new RouteView.Candidate(node.name(), node.ramp().share()));
            }
            else {
                excluded.add(describe(node));
            }
        }
        return new RouteView(name, candidates, excluded, fallback);
    }

    /**
     * Records, sampled, the routing of a unit of work that starts now; fallbacks are all recorded where they
     * are made.
     *
     * @param requested what the unit of work asked for
     * @param routed the node its route picked
     * @param served the node it runs on: the primary instead when a standby had not replayed its session's writes
     * @param readOnly whether the connection is read-only
     */
    void decided(String requested, EngineNode routed, EngineNode served, boolean readOnly) {
        if (!RoutingDecisions.sampled()) {
            return;
        }
        if (served != routed) {
            decisions.record(requested, served.name(), RoutingDecision.Reason.READ_YOUR_WRITES, "'" + routed.name()
                    + "' had not replayed what this session wrote");
            return;
        }
        if ( !requested.equals(served.name()) && !table.topology.groups()
                .containsKey(requested)) {
            // A fallback, recorded with its reason where it was made.
            return;
        }
        NodeGroup group = table.topology.groups().get(requested);
        if (group != null) {
            RouteView view = route(requested).view();
            decisions.record(requested, served.name(), view.excluded().isEmpty() ? RoutingDecision.Reason.GROUP
                    : RoutingDecision.Reason.LAG, view.excluded().isEmpty() ? null : String.join("; ", view.excluded()));
        }
        else if (nodeContext.boundOrNull() != null) {
            decisions.record(requested, served.name(), RoutingDecision.Reason.BOUND, null);
        }
        else {
            decisions.record(requested, served.name(), readOnly && requested.equals(readOnlyTarget)
                    ? RoutingDecision.Reason.READ_ONLY : RoutingDecision.Reason.PRIMARY, null);
        }
    }

    /** The latest routing decisions kept, the latest first. */
    List<RoutingDecision> latestDecisions() {
        return decisions.latest();
    }

    /** What a node or group would be served by now. */
    RouteView view(String name) {
        return route(name).view();
    }

    private static String describe(EngineNode node) {
        if (!node.inRotation()) {
            return node.name() + " is out of rotation";
        }
        if (node.awaitingStream() && node.status().up()) {
            return node.name() + " joined and is not streaming WAL yet";
        }
        NodeStatus status = node.status();
        if (!status.up()) {
            return node.name() + " is down (" + status.error() + ")";
        }
        if (Boolean.FALSE.equals(status.streaming())) {
            return node.name() + " is not streaming WAL";
        }
        return node.name() + " lags " + status.lag() + (status.lagBytes() != null ? ", " + status.lagBytes()
                + " bytes of WAL" : "");
    }
}
