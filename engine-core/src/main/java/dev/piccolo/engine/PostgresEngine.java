package dev.piccolo.engine;

import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import dev.piccolo.engine.logging.QueryLogging;
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

    private final Map<String, EngineNode> nodes;

    private final List<String> nodeNames;

    private final Map<String, NodeGroup> groups;

    private final @Nullable NodeHealthMonitor healthMonitor;

    /** Creates extensions at {@link #start()}; {@code null} when start-up checks are off. */
    private final @Nullable StartupChecks startupChecks;

    private boolean started;

    private final NodeContext nodeContext;

    private final ReadYourWrites readYourWrites;

    private final NodeRoutingDataSource dataSource;

    private final Object lifecycle = new Object();

    private boolean poolRunning;

    private PostgresEngine(Builder builder) {
        QueryLogging queryLogging = new QueryLogging();
        ClusterView cluster = new ClusterView();
        Map<String, EngineNode> created = new LinkedHashMap<>();
        created.put(PRIMARY, new EngineNode(PRIMARY, builder.main, queryLogging, builder.poolCustomizer,
                builder.settingNames, cluster, strictestLimits(PRIMARY, builder.main, builder.groups)));
        builder.extraNodes.forEach((name, config) -> created.put(name, new EngineNode(name, config, queryLogging,
                builder.poolCustomizer, builder.settingNames, cluster, strictestLimits(name, config, builder.groups))));
        this.nodes = Map.copyOf(created);
        this.nodeNames = nodeNames(created);
        this.groups = Map.copyOf(builder.groups);
        RoutingRules rules = new RoutingRules(nodeNames, builder.groups, builder.healthProbe != null,
                builder.settingNames);
        rules.check(created, builder.readOnlyTransactions);
        rules.checkPatroni(!builder.patroniRestUrls.isEmpty());
        List<String> routable = new ArrayList<>(nodeNames);
        routable.addAll(builder.groups.keySet());
        this.nodeContext = new NodeContext(routable);
        this.startupChecks = builder.startupChecks ? new StartupChecks(new ExtensionInstaller(
                builder.extensionFailurePolicy), builder.settingNames, logger) : null;
        HealthProbeOptions probe = builder.healthProbe;
        this.healthMonitor = probe != null ? new NodeHealthMonitor(nodes(), probe, builder.routingListener, cluster,
                authority(builder, probe)) : null;
        rules.checkReadYourWrites(builder.readYourWritesMaxWait);
        this.readYourWrites = new ReadYourWrites(builder.readYourWritesMaxWait, builder.routingListener, cluster,
                Objects.requireNonNull(created.get(PRIMARY)));
        this.dataSource = new NodeRoutingDataSource(new NodeRouter(created, builder.groups, nodeContext,
                builder.readOnlyTransactions, builder.nodeSwitchPolicy, builder.routingListener, readYourWrites,
                cluster));
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
        try {
            Class.forName("tools.jackson.databind.json.JsonMapper", false, PostgresEngine.class.getClassLoader());
        }
        catch (ClassNotFoundException ex) {
            throw new NodeConfigurationException(PRIMARY, EngineSetting.PATRONI_REST_URLS, "Patroni's REST API is "
                    + "configured, but Jackson, which reads its answers, is not on the class path.", "Add the "
                    + "dependency tools.jackson.core:jackson-databind (Spring Boot manages its version).");
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

    private static List<String> nodeNames(Map<String, EngineNode> nodes) {
        return nodes.keySet().stream().sorted(NodeNames.ORDER).toList();
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
                NodeTasks.inParallel(nodes.values(), startupChecks::check);
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
            try {
                NodeTasks.inParallel(nodes.values(), node -> node.openPool(node.config().pool() != null ? node.config().pool()
                        : options, mustBeReachable(node)));
            }
            catch (RuntimeException ex) {
                NodeTasks.inParallel(nodes.values(), EngineNode::closePool);
                throw ex;
            }
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

    private void closePools() {
        NodeTasks.inParallel(nodes.values(), EngineNode::closePool);
        poolRunning = false;
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
        EngineNode node = nodes.get(name);
        if (node == null) {
            throw new UnknownNodeException(name, nodeNames);
        }
        return node;
    }

    /**
     * Returns every node, the main node first, then extra nodes by name.
     *
     * @return the nodes
     */
    public List<EngineNode> nodes() {
        return nodeNames.stream().map(nodes::get).toList();
    }

    /**
     * Returns the node names, the main node first, then extra nodes by name (groups not included).
     *
     * @return the names
     */
    public List<String> nodeNames() {
        return nodeNames;
    }

    /**
     * Returns the node groups by name.
     *
     * @return the groups, empty when none is configured
     */
    public Map<String, NodeGroup> groups() {
        return groups;
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
            if (extraNodes.containsKey(name)) {
                throw new NodeConfigurationException(name, EngineSetting.EXTRA_NODES, "Extra node '" + name + "' is "
                        + "configured twice.", "Give each extra node a name of its own.");
            }
            extraNodes.put(name, config);
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
