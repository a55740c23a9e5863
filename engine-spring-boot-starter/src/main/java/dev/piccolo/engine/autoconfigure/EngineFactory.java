package dev.piccolo.engine.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariConfig;
import dev.piccolo.engine.HealthProbeOptions;
import dev.piccolo.engine.NodeConfig;
import dev.piccolo.engine.NodeConfigurationException;
import dev.piccolo.engine.NodeGroup;
import dev.piccolo.engine.PoolCustomizer;
import dev.piccolo.engine.PoolOptions;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.RoutingListener;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * Turns {@link PiccoloDbProperties} into a {@link PostgresEngine}: the main node from
 * {@code piccolo.db.*} (its connection from a {@link JdbcConnectionDetails} bean when there is one),
 * each extra node inheriting every setting it does not set, and pool options per node with the
 * remaining {@code pool.*} keys bound onto {@link HikariConfig}.
 */
final class EngineFactory {

    private static final ConfigurationPropertyName MAIN_POOL_PREFIX = ConfigurationPropertyName
            .of(PropertyNames.PREFIX + ".pool");

    private static final Set<String> LOCATION_KEYS = Set.of("host", "port", "database");

    private final PiccoloDbProperties properties;

    private final Binder binder;

    EngineFactory(PiccoloDbProperties properties, Binder binder) {
        this.properties = properties;
        this.binder = binder;
    }

    PostgresEngine create(JdbcConnectionDetails connectionDetails, DataSourceProperties springDataSource,
            PoolCustomizer poolCustomizer, RoutingListener routingListener) {
        Map<String, String> mainConfig = mainConfig(connectionDetails, springDataSource);
        NodeConfig main = NodeConfig.builder()
                .config(mainConfig)
                .extensions(properties.getExtensions())
                .logQueries(properties.isLogQueries())
                .logResponses(properties.isLogResponses())
                .pool(mainPoolOptions())
                .build();
        PostgresEngine.Builder builder = PostgresEngine.builder(main)
                .extensionFailurePolicy(properties.getExtensionFailurePolicy())
                .startupChecks(properties.isStartupChecks())
                .poolCustomizer(poolCustomizer)
                .routingListener(routingListener)
                .readOnlyTransactions(properties.getReadOnlyTransactions())
                .nodeSwitchPolicy(properties.getNodeSwitchInTransaction());
        properties.getExtraNodes().forEach((name, node) -> builder.extraNode(name, extraNode(name, node, mainConfig)));
        properties.getNodeGroups().forEach((name, members) -> builder.nodeGroup(name, nodeGroup(name, members)));
        properties.getNodeGroupOptions().keySet().stream()
                .filter(name -> !properties.getNodeGroups().containsKey(name))
                .findFirst()
                .ifPresent(name -> {
                    throw new NodeConfigurationException(name, "node-group-options", "Options are set for node group '"
                            + name + "', which is not configured. Add piccolo.db.node-groups." + name
                            + " with its members, or remove the options.");
                });
        PiccoloDbProperties.HealthProbe probe = properties.getHealthProbe();
        if (probe.isEnabled()) {
            builder.healthProbe(validated(PostgresEngine.PRIMARY, "health-probe",
                    () -> new HealthProbeOptions(probe.getInterval(), probe.getTimeout())));
        }
        return builder.build();
    }

    private NodeGroup nodeGroup(String name, List<String> members) {
        PiccoloDbProperties.NodeGroupOptions options = properties.getNodeGroupOptions()
                .getOrDefault(name, new PiccoloDbProperties.NodeGroupOptions());
        return NodeGroup.of(members).balancing(options.getBalancing()).fallback(options.getFallback())
                .maxLag(options.getMaxLag()).build();
    }

    private PoolOptions mainPoolOptions() {
        PiccoloDbProperties.Pool pool = properties.getPool();
        return poolOptions(PostgresEngine.PRIMARY, pool.getMaxSize(), pool.getMinSize(), pool.getDrainTimeout(),
                List.of(MAIN_POOL_PREFIX));
    }

    /**
     * The main node's connection: a {@link JdbcConnectionDetails} bean wins; else {@code piccolo.db.config};
     * else, when that gives no host or url, Spring Boot's own {@code spring.datasource.url/username/password},
     * so an existing application only adds the starter and its extra nodes.
     */
    private Map<String, String> mainConfig(JdbcConnectionDetails connectionDetails,
            DataSourceProperties springDataSource) {
        Map<String, String> config = new LinkedHashMap<>(properties.getConfig());
        if (connectionDetails != null) {
            config.keySet().removeAll(LOCATION_KEYS);
            config.put("url", connectionDetails.getJdbcUrl());
            putIfNotNull(config, "user", connectionDetails.getUsername());
            putIfNotNull(config, "password", connectionDetails.getPassword());
        }
        else if (!config.containsKey("host") && !config.containsKey("url") && springDataSource != null
                && springDataSource.getUrl() != null) {
            config.put("url", springDataSource.getUrl());
            if (springDataSource.getUsername() != null) {
                config.putIfAbsent("user", springDataSource.getUsername());
            }
            if (springDataSource.getPassword() != null) {
                config.putIfAbsent("password", springDataSource.getPassword());
            }
        }
        return config;
    }

    private NodeConfig extraNode(String name, PiccoloDbProperties.ExtraNode node, Map<String, String> mainConfig) {
        PiccoloDbProperties.Pool mainPool = properties.getPool();
        PiccoloDbProperties.NodePool pool = node.getPool();
        // adapt() reads the name as property sources do, so a node name such as read_replica_1 matches.
        ConfigurationPropertyName nodePoolPrefix = ConfigurationPropertyName
                .adapt(PropertyNames.nodePrefix(name) + ".pool", '.');
        return NodeConfig.builder()
                .config(inheritedConfig(mainConfig, node.getConfig()))
                .extensions(node.getExtensions())
                .logQueries(node.getLogQueries() != null ? node.getLogQueries() : properties.isLogQueries())
                .logResponses(node.getLogResponses() != null ? node.getLogResponses() : properties.isLogResponses())
                .readOnly(node.isReadOnly())
                .failFast(node.isFailFast())
                .fallback(node.getFallback())
                .maxLag(node.getMaxLag())
                .pool(poolOptions(name, or(pool.getMaxSize(), mainPool.getMaxSize()),
                        or(pool.getMinSize(), mainPool.getMinSize()),
                        or(pool.getDrainTimeout(), mainPool.getDrainTimeout()),
                        List.of(MAIN_POOL_PREFIX, nodePoolPrefix)))
                .build();
    }

    /**
     * The main node's entries overridden by the node's own; a node that gives its location one way
     * (url, or host/port/database) does not inherit the other.
     */
    private static Map<String, String> inheritedConfig(Map<String, String> mainConfig, Map<String, String> own) {
        Map<String, String> config = new LinkedHashMap<>(mainConfig);
        if (own.containsKey("url")) {
            config.keySet().removeAll(LOCATION_KEYS);
        }
        if (own.keySet().stream().anyMatch(LOCATION_KEYS::contains) && config.containsKey("url")) {
            config.putAll(locationOf(config.remove("url")));
        }
        config.putAll(own);
        return config;
    }

    /** The host, port and database of a PgJDBC URL, so a node that gives only its host inherits the rest. */
    private static Map<String, String> locationOf(String url) {
        Properties parsed = Driver.parseURL(url, null);
        Map<String, String> location = new LinkedHashMap<>();
        if (parsed != null) {
            putIfNotNull(location, "host", parsed.getProperty(PGProperty.PG_HOST.getName()));
            putIfNotNull(location, "port", parsed.getProperty(PGProperty.PG_PORT.getName()));
            putIfNotNull(location, "database", parsed.getProperty(PGProperty.PG_DBNAME.getName()));
        }
        return location;
    }

    private PoolOptions poolOptions(String node, int maxSize, Integer minSize, Duration drainTimeout,
            List<ConfigurationPropertyName> hikariPrefixes) {
        PoolOptions.Builder options = PoolOptions.builder();
        validated(node, "pool.max-size", () -> options.maxSize(maxSize));
        if (minSize != null) {
            validated(node, "pool.min-size", () -> options.minSize(minSize));
        }
        validated(node, "pool.drain-timeout", () -> options.drainTimeout(drainTimeout));
        options.hikari(config -> hikariPrefixes.forEach(prefix -> binder.bind(prefix, Bindable.ofInstance(config))));
        return validated(node, "pool.min-size", options::build);
    }

    private static <T> T validated(String node, String setting, Supplier<T> step) {
        try {
            return step.get();
        }
        catch (IllegalArgumentException ex) {
            throw new NodeConfigurationException(node, setting, "Node '" + node + "' has an impossible setting: "
                    + ex.getMessage() + ". Set " + PropertyNames.of(node, setting) + " to a value within range.");
        }
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static void putIfNotNull(Map<String, String> config, String key, String value) {
        if (value != null) {
            config.put(key, value);
        }
    }
}
