package dev.piccolo.engine.autoconfigure;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.zaxxer.hikari.HikariConfig;
import dev.piccolo.engine.EngineSetting;
import dev.piccolo.engine.HealthProbeOptions;
import dev.piccolo.engine.NodeConfig;
import dev.piccolo.engine.PoolCustomizer;
import dev.piccolo.engine.PoolOptions;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.RoutingListener;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * Turns {@link PiccoloDbProperties} into a {@link PostgresEngine}: the main node from {@code piccolo.db.*}
 * (its connection read by {@link MainNodeConnection}), each extra node inheriting every setting it does not
 * set ({@link NodeInheritance}), pool options per node with the remaining {@code pool.*} keys bound onto
 * {@link HikariConfig} ({@link NodePoolOptions}), and the node groups ({@link NodeGroups}).
 */
final class EngineFactory {

    private final PiccoloDbProperties properties;

    private final Binder binder;

    private final PoolSettingsCheck poolCheck;

    private final NodePoolOptions poolOptions;

    EngineFactory(PiccoloDbProperties properties, Binder binder) {
        this.properties = properties;
        this.binder = binder;
        this.poolCheck = new PoolSettingsCheck(binder);
        this.poolOptions = new NodePoolOptions(binder);
    }

    PostgresEngine create(Map<String, JdbcConnectionDetails> connectionBeans, PoolCustomizer poolCustomizer,
            RoutingListener routingListener) {
        ServiceConnections connections = new ServiceConnections(connectionBeans);
        Map<String, JdbcConnectionDetails> extraConnections = new LinkedHashMap<>();
        properties.getExtraNodes().forEach((name, node) -> connections
                .takeForExtraNode(name, node.getServiceConnection())
                .ifPresent(details -> extraConnections.put(name, details)));
        MainNodeConnection mainConnection = MainNodeConnection.read(properties.getConfig(),
                connections.takeForMainNode(properties.getServiceConnection()), binder);
        List<ConfigurationPropertyName> mainPoolPrefixes = mainConnection.dropIn()
                ? List.of(NodePoolOptions.SPRING_HIKARI_PREFIX, NodePoolOptions.MAIN_POOL_PREFIX)
                : List.of(NodePoolOptions.MAIN_POOL_PREFIX);
        if (!mainConnection.dropIn()) {
            poolCheck.warnAboutIgnoredSpringHikari();
        }
        poolCheck.warnAboutUnknownKeys(NodePoolOptions.MAIN_POOL_PREFIX, NodePoolOptions.MAIN_POOL_PREFIX.toString());
        PoolOptions mainPool = poolOptions.main(properties.getPool(), mainConnection.dropIn(), mainPoolPrefixes);
        NodeConfig main = NodeConfig.builder()
                .config(mainConnection.config())
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
                .rampUp(properties.getRampUp())
                .settingNames(PropertyNames.forApplication(properties.getExtraNodes().keySet(),
                        discoveringGroups()));
        properties.getExtraNodes().forEach((name, node) -> builder.extraNode(name,
                extraNode(name, node, mainConnection.parentOf(extraConnections.get(name)), mainPool,
                        mainPoolPrefixes)));
        NodeGroups.read(properties.getNodeGroups(), binder).forEach(builder::nodeGroup);
        PiccoloDbProperties.HealthProbe probe = properties.getHealthProbe();
        if (probe.isEnabled()) {
            builder.healthProbe(NodePoolOptions.validated(PostgresEngine.PRIMARY, EngineSetting.HEALTH_PROBE,
                    () -> new HealthProbeOptions(probe.getInterval(), probe.getTimeout())));
        }
        return builder.build();
    }

    private Set<String> discoveringGroups() {
        Set<String> groups = new HashSet<>();
        properties.getNodeGroups().forEach((name, group) -> {
            if (group.getDiscovery().isConfigured()) {
                groups.add(name);
            }
        });
        return groups;
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
        Integer minSize = pool.getMinSize() != null ? pool.getMinSize() : NodeInheritance.minSize(mainPool, maxSize);
        return NodeConfig.builder()
                .config(NodeInheritance.inherited(parentConfig, node.getConfig()))
                .extensions(node.getExtensions())
                .logQueries(or(node.getLogQueries(), properties.isLogQueries()))
                .logResponses(or(node.getLogResponses(), properties.isLogResponses()))
                .logValues(or(node.getLogValues(), properties.isLogValues()))
                .readOnly(node.isReadOnly())
                .failFast(node.isFailFast())
                .fallback(node.getFallback())
                .maxLag(node.getMaxLag())
                .maxLagBytes(NodeGroups.bytes(node.getMaxLagBytes()))
                .pool(poolOptions.of(name, maxSize, minSize, or(pool.getDrainTimeout(), mainPool.drainTimeout()),
                        poolPrefixes))
                .build();
    }

    private static <T> T or(@Nullable T value, T fallback) {
        return value != null ? value : fallback;
    }
}
