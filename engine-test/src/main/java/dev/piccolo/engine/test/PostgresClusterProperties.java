package dev.piccolo.engine.test;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cluster's connection settings as {@code piccolo.db.*} properties: the primary under
 * {@code piccolo.db.config.*}, replica {@code i} under
 * {@code piccolo.db.extra-nodes.read_replica_i.config.*}. Use them with any Spring test setup, e.g.
 * {@code ApplicationContextRunner.withPropertyValues} or a {@code @DynamicPropertySource}.
 */
public final class PostgresClusterProperties {

    /** Prefix of the main node's driver settings. */
    public static final String MAIN_NODE_PREFIX = "piccolo.db.config.";

    private PostgresClusterProperties() {
    }

    /**
     * Returns the settings of every node of the cluster.
     *
     * @param cluster a running cluster
     * @return property names and values, in a stable order
     */
    public static Map<String, String> of(PostgresCluster cluster) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (ClusterNode node : cluster.nodes()) {
            String prefix = node.isPrimary() ? MAIN_NODE_PREFIX : extraNodePrefix(node.name());
            properties.put(prefix + "host", node.host());
            properties.put(prefix + "port", Integer.toString(node.port()));
            properties.put(prefix + "database", node.database());
            properties.put(prefix + "user", node.user());
            properties.put(prefix + "password", node.password());
        }
        return properties;
    }

    /**
     * Returns the settings as {@code name=value} pairs, the form {@code withPropertyValues} takes.
     *
     * @param cluster a running cluster
     * @return one {@code name=value} string per property
     */
    public static String[] asPairs(PostgresCluster cluster) {
        return of(cluster).entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue())
                .toArray(String[]::new);
    }

    /**
     * Returns the prefix of an extra node's driver settings.
     *
     * @param node the extra node's name, e.g. {@code read_replica_1}
     * @return {@code piccolo.db.extra-nodes.<node>.config.}
     */
    public static String extraNodePrefix(String node) {
        return "piccolo.db.extra-nodes." + node + ".config.";
    }
}
