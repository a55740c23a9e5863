package dev.piccolo.engine.test;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cluster's connection settings as {@code piccolo.db.*} properties: the primary under
 * {@code piccolo.db.config.*}, replica {@code i} under
 * {@code piccolo.db.extra-nodes.read_replica_i.config.*}. Use them with any Spring test setup, e.g.
 * {@code ApplicationContextRunner.withPropertyValues} or a {@code @DynamicPropertySource}.
 *
 * @since 0.1
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
     * Returns the settings as {@code name=value} pairs, the form {@code withPropertyValues} takes, with
     * {@code overrides} replacing or adding pairs by name (command-line arguments would join a repeated
     * name's values with a comma instead).
     *
     * @param cluster a running cluster
     * @param overrides more {@code name=value} pairs; a name the cluster sets is replaced
     * @return one {@code name=value} string per property
     */
    public static String[] asPairs(PostgresCluster cluster, String... overrides) {
        Map<String, String> properties = of(cluster);
        for (String pair : overrides) {
            int equals = pair.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("Not a name=value pair: " + pair);
            }
            properties.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return properties.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue())
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
