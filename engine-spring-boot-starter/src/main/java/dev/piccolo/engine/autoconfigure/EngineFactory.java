package dev.piccolo.engine.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariConfig;
import dev.piccolo.engine.jdbc.ConnectionUrls;
import dev.piccolo.engine.EngineSetting;
import dev.piccolo.engine.HealthProbeOptions;
import dev.piccolo.engine.NodeConfig;
import dev.piccolo.engine.NodeConfigurationException;
import dev.piccolo.engine.NodeGroup;
import dev.piccolo.engine.PoolCustomizer;
import dev.piccolo.engine.PoolOptions;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.RoutingListener;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.util.unit.DataSize;

/**
 * Turns {@link PiccoloDbProperties} into a {@link PostgresEngine}: the main node from
 * {@code piccolo.db.*} (its connection from a {@link JdbcConnectionDetails} bean, or from
 * {@code spring.datasource.*} when {@code piccolo.db.config} gives none), each extra node inheriting
 * every setting it does not set, URL parameters included, and pool options per node with the remaining
 * {@code pool.*} keys bound onto {@link HikariConfig}.
 */
final class EngineFactory {

    static final ConfigurationPropertyName SPRING_HIKARI_PREFIX = ConfigurationPropertyName
            .of("spring.datasource.hikari");

    private static final ConfigurationPropertyName MAIN_POOL_PREFIX = ConfigurationPropertyName
            .of(PropertyNames.PREFIX + ".pool");

    private static final String SPRING_DATASOURCE_URL = "spring.datasource.url";

    private static final String NODE_GROUPS_PREFIX = PropertyNames.PREFIX + ".node-groups";

    /** Where version 0.1 read a group's balancing, fallback and lag limit. */
    private static final String RETIRED_GROUP_OPTIONS_PREFIX = PropertyNames.PREFIX + ".node-group-options";

    /** Keys that say where a node is; a node that gives any of them does not inherit the others' form. */
    private static final Set<String> LOCATION_KEYS = Set.of("host", "port", "database", "url", "dsn");

    private static final Set<String> URL_KEYS = Set.of("url", "dsn");

    private final PiccoloDbProperties properties;

    private final Binder binder;

    private final PoolSettingsCheck poolCheck;

    EngineFactory(PiccoloDbProperties properties, Binder binder) {
        this.properties = properties;
        this.binder = binder;
        this.poolCheck = new PoolSettingsCheck(binder);
    }

    PostgresEngine create(Map<String, JdbcConnectionDetails> connectionBeans, PoolCustomizer poolCustomizer,
            RoutingListener routingListener) {
        ServiceConnections connections = new ServiceConnections(connectionBeans);
        Map<String, JdbcConnectionDetails> extraConnections = new LinkedHashMap<>();
        properties.getExtraNodes().forEach((name, node) -> connections
                .takeForExtraNode(name, node.getServiceConnection())
                .ifPresent(details -> extraConnections.put(name, details)));
        MainConnection mainConnection = mainConnection(connections.takeForMainNode(properties.getServiceConnection()));
        Map<String, String> mainConfig = mainConnection.config();
        List<ConfigurationPropertyName> mainPoolPrefixes = mainConnection.dropIn()
                ? List.of(SPRING_HIKARI_PREFIX, MAIN_POOL_PREFIX) : List.of(MAIN_POOL_PREFIX);
        if (!mainConnection.dropIn()) {
            poolCheck.warnAboutIgnoredSpringHikari();
        }
        poolCheck.warnAboutUnknownKeys(MAIN_POOL_PREFIX, MAIN_POOL_PREFIX.toString());
        PoolOptions mainPool = mainPoolOptions(mainConnection.dropIn(), mainPoolPrefixes);
        NodeConfig main = NodeConfig.builder()
                .config(mainConfig)
                .extensions(properties.getExtensions())
                .logQueries(properties.isLogQueries())
                .logResponses(properties.isLogResponses())
                .logValues(properties.isLogValues())
                .pool(mainPool)
                .build();
        PostgresEngine.Builder builder = PostgresEngine.builder(main)
                .extensionFailurePolicy(properties.getExtensionFailurePolicy())
                .startupChecks(properties.isStartupChecks())
                .poolCustomizer(poolCustomizer)
                .routingListener(routingListener)
                .readOnlyTransactions(properties.getReadOnlyTransactions())
                .nodeSwitchPolicy(properties.getNodeSwitchInTransaction())
                .readYourWrites(properties.getReadYourWrites().isEnabled()
                        ? properties.getReadYourWrites().getMaxWait() : null)
                .patroni(properties.getPatroni().getRestUrls())
                .settingNames(PropertyNames::of);
        properties.getExtraNodes().forEach((name, node) -> builder.extraNode(name,
                extraNode(name, node, nodeParentConfig(mainConfig, extraConnections.get(name)), mainPool,
                        mainPoolPrefixes)));
        rejectRetiredGroupOptions();
        nodeGroups().forEach((name, group) -> builder.nodeGroup(name, nodeGroup(group)));
        PiccoloDbProperties.HealthProbe probe = properties.getHealthProbe();
        if (probe.isEnabled()) {
            builder.healthProbe(validated(PostgresEngine.PRIMARY, EngineSetting.HEALTH_PROBE,
                    () -> new HealthProbeOptions(probe.getInterval(), probe.getTimeout())));
        }
        return builder.build();
    }

    private static NodeGroup nodeGroup(PiccoloDbProperties.Group group) {
        NodeGroup.Builder built = NodeGroup.of(group.getMembers()).fallback(group.getFallback())
                .maxLag(group.getMaxLag()).maxLagBytes(bytes(group.getMaxLagBytes()));
        if (group.getBalancing() != null) {
            built.balancing(group.getBalancing());
        }
        return built.build();
    }

    /** Boot's binder drops properties no field takes, so a 0.1 lag limit would vanish without a word. */
    private void rejectRetiredGroupOptions() {
        binder.bind(RETIRED_GROUP_OPTIONS_PREFIX, Bindable.mapOf(String.class, Object.class)).ifBound(options -> {
            String group = options.keySet().iterator().next();
            throw new EnginePropertyException(RETIRED_GROUP_OPTIONS_PREFIX + "." + group, "Node group '" + group
                    + "' sets options under " + RETIRED_GROUP_OPTIONS_PREFIX + ", which version 0.2 no longer reads.",
                    "Move them beside the group's members: " + NODE_GROUPS_PREFIX + "." + group
                            + ".{members, balancing, fallback, max-lag}.");
        });
    }

    /**
     * Every node group: the ones written with {@code members}, and the ones written in the short form
     * {@code node-groups.<name>: [a, b]}, which binds to no group property and is read here as the members.
     */
    private Map<String, PiccoloDbProperties.Group> nodeGroups() {
        Map<String, PiccoloDbProperties.Group> groups = new LinkedHashMap<>(properties.getNodeGroups());
        binder.bind(NODE_GROUPS_PREFIX, Bindable.mapOf(String.class, Object.class)).ifBound(bound -> bound.keySet()
                .stream()
                .filter(name -> !groups.containsKey(name))
                .forEach(name -> groups.put(name, PiccoloDbProperties.Group.of(binder
                        .bind(NODE_GROUPS_PREFIX + "." + name, Bindable.listOf(String.class))
                        .orElse(List.of())))));
        return groups;
    }

    /**
     * The main node's pool sizes: {@code piccolo.db.pool.*}, else, in drop-in mode, Spring Boot's
     * {@code spring.datasource.hikari.maximum-pool-size} and {@code minimum-idle}.
     */
    private PoolOptions mainPoolOptions(boolean dropIn, List<ConfigurationPropertyName> hikariPrefixes) {
        PiccoloDbProperties.Pool pool = properties.getPool();
        int maxSize = or(pool.getMaxSize(), PoolOptions.DEFAULT_MAX_SIZE);
        Integer minSize = pool.getMinSize();
        if (dropIn && !isSet(MAIN_POOL_PREFIX.append("max-size"))) {
            maxSize = binder.bind(SPRING_HIKARI_PREFIX.append("maximum-pool-size"), Bindable.of(Integer.class))
                    .orElse(maxSize);
        }
        if (dropIn && minSize == null) {
            minSize = binder.bind(SPRING_HIKARI_PREFIX.append("minimum-idle"), Bindable.of(Integer.class))
                    .orElse(null);
        }
        return poolOptions(PostgresEngine.PRIMARY, maxSize, minSize,
                or(pool.getDrainTimeout(), PoolOptions.DEFAULT_DRAIN_TIMEOUT), hikariPrefixes);
    }

    private boolean isSet(ConfigurationPropertyName name) {
        return binder.bind(name, Bindable.of(String.class)).isBound();
    }

    /**
     * The main node's connection: a {@link JdbcConnectionDetails} bean wins; else {@code piccolo.db.config};
     * else, when that gives no location, Spring Boot's own {@code spring.datasource.url/username/password}
     * read from the environment (not from a bean that may be absent), so an existing application only
     * adds the starter and its extra nodes.
     */
    private MainConnection mainConnection(Optional<JdbcConnectionDetails> connectionDetails) {
        Map<String, String> config = new LinkedHashMap<>(properties.getConfig());
        if (connectionDetails.isPresent()) {
            return new MainConnection(withConnection(config, connectionDetails.get()), true);
        }
        if (config.keySet().stream().anyMatch(LOCATION_KEYS::contains)) {
            return new MainConnection(config, false);
        }
        String url = binder.bind(SPRING_DATASOURCE_URL, String.class).orElse(null);
        if (url == null) {
            String host = PropertyNames.of(PostgresEngine.PRIMARY, EngineSetting.CONFIG_HOST);
            throw new EnginePropertyException(host, "No PostgreSQL server is configured for the main node: "
                    + PropertyNames.of(PostgresEngine.PRIMARY, EngineSetting.CONFIG) + " gives no host or url, and "
                    + SPRING_DATASOURCE_URL + " is not set.", "Set " + host + " and "
                    + PropertyNames.of(PostgresEngine.PRIMARY, EngineSetting.CONFIG_DATABASE) + ", or "
                    + SPRING_DATASOURCE_URL + "; if this application is not meant to use PostgreSQL here, set "
                    + PropertyNames.ENABLED + "=false.");
        }
        if (!url.startsWith(ConnectionUrls.JDBC_PREFIX)) {
            // The URL itself is not repeated: it may carry a password.
            throw new EnginePropertyException(SPRING_DATASOURCE_URL, SPRING_DATASOURCE_URL + " is not a PostgreSQL "
                    + "URL (it starts with '" + url.substring(0, Math.max(0, url.indexOf("//"))) + "//'). The Piccolo "
                    + "engine connects to PostgreSQL only, and takes the main node's connection from "
                    + SPRING_DATASOURCE_URL + " because " + PropertyNames.PREFIX + ".config gives no host or url.",
                    "Point it at PostgreSQL (jdbc:postgresql://host:port/database), or set " + PropertyNames.ENABLED
                            + "=false to leave this database to Spring Boot.");
        }
        config.put("url", url);
        binder.bind("spring.datasource.username", String.class).ifBound(user -> config.putIfAbsent("user", user));
        binder.bind("spring.datasource.password", String.class)
                .ifBound(password -> config.putIfAbsent("password", password));
        return new MainConnection(config, true);
    }

    private static Map<String, String> withConnection(Map<String, String> config, JdbcConnectionDetails details) {
        String url = details.getJdbcUrl();
        if (url == null || !url.startsWith(ConnectionUrls.JDBC_PREFIX)) {
            throw new EnginePropertyException(PropertyNames.PREFIX + ".service-connection", "A JdbcConnectionDetails "
                    + "bean (a service connection) gives a node a URL that is not PostgreSQL's ("
                    + ConnectionUrls.mask(url) + "). The Piccolo engine connects to PostgreSQL only.", "Connect a "
                    + "PostgreSQL service, or set " + PropertyNames.ENABLED + "=false.");
        }
        Map<String, String> connected = new LinkedHashMap<>(config);
        connected.keySet().removeAll(LOCATION_KEYS);
        connected.put("url", url);
        putIfNotNull(connected, "user", details.getUsername());
        putIfNotNull(connected, "password", details.getPassword());
        return connected;
    }

    /** What an extra node inherits: the main node's config, moved to its own service connection if it has one. */
    private static Map<String, String> nodeParentConfig(Map<String, String> mainConfig,
            JdbcConnectionDetails connection) {
        return connection != null ? withConnection(inherited(mainConfig, Map.of("url", connection.getJdbcUrl())),
                connection) : mainConfig;
    }

    private NodeConfig extraNode(String name, PiccoloDbProperties.ExtraNode node, Map<String, String> parentConfig,
            PoolOptions mainPool, List<ConfigurationPropertyName> mainPoolPrefixes) {
        PiccoloDbProperties.NodePool pool = node.getPool();
        // adapt() reads the name as property sources do, so a node name such as read_replica_1 matches.
        String shownPoolPrefix = PropertyNames.nodePrefix(name) + ".pool";
        ConfigurationPropertyName nodePoolPrefix = ConfigurationPropertyName.adapt(shownPoolPrefix, '.');
        poolCheck.warnAboutUnknownKeys(nodePoolPrefix, shownPoolPrefix);
        List<ConfigurationPropertyName> poolPrefixes = new ArrayList<>(mainPoolPrefixes);
        poolPrefixes.add(nodePoolPrefix);
        int maxSize = or(pool.getMaxSize(), mainPool.maxSize());
        return NodeConfig.builder()
                .config(inherited(parentConfig, node.getConfig()))
                .extensions(node.getExtensions())
                .logQueries(or(node.getLogQueries(), properties.isLogQueries()))
                .logResponses(or(node.getLogResponses(), properties.isLogResponses()))
                .logValues(or(node.getLogValues(), properties.isLogValues()))
                .readOnly(node.isReadOnly())
                .failFast(node.isFailFast())
                .fallback(node.getFallback())
                .maxLag(node.getMaxLag())
                .maxLagBytes(bytes(node.getMaxLagBytes()))
                .pool(poolOptions(name, maxSize, or(pool.getMinSize(), inheritedMinSize(mainPool, maxSize)),
                        or(pool.getDrainTimeout(), mainPool.drainTimeout()), poolPrefixes))
                .build();
    }

    /** The main node's min-size, but never more than the node's own smaller max-size. */
    private static Integer inheritedMinSize(PoolOptions mainPool, int maxSize) {
        return mainPool.minSize() != null ? Math.min(mainPool.minSize(), maxSize) : null;
    }

    /**
     * The parent's entries overridden by the node's own. A node that gives its location (a URL, or any of
     * host, port, database) keeps the parent's other settings, the parameters of the parent's URL
     * included (sslmode, sslrootcert, prepareThreshold, user, password), but not its location's form.
     */
    private static Map<String, String> inherited(Map<String, String> parent, Map<String, String> own) {
        Map<String, String> config = new LinkedHashMap<>(parent);
        if (own.keySet().stream().anyMatch(LOCATION_KEYS::contains)) {
            String parentUrl = config.containsKey("url") ? config.remove("url") : config.remove("dsn");
            if (ConnectionUrls.isPostgresUrl(parentUrl)) {
                // Separate entries win over the URL's parameters, as the engine reads a node's own URL.
                Map<String, String> read = new LinkedHashMap<>(ConnectionUrls.toConfig(parentUrl));
                read.putAll(config);
                config = read;
            }
            if (own.keySet().stream().anyMatch(URL_KEYS::contains)) {
                config.keySet().removeAll(LOCATION_KEYS);
            }
        }
        config.putAll(own);
        return config;
    }

    private PoolOptions poolOptions(String node, int maxSize, Integer minSize, Duration drainTimeout,
            List<ConfigurationPropertyName> hikariPrefixes) {
        PoolOptions.Builder options = PoolOptions.builder();
        validated(node, EngineSetting.POOL_MAX_SIZE, () -> options.maxSize(maxSize));
        if (minSize != null) {
            validated(node, EngineSetting.POOL_MIN_SIZE, () -> options.minSize(minSize));
        }
        validated(node, EngineSetting.POOL_DRAIN_TIMEOUT, () -> options.drainTimeout(drainTimeout));
        options.hikari(config -> hikariPrefixes.forEach(prefix -> binder.bind(prefix, Bindable.ofInstance(config))));
        return validated(node, EngineSetting.POOL_MIN_SIZE, options::build);
    }

    private static <T> T validated(String node, EngineSetting setting, Supplier<T> step) {
        try {
            return step.get();
        }
        catch (IllegalArgumentException ex) {
            throw new NodeConfigurationException(node, setting, "Node '" + node + "' has an impossible "
                    + PropertyNames.of(node, setting) + ": " + ex.getMessage() + ".", "Set a value within range. "
                    + setting.description());
        }
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static @Nullable Long bytes(@Nullable DataSize size) {
        return size != null ? size.toBytes() : null;
    }

    /** The main node's connection settings, and whether they came from Spring Boot's own sources. */
    private record MainConnection(Map<String, String> config, boolean dropIn) {
    }

    private static void putIfNotNull(Map<String, String> config, String key, String value) {
        if (value != null) {
            config.put(key, value);
        }
    }
}
