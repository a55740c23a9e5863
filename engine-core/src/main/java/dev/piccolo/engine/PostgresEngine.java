package dev.piccolo.engine;

import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import dev.piccolo.engine.logging.QueryLogging;
import dev.piccolo.engine.patroni.JacksonCheck;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Piccolo's {@code PostgresEngine} for Java: a main node ({@value #PRIMARY}) and named extra nodes,
 * each a PostgreSQL server with its own connection settings, extensions, query logging and pool.
 *
 * <pre>{@code
 * try (PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder().config(primaryConfig).build())
 *         .extraNode("read_replica_1", NodeConfig.builder().config(replicaConfig).build())
 *         .build().start()) {
 *     engine.startConnectionPool(PoolOptions.builder().maxSize(20).build());
 *     JdbcTemplate jdbc = new JdbcTemplate(engine.getDataSource());
 *     engine.nodeContext().run("read_replica_1", () -> jdbc.queryForList("SELECT * FROM item"));
 * }
 * }</pre>
 *
 * <p>Building the engine validates its settings and connects to nothing; {@link #start()} checks every
 * node (server version, extensions) and starts the health probe. Until
 * {@link #startConnectionPool(PoolOptions)} and after
 * {@link #closeConnectionPool()} each connection is opened for its request and closed with it. All
 * methods are thread-safe.
 *
 * @since 0.1
 */
public final class PostgresEngine implements AutoCloseable {

    /** Name of the main node. */
    public static final String PRIMARY = NodeNames.PRIMARY;

    private static final Logger logger = LoggerFactory.getLogger(PostgresEngine.class);

    /** The nodes and groups now; replaced whole, under {@link #lifecycle}, when they change at run time. */
    private volatile Topology topology;

    private final @Nullable NodeHealthMonitor healthMonitor;

    /** Creates extensions at {@link #start()}; {@code null} when start-up checks are off. */
    private final @Nullable StartupChecks startupChecks;

    private boolean started;

    private final NodeContext nodeContext;

    private final ReadYourWrites readYourWrites;

    private final NodeRouter router;

    private final NodeRoutingDataSource dataSource;

    private final Object lifecycle = new Object();

    private boolean poolRunning;

    /** What the running pools were opened with, for the pools of nodes added while they run. */
    private @Nullable PoolOptions poolOptions;

    /** What every node is made with, for nodes added at run time as for those of the builder. */
    private final QueryLogging queryLogging = new QueryLogging();

    private final ClusterView cluster = new ClusterView();

    private final PoolCustomizer poolCustomizer;

    private final SettingNames settingNames;

    private final RoutingRules rules;

    private final @Nullable String readOnlyTarget;

    private final RoutingListener routingListener;

    private final Duration rampUp;

    private final @Nullable HealthProbeOptions healthProbe;

    /** Nodes an operator took out of rotation, by name: one removed and added again (discovery) stays out. */
    private final Set<String> outOfRotation = ConcurrentHashMap.newKeySet();

    /** The drains of removed nodes' pools still closing, by node name. */
    private final Map<String, CompletableFuture<Void>> draining = new ConcurrentHashMap<>();

    private PostgresEngine(Builder builder) {
        this.poolCustomizer = builder.poolCustomizer;
        this.settingNames = builder.settingNames;
        this.readOnlyTarget = builder.readOnlyTransactions;
        this.routingListener = builder.routingListener;
        this.rampUp = builder.rampUp;
        this.healthProbe = builder.healthProbe;
        Map<String, EngineNode> created = new LinkedHashMap<>();
        created.put(PRIMARY, newNode(PRIMARY, builder.main, builder.groups, false));
        builder.extraNodes.forEach((name, config) -> created.put(name, newNode(name, config, builder.groups,
                false)));
        this.topology = new Topology(created, builder.groups);
        this.rules = new RoutingRules(builder.healthProbe != null, builder.settingNames);
        rules.check(topology, builder.readOnlyTransactions);
        rules.checkPatroni(!builder.patroniRestUrls.isEmpty());
        this.nodeContext = new NodeContext(topology.routable());
        this.startupChecks = builder.startupChecks ? new StartupChecks(new ExtensionInstaller(
                builder.extensionFailurePolicy), builder.settingNames, logger) : null;
        HealthProbeOptions probe = builder.healthProbe;
        this.healthMonitor = probe != null ? new NodeHealthMonitor(this::nodes, probe, builder.routingListener, cluster,
                authority(builder, probe)) : null;
        rules.checkReadYourWrites(builder.readYourWritesMaxWait);
        this.readYourWrites = new ReadYourWrites(builder.readYourWritesMaxWait, builder.routingListener, cluster,
                topology.primary());
        this.router = new NodeRouter(topology, nodeContext, builder.readOnlyTransactions, builder.nodeSwitchPolicy,
                builder.routingListener, readYourWrites, cluster);
        this.dataSource = new NodeRoutingDataSource(router);
    }

    private EngineNode newNode(String name, NodeConfig config, Map<String, NodeGroup> groups,
            boolean joinedAtRunTime) {
        // A node that joins waits for the probe to see it streaming; without a probe, nothing would.
        return new EngineNode(name, config, queryLogging, poolCustomizer, settingNames, cluster,
                strictestLimits(name, config, groups), joinedAtRunTime ? Ramp.over(rampUp) : Ramp.NONE,
                joinedAtRunTime && healthProbe != null);
    }

    /** The strictest lag limits any route to the node applies: its own and those of the groups it is in. */
    private static LagLimits strictestLimits(String name, NodeConfig config, Map<String, NodeGroup> groups) {
        LagLimits limits = config.lagLimits();
        for (NodeGroup group : groups.values()) {
            if (group.members().contains(name)) {
                limits = limits.strictest(group.lagLimits());
            }
        }
        return limits;
    }

    private static @Nullable ClusterAuthority authority(Builder builder, HealthProbeOptions probe) {
        if (builder.patroniRestUrls.isEmpty()) {
            return null;
        }
        if (!JacksonCheck.jacksonPresent()) {
            throw new NodeConfigurationException(PRIMARY, EngineSetting.PATRONI_REST_URLS, JacksonCheck.PROBLEM,
                    JacksonCheck.REMEDY);
        }
        return new PatroniLeader(builder.patroniRestUrls, probe.timeout());
    }

    /**
     * Starts an engine whose main node has the given configuration.
     *
     * @param main the main node's configuration
     * @return a new builder
     */
    public static Builder builder(NodeConfig main) {
        return new Builder(main);
    }

    /**
     * Starts the engine: checks every node (in parallel, the server version read and logged, then the
     * node's extensions created) unless start-up checks are off, then starts the health probe if one is
     * configured. The main node, and extra nodes with {@code fail-fast}, must be reachable; other extra
     * nodes that are down are logged and the engine starts without them. Calling it again does nothing.
     *
     * <p>An engine that is not started still serves connections (checks and probe are what it lacks).
     *
     * @return this engine
     * @throws NodeUnavailableException when a node that must be reachable is not
     * @throws ExtensionException when an extension cannot be created and the policy is to fail
     * @since 0.2
     */
    public PostgresEngine start() {
        synchronized (lifecycle) {
            if (started) {
                return this;
            }
            if (startupChecks != null) {
                NodeTasks.inParallel(topology.nodes().values(), node -> startupChecks.check(node, true));
            }
            if (healthMonitor != null) {
                healthMonitor.start();
            }
            started = true;
            return this;
        }
    }

    private static boolean mustBeReachable(EngineNode node) {
        return PRIMARY.equals(node.name()) || node.config().failFast();
    }

    /**
     * Opens a HikariCP pool for the main node and every extra node, in parallel. A node with pool
     * options of its own ({@link NodeConfig#pool()}) uses those. An extra node that is down and not
     * {@code failFast} gets a pool that connects once the server is up.
     *
     * <p>If a pool is already running this only logs the warning "A pool already exists - close it
     * first". If a node that must be reachable cannot open its pool, every pool opened by this call is
     * closed again and the exception is thrown.
     *
     * @param options sizes, drain timeout and HikariCP settings
     * @throws NodeUnavailableException when the main node (or a {@code failFast} node) cannot open its pool
     */
    public void startConnectionPool(PoolOptions options) {
        Objects.requireNonNull(options, "options");
        synchronized (lifecycle) {
            if (poolRunning) {
                logger.warn("A pool already exists - close it first");
                return;
            }
            Collection<EngineNode> nodes = topology.nodes().values();
            try {
                NodeTasks.inParallel(nodes, node -> openPool(node, options));
            }
            catch (RuntimeException ex) {
                NodeTasks.inParallel(nodes, EngineNode::closePool);
                throw ex;
            }
            poolOptions = options;
            poolRunning = true;
        }
    }

    /**
     * Closes every node's pool, in parallel. New requests get connections of their own at once;
     * borrowed connections may finish within the drain timeout; then the pools close. If no pool is
     * running this only logs the warning "No pool is running.".
     */
    public void closeConnectionPool() {
        synchronized (lifecycle) {
            if (!poolRunning) {
                logger.warn("No pool is running.");
                return;
            }
            closePools();
        }
    }

    private static void openPool(EngineNode node, PoolOptions options) {
        PoolOptions own = node.config().pool();
        node.openPool(own != null ? own : options, mustBeReachable(node));
    }

    private void closePools() {
        NodeTasks.inParallel(topology.nodes().values(), EngineNode::closePool);
        poolRunning = false;
        poolOptions = null;
    }

    /**
     * Returns whether the pools are running.
     *
     * @return {@code true} between {@link #startConnectionPool} and {@link #closeConnectionPool}
     */
    public boolean isPoolRunning() {
        synchronized (lifecycle) {
            return poolRunning;
        }
    }

    /**
     * Returns the routing {@code DataSource}: its connections run each unit of work on the node the work
     * asks for on its thread ({@link NodeContext}), the main node when none is asked for.
     *
     * @return the engine's data source
     */
    public NodeRoutingDataSource getDataSource() {
        return dataSource;
    }

    /**
     * Returns the health probe's settings.
     *
     * @return the probe's interval and timeout, empty when no probe runs
     * @since 0.3
     */
    public Optional<HealthProbeOptions> healthProbe() {
        return Optional.ofNullable(healthProbe);
    }

    /**
     * Returns read-your-writes: the tokens of writes and the causal sessions later reads see them in.
     *
     * @return this engine's read-your-writes, also when it is off ({@link ReadYourWrites#isEnabled()})
     * @since 0.2
     */
    public ReadYourWrites readYourWrites() {
        return readYourWrites;
    }

    /**
     * Returns the context that binds work on the current thread to a node of this engine.
     *
     * @return the node context
     */
    public NodeContext nodeContext() {
        return nodeContext;
    }

    /**
     * Returns a view of one node: its own {@code DataSource}, server version and pool statistics.
     *
     * @param name {@value #PRIMARY} or an extra node's name
     * @return the node
     * @throws UnknownNodeException when the engine has no such node
     */
    public EngineNode node(String name) {
        Topology now = topology;
        EngineNode node = now.nodes().get(name);
        if (node == null) {
            throw new UnknownNodeException(name, now.nodeNames());
        }
        return node;
    }

    /**
     * Returns every node now, the main node first, then extra nodes by name.
     *
     * @return the nodes
     */
    public List<EngineNode> nodes() {
        Topology now = topology;
        return now.nodeNames().stream().map(now.nodes()::get).toList();
    }

    /**
     * Returns the node names now, the main node first, then extra nodes by name (groups not included).
     *
     * @return the names
     */
    public List<String> nodeNames() {
        return topology.nodeNames();
    }

    /**
     * Returns the node groups by name, with their members now.
     *
     * @return the groups, empty when none is configured
     */
    public Map<String, NodeGroup> groups() {
        return topology.groups();
    }

    /**
     * Adds an extra node while the application runs, with the validation of the builder's: its name, its
     * settings, its fallback. It is checked as at start-up when the engine has started (server version, its
     * extensions; a {@code failFast} node that does not answer is refused), gets a pool when the pools run,
     * and takes work as soon as this returns: by its name at once; in a group once a member of it
     * ({@link #setGroupMembers}), not before the health probe (when on) found it usable, and then at a share
     * that grows over the ramp-up ({@link Builder#rampUp}).
     *
     * @param name a name no node or group has, other than {@value #PRIMARY}
     * @param config the node's configuration
     * @return the node
     * @throws NodeConfigurationException when the name or the settings are refused
     * @throws NodeUnavailableException when a {@code failFast} node cannot be reached
     * @since 0.3
     */
    public EngineNode addNode(String name, NodeConfig config) {
        Objects.requireNonNull(config, "config");
        EngineNode node;
        boolean check;
        synchronized (lifecycle) {
            Topology now = topology;
            checkExtraNodeName(name, now.has(name) ? "the name of a node or group the engine has" : null);
            node = newNode(name, config, now.groups(), true);
            checkedAddition(now, node);
            check = started && startupChecks != null;
        }
        if (check) {
            // Outside the lock: a server that does not answer holds up no other change for its connect timeout.
            Objects.requireNonNull(startupChecks, "checked above").check(node, false);
        }
        awaitDrain(name);
        synchronized (lifecycle) {
            // Checked again: another change may have taken the name or removed the fallback meanwhile.
            Topology after = checkedAddition(topology, node);
            PoolOptions options = poolOptions;
            if (options != null) {
                openPool(node, options);
            }
            if (healthMonitor != null) {
                node.observed().status(NodeStatus.pending());
            }
            node.inRotation(!outOfRotation.contains(name));
            publish(after);
        }
        logger.info("Node '{}' added ({})", name, node.url());
        tellListener(() -> routingListener.onNodeAdded(name));
        if (healthMonitor != null) {
            healthMonitor.probeSoon();
        }
        return node;
    }

    /**
     * Waits until the pool of a node of the same name removed a moment ago has closed: its meters, named
     * after the node, would otherwise be removed from under the new pool's when it closes.
     */
    private void awaitDrain(String name) {
        CompletableFuture<Void> drain = draining.get(name);
        if (drain != null) {
            try {
                drain.join();
            }
            catch (CompletionException | CancellationException ex) {
                // Failed to close cleanly: logged by the drain; the new pool does not wait on it.
            }
        }
    }

    /** {@code now} with the node added, checked as the builder's nodes are: its name free, its fallback a node. */
    private Topology checkedAddition(Topology now, EngineNode node) {
        checkExtraNodeName(node.name(), now.has(node.name()) ? "the name of a node or group the engine has" : null);
        Topology after = now.with(node);
        rules.check(after, readOnlyTarget);
        return after;
    }

    /**
     * Removes an extra node while the application runs. It takes no new unit of work from the moment this
     * returns: it leaves every group, and work bound to its name fails as for an unknown node. Work in
     * flight on it finishes: its pool drains in the background, for at most the pool's drain timeout, and
     * then closes.
     *
     * @param name an extra node's name
     * @return completes once the node's pool is closed
     * @throws UnknownNodeException when the engine has no such node
     * @throws NodeConfigurationException for the main node, or a node another node or group falls back to,
     * or the read-only target
     * @since 0.3
     */
    public CompletableFuture<Void> removeNode(String name) {
        synchronized (lifecycle) {
            Topology before = topology;
            EngineNode node = node(name);
            if (PRIMARY.equals(name)) {
                throw new NodeConfigurationException(name, EngineSetting.EXTRA_NODES, "The main node cannot be "
                        + "removed.", "Remove an extra node; the main node is the engine's for its lifetime.");
            }
            String user = userOf(before, name);
            if (user != null) {
                throw new NodeConfigurationException(name, EngineSetting.EXTRA_NODES, "Node '" + name + "' cannot be "
                        + "removed: " + user + ".", "Change that first, or restart without the node.");
            }
            Topology after = before.without(name);
            rules.check(after, readOnlyTarget);
            // Retired before it is unpublished: a unit of work that picked it from the routes of a moment ago
            // gets no connection of its own, outside the drain, and a group's takes another member.
            node.retire();
            publish(after);
            CompletableFuture<Void> drained = NodeTasks.drainInBackground(node);
            draining.put(name, drained);
            drained.whenComplete((done, failure) -> draining.remove(name, drained));
            logger.info("Node '{}' removed; its pool drains (at most {} ms)", name, node.drainTimeout().toMillis());
            tellListener(() -> routingListener.onNodeRemoved(name));
            return drained;
        }
    }

    /** A listener that throws must not leave a change half-done: the change stands, and the failure is logged. */
    private static void tellListener(Runnable call) {
        try {
            call.run();
        }
        catch (RuntimeException ex) {
            logger.warn("A routing listener failed on a change of the engine's nodes; the change stands", ex);
        }
    }

    /** What depends on the node by name, beyond group membership; {@code null} for nothing. */
    private @Nullable String userOf(Topology now, String name) {
        if (name.equals(readOnlyTarget)) {
            throw new NodeConfigurationException(name, EngineSetting.READ_ONLY_TRANSACTIONS, "Node '" + name
                    + "' cannot be removed: read-only transactions go to it.", "Restart with another read-only "
                    + "target first.");
        }
        for (EngineNode other : now.nodes().values()) {
            if (name.equals(other.config().fallback())) {
                return "node '" + other.name() + "' falls back to it";
            }
        }
        for (Map.Entry<String, NodeGroup> group : now.groups().entrySet()) {
            if (name.equals(group.getValue().fallback())) {
                return "group '" + group.getKey() + "' falls back to it";
            }
            if (!group.getValue().discovered() && group.getValue().members().equals(List.of(name))) {
                return "it is the last member of group '" + group.getKey() + "'";
            }
        }
        return null;
    }

    /**
     * Sets a group's members while the application runs. A node that leaves the group takes no new unit of
     * its work; one that joins takes it once usable, at a ramped share when it was added at run time.
     *
     * @param group the group's name
     * @param members nodes of the engine; empty leaves the group's work to its fallback, or failing
     * @throws UnknownNodeException when the engine has no such group
     * @throws NodeConfigurationException when a member is not a node
     * @since 0.3
     */
    public void setGroupMembers(String group, List<String> members) {
        synchronized (lifecycle) {
            Topology before = topology;
            NodeGroup current = before.groups().get(group);
            if (current == null) {
                throw new UnknownNodeException(group, before.groups().keySet());
            }
            if (current.members().equals(members)) {
                return;
            }
            Topology after = before.with(group, current.withMembers(members));
            rules.check(after, readOnlyTarget);
            publish(after);
            logger.info("Group '{}' now has members {}", group, members);
        }
    }

    /**
     * Takes a node out of rotation: it takes no new unit of work (its name and its groups fall back or fail
     * as when it is down) while work in flight finishes; its pool stays open.
     *
     * @param node an extra node's name
     * @throws UnknownNodeException when the engine has no such node
     * @throws NodeConfigurationException for the main node, which writes need
     * @since 0.3
     */
    public void takeOutOfRotation(String node) {
        if (PRIMARY.equals(node)) {
            throw new NodeConfigurationException(node, EngineSetting.EXTRA_NODES, "The main node cannot be taken "
                    + "out of rotation: work that writes has nowhere else to go.", "Take an extra node out.");
        }
        EngineNode taken = node(node);
        outOfRotation.add(node);
        taken.inRotation(false);
        logger.warn("Node '{}' is out of rotation: it takes no new work until it is put back", node);
    }

    /**
     * Puts a node taken out of rotation back: it takes work again.
     *
     * @param node a node's name
     * @throws UnknownNodeException when the engine has no such node
     * @since 0.3
     */
    public void putBackInRotation(String node) {
        EngineNode back = node(node);
        outOfRotation.remove(node);
        back.inRotation(true);
        logger.info("Node '{}' is back in rotation", node);
    }

    /**
     * Returns what a node or group would be served by now, as routing sees it, without routing anything.
     *
     * @param name a node or group name
     * @return the candidates, the nodes left out and why, and the fallback
     * @throws UnknownNodeException when the engine has no such node or group
     * @since 0.3
     */
    public RouteView routeView(String name) {
        return router.view(name);
    }

    /**
     * Returns the latest routing decisions kept: every fallback, and one in
     * {@value RoutingDecisions#SAMPLE_ONE_IN} of the others.
     *
     * @return at most {@value RoutingDecisions#KEPT} decisions, the latest first
     * @since 0.3
     */
    public List<RoutingDecision> latestDecisions() {
        return router.latestDecisions();
    }

    /**
     * The rules for an extra node's name, at build time and at run time alike.
     *
     * @param taken how the name is taken already ("configured twice"), {@code null} when it is free
     */
    private static void checkExtraNodeName(@Nullable String name, @Nullable String taken) {
        if (name == null || name.isBlank()) {
            throw new NodeConfigurationException(String.valueOf(name), EngineSetting.EXTRA_NODES, "An extra node "
                    + "has an empty name.", "Give every extra node a name, e.g. read_replica_1.");
        }
        if (!name.equals(name.strip())) {
            throw new NodeConfigurationException(name, EngineSetting.EXTRA_NODES, "Extra node '" + name + "' has a "
                    + "name that starts or ends with white space.", "Remove the white space.");
        }
        if (PRIMARY.equals(name)) {
            throw new NodeConfigurationException(name, EngineSetting.EXTRA_NODES, "An extra node cannot be named '"
                    + PRIMARY + "': that is the main node's name.", "Rename the extra node to a name other than '"
                    + PRIMARY + "', e.g. primary_copy.");
        }
        if (taken != null) {
            throw new NodeConfigurationException(name, EngineSetting.EXTRA_NODES, "Extra node '" + name + "' is "
                    + taken + ".", "Give each extra node a name of its own.");
        }
    }

    /** Routes by {@code next} from now on: the router first, so a name is never known before it routes. */
    private void publish(Topology next) {
        router.use(next);
        nodeContext.use(next.routable());
        topology = next;
    }

    /**
     * Returns what the health probe last saw of a node; every node counts as up when the probe is off.
     *
     * @param node the node name
     * @return the node's status
     * @throws UnknownNodeException when the engine has no such node
     */
    public NodeStatus nodeStatus(String node) {
        return node(node).status();
    }

    /**
     * Reads the main node's server version now, from {@code server_version_num}.
     *
     * @return the version
     * @throws SQLException when the node cannot be reached
     */
    public ServerVersion getVersion() throws SQLException {
        return getVersion(PRIMARY);
    }

    /**
     * Reads a node's server version now, from {@code server_version_num}.
     *
     * @param node the node name
     * @return the version
     * @throws SQLException when the node cannot be reached
     * @throws UnknownNodeException when the engine has no such node
     */
    public ServerVersion getVersion(String node) throws SQLException {
        return ServerVersionCheck.read(node(node));
    }

    /**
     * Stops the health probe and closes every running pool (without the "No pool is running."
     * warning when none is). The engine stays usable, one connection per request, as before the pools
     * started.
     */
    @Override
    public void close() {
        if (healthMonitor != null) {
            healthMonitor.close();
        }
        synchronized (lifecycle) {
            if (poolRunning) {
                closePools();
            }
        }
    }

    @Override
    public String toString() {
        return "PostgresEngine" + nodes();
    }

    /** Builds a {@link PostgresEngine}. Not thread-safe. */
    public static final class Builder {

        private final NodeConfig main;

        private final Map<String, NodeConfig> extraNodes = new LinkedHashMap<>();

        private ExtensionFailurePolicy extensionFailurePolicy = ExtensionFailurePolicy.FAIL;

        private boolean startupChecks = true;

        private PoolCustomizer poolCustomizer = (node, config) -> {
        };

        private final Map<String, NodeGroup> groups = new LinkedHashMap<>();

        private @Nullable HealthProbeOptions healthProbe;

        private RoutingListener routingListener = new RoutingListener() {
        };

        private @Nullable String readOnlyTransactions;

        private NodeSwitchPolicy nodeSwitchPolicy = NodeSwitchPolicy.JOIN;

        private @Nullable Duration readYourWritesMaxWait;

        private List<URI> patroniRestUrls = List.of();

        private SettingNames settingNames = SettingNames.PLAIN;

        private Duration rampUp = Duration.ofSeconds(30);

        private Builder(NodeConfig main) {
            this.main = Objects.requireNonNull(main, "main");
        }

        /**
         * Adds an extra node (Piccolo's {@code extra_nodes}). Its name is kept exactly as given.
         *
         * @param name a name other than {@value #PRIMARY}, not blank, not used before
         * @param config the node's configuration
         * @return this builder
         * @throws NodeConfigurationException when the name is blank, {@value #PRIMARY} or a duplicate
         */
        public Builder extraNode(String name, NodeConfig config) {
            Objects.requireNonNull(config, "config");
            checkExtraNodeName(name, extraNodes.containsKey(name) ? "configured twice" : null);
            extraNodes.put(name, config);
            return this;
        }

        /**
         * Sets how long a node that joins while the application runs (added, or discovered) takes to reach
         * its full share of a group's work, from none when the probe first finds it usable: a cold pool is not
         * flooded. Nodes of the builder take their full share from the start.
         *
         * @param rampUp the ramp-up, 30 seconds by default; zero for a full share at once
         * @return this builder
         * @throws NodeConfigurationException when it is negative
         * @since 0.3
         */
        public Builder rampUp(Duration rampUp) {
            if (rampUp.isNegative()) {
                throw new NodeConfigurationException(PRIMARY, EngineSetting.RAMP_UP, "A node that joins would reach "
                        + "its full share in " + rampUp + ".", "Set zero (a full share at once) or more, e.g. 30s.");
            }
            this.rampUp = rampUp;
            return this;
        }

        /**
         * Adds several extra nodes, in the map's order.
         *
         * @param extraNodes names and configurations
         * @return this builder
         * @throws NodeConfigurationException when a name is blank, {@value #PRIMARY} or a duplicate
         */
        public Builder extraNodes(Map<String, NodeConfig> extraNodes) {
            extraNodes.forEach(this::extraNode);
            return this;
        }

        /**
         * Sets what happens when an extension cannot be created for a reason other than privileges.
         *
         * @param policy {@link ExtensionFailurePolicy#FAIL} (the default) or {@link ExtensionFailurePolicy#WARN}
         * @return this builder
         */
        public Builder extensionFailurePolicy(ExtensionFailurePolicy policy) {
            this.extensionFailurePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets whether building the engine checks each node (version and extensions). Turning it off
         * makes the engine open no connection until it is used.
         *
         * @param startupChecks {@code false} to skip the checks
         * @return this builder
         */
        public Builder startupChecks(boolean startupChecks) {
            this.startupChecks = startupChecks;
            return this;
        }

        /**
         * Sets a callback that adjusts each node's HikariCP configuration before its pool opens.
         *
         * @param poolCustomizer the customizer
         * @return this builder
         */
        public Builder poolCustomizer(PoolCustomizer poolCustomizer) {
            this.poolCustomizer = Objects.requireNonNull(poolCustomizer, "poolCustomizer");
            return this;
        }

        /**
         * Adds a node group: a name that stands for several nodes, one usable member per connection.
         *
         * @param name a name no node has
         * @param group the members and how to pick one
         * @return this builder
         */
        public Builder nodeGroup(String name, NodeGroup group) {
            groups.put(name, Objects.requireNonNull(group, "group"));
            return this;
        }

        /**
         * Turns on the background health probe that marks nodes up or down and measures replicas' lag,
         * for groups, fallbacks and lag limits. Off by default.
         *
         * @param options interval and timeout
         * @return this builder
         */
        public Builder healthProbe(HealthProbeOptions options) {
            this.healthProbe = options;
            return this;
        }

        /**
         * Makes Patroni the authority on which server is the primary: each health-probe round asks
         * {@code GET /cluster} of the first of these REST APIs that answers, and work that may write runs only
         * on the member holding the leader key, even when another server is writable (a split brain, which
         * Patroni resolves in its leader's favour). Needs the health probe, and Jackson on the class path.
         *
         * @param restUrls the members' REST API base URLs, e.g. {@code http://10.0.0.5:8008}; empty for none
         * @return this builder
         * @since 0.3
         */
        public Builder patroni(List<URI> restUrls) {
            this.patroniRestUrls = List.copyOf(restUrls);
            return this;
        }

        /**
         * Sends read-only transactions that ask for no node to a node or group (e.g. {@code replicas}).
         * A transaction is read-only when its connection is ({@code Connection.setReadOnly(true)}, which
         * Spring's transaction managers do for {@code @Transactional(readOnly = true)}, Spring Data's
         * read-only defaults included, before the first statement). A read-write transaction, also one
         * started inside a read-only one, goes to the primary; an explicit node request always wins.
         *
         * @param target a node or group name, or {@code null} to keep read-only transactions on the primary
         * @return this builder
         */
        public Builder readOnlyTransactions(@Nullable String target) {
            this.readOnlyTransactions = target;
            return this;
        }

        /**
         * Turns on read-your-writes ({@link ReadYourWrites}): reads of a causal session that wrote go to a
         * standby only once it has replayed the write, waiting up to {@code maxWait} for it, else to the
         * primary. Each commit of work that may have written costs one more round trip to the primary.
         *
         * @param maxWait how long a read waits for a standby that is behind, zero or more; {@code null}
         * turns read-your-writes off
         * @return this builder
         * @since 0.2
         */
        public Builder readYourWrites(@Nullable Duration maxWait) {
            this.readYourWritesMaxWait = maxWait;
            return this;
        }

        /**
         * Sets what happens when work asks for another node inside an open transaction.
         *
         * @param policy {@link NodeSwitchPolicy#JOIN} (the default) or {@link NodeSwitchPolicy#FAIL}
         * @return this builder
         */
        public Builder nodeSwitchPolicy(NodeSwitchPolicy policy) {
            this.nodeSwitchPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets how messages about a node (a refused login, an unreachable server) name its settings.
         *
         * @param names the naming, {@link SettingNames#PLAIN} by default
         * @return this builder
         * @since 0.2
         */
        public Builder settingNames(SettingNames names) {
            this.settingNames = Objects.requireNonNull(names, "names");
            return this;
        }

        /**
         * Sets the listener of routing events (fallbacks, state changes).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder routingListener(RoutingListener listener) {
            this.routingListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Builds the engine, validating every setting; it connects to nothing (see
         * {@link PostgresEngine#start()}).
         *
         * @return the engine, unpooled and not started
         * @throws NodeConfigurationException when a node's settings cannot make a connection, or a group,
         * fallback, lag limit or read-only target names what does not exist
         */
        public PostgresEngine build() {
            return new PostgresEngine(this);
        }
    }
}
