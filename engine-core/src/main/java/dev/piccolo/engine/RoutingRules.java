package dev.piccolo.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Checks, when the engine is built and when its nodes change while it runs, that groups, fallbacks, lag limits and the read-only target name
 * what exists: no group shares a node's name, every member and fallback is a node, the read-only target
 * is a node or group; that lag limits and Patroni's REST API have a health probe to use them; and that
 * read-your-writes waits no negative time.
 */
final class RoutingRules {

    private final boolean probed;

    private final SettingNames settingNames;

    RoutingRules(boolean probed, SettingNames settingNames) {
        this.probed = probed;
        this.settingNames = settingNames;
    }

    /**
     * Checks a topology: the one the engine is built with, or one a change at run time would publish. Only a
     * discovered group may be without members (its work falls back or fails until one joins).
     */
    void check(Topology topology, @Nullable String readOnlyTarget) {
        List<String> nodeNames = topology.nodeNames();
        Map<String, NodeGroup> groups = topology.groups();
        groups.forEach((name, group) -> checkGroup(name, group, nodeNames, !group.discovered()));
        if (readOnlyTarget != null && !nodeNames.contains(readOnlyTarget) && !groups.containsKey(readOnlyTarget)) {
            throw new NodeConfigurationException(NodeNames.PRIMARY, EngineSetting.READ_ONLY_TRANSACTIONS,
                    "Read-only transactions are sent to '" + readOnlyTarget + "', which is neither a node nor a "
                    + "group.", "Name one of the nodes " + nodeNames + " or groups " + groups.keySet() + ".");
        }
        topology.nodes().forEach((name, node) -> {
            requireNode(name, EngineSetting.FALLBACK, node.config().fallback(), nodeNames);
            checkLagLimits(name, node.config().maxLag(), EngineSetting.MAX_LAG, node.config().maxLagBytes(),
                    EngineSetting.MAX_LAG_BYTES);
        });
    }

    /** Patroni's REST API is asked by the health probe: configured without it, it would do nothing. */
    void checkPatroni(boolean configured) {
        if (configured && !probed) {
            throw withoutProbe(NodeNames.PRIMARY, EngineSetting.PATRONI_REST_URLS, "Patroni's REST API is configured, "
                    + "but it is asked by the health probe, which is off.",
                    settingNames.of(NodeNames.PRIMARY, EngineSetting.PATRONI_REST_URLS));
        }
    }

    void checkReadYourWrites(@Nullable Duration maxWait) {
        if (maxWait != null && maxWait.isNegative()) {
            throw new NodeConfigurationException(NodeNames.PRIMARY, EngineSetting.READ_YOUR_WRITES_MAX_WAIT, "Reads "
                    + "would wait " + maxWait + " for a standby.", "Set zero (go to the primary at once) or more, "
                    + "e.g. 50ms.");
        }
    }

    private void checkGroup(String name, NodeGroup group, List<String> nodeNames, boolean needsMembers) {
        if (name == null || name.isBlank()) {
            throw new NodeConfigurationException(String.valueOf(name), EngineSetting.NODE_GROUP, "A node group has "
                    + "an empty name.", "Give every group a name, e.g. replicas.");
        }
        if (nodeNames.contains(name)) {
            throw new NodeConfigurationException(name, EngineSetting.NODE_GROUP, "Node group '" + name + "' has the "
                    + "name of a node.", "Rename the group, e.g. to " + name + "_group.");
        }
        if (needsMembers && group.members().isEmpty()) {
            throw new NodeConfigurationException(name, EngineSetting.GROUP_MEMBERS, "Node group '" + name + "' has "
                    + "no members.", "List the nodes it stands for.");
        }
        for (String member : group.members()) {
            if (!nodeNames.contains(member)) {
                throw new NodeConfigurationException(name, EngineSetting.GROUP_MEMBERS, "Node group '" + name
                        + "' lists '" + member + "', which is not a node.", "List only configured nodes: " + nodeNames
                        + ".");
            }
        }
        requireNode(name, EngineSetting.GROUP_FALLBACK, group.fallback(), nodeNames);
        checkLagLimits(name, group.maxLag(), EngineSetting.GROUP_MAX_LAG, group.maxLagBytes(),
                EngineSetting.GROUP_MAX_LAG_BYTES);
    }

    private static void requireNode(String owner, EngineSetting setting, @Nullable String node,
            List<String> nodeNames) {
        if (node != null && !nodeNames.contains(node)) {
            throw new NodeConfigurationException(owner, setting, "'" + owner + "' falls back to '" + node
                    + "', which is not a node.", "Name one of the configured nodes: " + nodeNames + ".");
        }
    }

    private void checkLagLimits(String owner, @Nullable Duration maxLag, EngineSetting maxLagSetting,
            @Nullable Long maxLagBytes,
            EngineSetting maxLagBytesSetting) {
        if (maxLag != null && !probed) {
            throw lagWithoutProbe(owner, maxLagSetting);
        }
        if (maxLagBytes != null && !probed) {
            throw lagWithoutProbe(owner, maxLagBytesSetting);
        }
        if (maxLagBytes != null && maxLagBytes < 0) {
            throw new NodeConfigurationException(owner, maxLagBytesSetting, "'" + owner + "' sets max-lag-bytes to "
                    + maxLagBytes + ".", "Set zero or more bytes, e.g. 16MB.");
        }
    }

    private NodeConfigurationException lagWithoutProbe(String owner, EngineSetting setting) {
        return withoutProbe(owner, setting, "'" + owner + "' sets " + setting.key() + ", but lag is measured by the "
                + "health probe, which is off.", setting.key());
    }

    private NodeConfigurationException withoutProbe(String owner, EngineSetting setting, String problem,
            String remove) {
        return new NodeConfigurationException(owner, setting, problem, "Turn on the health probe ("
                + settingNames.of(NodeNames.PRIMARY, EngineSetting.HEALTH_PROBE) + ") or remove " + remove + ".");
    }
}
