package dev.piccolo.engine.autoconfigure;

import java.util.Set;

import dev.piccolo.engine.EngineSetting;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.SettingNames;

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

    /**
     * Returns the naming of an application's settings, which also knows the nodes that no property configures:
     * a discovered member's connection comes from its group's {@code discovery.config} over the main node's,
     * and everything else of it, as of a node added through the endpoint, from the main node's.
     *
     * @param extraNodes the extra nodes of {@code piccolo.db.extra-nodes}
     * @param discoveringGroups the groups with discovery, whose members are named {@code <group>.<member>}
     * @return the naming
     */
    static SettingNames forApplication(Set<String> extraNodes, Set<String> discoveringGroups) {
        Set<String> configured = Set.copyOf(extraNodes);
        Set<String> discovering = Set.copyOf(discoveringGroups);
        return (owner, setting) -> {
            if (setting.scope() != EngineSetting.Scope.NODE || PostgresEngine.PRIMARY.equals(owner)
                    || configured.contains(owner)) {
                return of(owner, setting);
            }
            String group = discovering.stream().filter(name -> owner.startsWith(name + ".")).findFirst().orElse(null);
            return group != null && setting.key().startsWith("config.")
                    ? of(group, EngineSetting.GROUP_DISCOVERY) + "." + setting.key()
                    : of(PostgresEngine.PRIMARY, setting);
        };
    }
}
