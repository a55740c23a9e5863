package dev.piccolo.engine.autoconfigure;

import dev.piccolo.engine.EngineSetting;
import dev.piccolo.engine.PostgresEngine;

/** The {@code piccolo.db.*} property behind each {@link EngineSetting}, for messages and analyses. */
final class PropertyNames {

    /** Prefix of every engine property. */
    static final String PREFIX = PiccoloDbProperties.PREFIX;

    /** The switch that leaves the database to Spring Boot. */
    static final String ENABLED = PREFIX + ".enabled";

    private PropertyNames() {
    }

    /**
     * Returns the property prefix of a node's settings.
     *
     * @param node {@code primary} or an extra node's name
     * @return {@code piccolo.db} or {@code piccolo.db.extra-nodes.<node>}
     */
    static String nodePrefix(String node) {
        return PostgresEngine.PRIMARY.equals(node) ? PREFIX : PREFIX + ".extra-nodes." + node;
    }

    /**
     * Returns the property that holds a setting.
     *
     * @param owner the node or group the setting belongs to ({@code primary} for the engine's own)
     * @param setting the setting
     * @return e.g. {@code piccolo.db.extra-nodes.read_replica_1.config.port}
     */
    static String of(String owner, EngineSetting setting) {
        return switch (setting.scope()) {
            case ENGINE -> PREFIX + "." + setting.key();
            case NODE -> nodePrefix(owner) + "." + setting.key();
            case GROUP -> PREFIX + ".node-groups." + owner + (setting.key().isEmpty() ? "" : "." + setting.key());
        };
    }
}
