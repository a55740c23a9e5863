package dev.piccolo.engine.autoconfigure;

import dev.piccolo.engine.PostgresEngine;

/** The {@code piccolo.db.*} property behind a node's setting, for error messages. */
public final class PropertyNames {

    /** Prefix of every engine property. */
    public static final String PREFIX = "piccolo.db";

    private PropertyNames() {
    }

    /**
     * Returns the property prefix of a node's settings.
     *
     * @param node {@code primary} or an extra node's name
     * @return {@code piccolo.db} or {@code piccolo.db.extra-nodes.<node>}
     */
    public static String nodePrefix(String node) {
        return PostgresEngine.PRIMARY.equals(node) ? PREFIX : PREFIX + ".extra-nodes." + node;
    }

    /**
     * Returns the property that holds a node's setting.
     *
     * @param node {@code primary} or an extra node's name
     * @param setting the setting as the engine names it: {@code config.host}, {@code pool.max-size},
     * {@code extensions}, {@code name}, {@code fallback}, {@code max-lag}, {@code health-probe},
     * {@code node-groups} or {@code node-group-options.<option>} (for these two, {@code node} is the group),
     * or a Spring Boot property the main node's connection came from, such as {@code spring.datasource.url}
     * @return e.g. {@code piccolo.db.extra-nodes.read_replica_1.config.port}
     */
    public static String of(String node, String setting) {
        if (setting.startsWith("spring.")) {
            return setting;
        }
        if ("name".equals(setting)) {
            return PREFIX + ".extra-nodes";
        }
        if ("health-probe".equals(setting)) {
            return PREFIX + ".health-probe";
        }
        if ("node-groups".equals(setting)) {
            return PREFIX + ".node-groups." + node;
        }
        if (setting.startsWith("node-group-options")) {
            return PREFIX + ".node-group-options." + node + setting.substring("node-group-options".length());
        }
        return nodePrefix(node) + "." + setting;
    }
}
