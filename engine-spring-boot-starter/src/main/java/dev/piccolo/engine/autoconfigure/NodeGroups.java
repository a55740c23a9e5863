package dev.piccolo.engine.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.piccolo.engine.NodeGroup;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.util.unit.DataSize;

/**
 * The node groups of {@code piccolo.db.node-groups}: the ones written with {@code members}, and the ones
 * written in the short form {@code node-groups.<name>: [a, b]}, which binds to no group property and is read
 * here as the members. Version 0.1's {@code node-group-options} is refused, naming where its keys went.
 */
final class NodeGroups {

    private static final String NODE_GROUPS_PREFIX = PropertyNames.PREFIX + ".node-groups";

    /** Where version 0.1 read a group's balancing, fallback and lag limit. */
    private static final String RETIRED_GROUP_OPTIONS_PREFIX = PropertyNames.PREFIX + ".node-group-options";

    private NodeGroups() {
    }

    /**
     * Reads every group.
     *
     * @param bound the groups bound onto {@link PiccoloDbProperties}
     * @param binder the environment's binder, for the short form and the retired options
     * @return each group by name
     * @throws EnginePropertyException when version 0.1's group options are set
     */
    static Map<String, NodeGroup> read(Map<String, PiccoloDbProperties.Group> bound, Binder binder) {
        rejectRetiredGroupOptions(binder);
        Map<String, PiccoloDbProperties.Group> groups = new LinkedHashMap<>(bound);
        binder.bind(NODE_GROUPS_PREFIX, Bindable.mapOf(String.class, Object.class)).ifBound(all -> all.keySet()
                .stream()
                .filter(name -> !groups.containsKey(name))
                .forEach(name -> groups.put(name, PiccoloDbProperties.Group.of(binder
                        .bind(NODE_GROUPS_PREFIX + "." + name, Bindable.listOf(String.class))
                        .orElse(List.of())))));
        Map<String, NodeGroup> read = new LinkedHashMap<>();
        groups.forEach((name, group) -> read.put(name, nodeGroup(group)));
        return read;
    }

    private static NodeGroup nodeGroup(PiccoloDbProperties.Group group) {
        NodeGroup.Builder built = NodeGroup.of(group.getMembers()).fallback(group.getFallback())
                .maxLag(group.getMaxLag()).maxLagBytes(bytes(group.getMaxLagBytes()));
        if (group.getBalancing() != null) {
            built.balancing(group.getBalancing());
        }
        if (group.getDiscovery().isConfigured()) {
            built.discovered();
        }
        return built.build();
    }

    /** Boot's binder drops properties no field takes, so a 0.1 lag limit would vanish without a word. */
    private static void rejectRetiredGroupOptions(Binder binder) {
        binder.bind(RETIRED_GROUP_OPTIONS_PREFIX, Bindable.mapOf(String.class, Object.class)).ifBound(options -> {
            String group = options.keySet().iterator().next();
            throw new EnginePropertyException(RETIRED_GROUP_OPTIONS_PREFIX + "." + group, "Node group '" + group
                    + "' sets options under " + RETIRED_GROUP_OPTIONS_PREFIX + ", which version 0.2 no longer reads.",
                    "Move them beside the group's members: " + NODE_GROUPS_PREFIX + "." + group
                            + ".{members, balancing, fallback, max-lag}.");
        });
    }

    /** A size in bytes, as the engine takes it. */
    static @Nullable Long bytes(@Nullable DataSize size) {
        return size != null ? size.toBytes() : null;
    }
}
