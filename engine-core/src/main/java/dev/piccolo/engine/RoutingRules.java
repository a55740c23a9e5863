package dev.piccolo.engine;

import java.util.List;
import java.util.Map;

/**
 * Checks, when the engine is built, that groups, fallbacks, lag limits and the read-only target name
 * what exists: no group shares a node's name, every member and fallback is a node, the read-only target
 * is a node or group, and lag limits have a health probe to measure lag.
 */
final class RoutingRules {

    private final List<String> nodeNames;

    private final Map<String, NodeGroup> groups;

    private final boolean probed;

    RoutingRules(List<String> nodeNames, Map<String, NodeGroup> groups, boolean probed) {
        this.nodeNames = nodeNames;
        this.groups = groups;
        this.probed = probed;
    }

    void check(Map<String, EngineNode> nodes, String readOnlyTarget) {
        groups.forEach(this::checkGroup);
        if (readOnlyTarget != null && !nodeNames.contains(readOnlyTarget) && !groups.containsKey(readOnlyTarget)) {
            throw new NodeConfigurationException(PostgresEngine.PRIMARY, "read-only-transactions", "Read-only "
                    + "transactions are sent to '" + readOnlyTarget + "', which is neither a node nor a group. Nodes: "
                    + nodeNames + "; groups: " + groups.keySet() + ".");
        }
        nodes.forEach((name, node) -> {
            requireNode(name, "fallback", node.config().fallback());
            if (node.config().maxLag() != null && !probed) {
                throw lagWithoutProbe(name, "max-lag");
            }
        });
    }

    private void checkGroup(String name, NodeGroup group) {
        if (name == null || name.isBlank()) {
            throw new NodeConfigurationException(String.valueOf(name), "node-groups", "A node group has an empty "
                    + "name. Give every group a name, e.g. replicas.");
        }
        if (nodeNames.contains(name)) {
            throw new NodeConfigurationException(name, "node-groups", "Node group '" + name + "' has the name of a "
                    + "node. Rename the group, e.g. to " + name + "_group.");
        }
        if (group.members().isEmpty()) {
            throw new NodeConfigurationException(name, "node-groups", "Node group '" + name + "' has no members. "
                    + "List the nodes it stands for.");
        }
        for (String member : group.members()) {
            if (!nodeNames.contains(member)) {
                throw new NodeConfigurationException(name, "node-groups", "Node group '" + name + "' lists '" + member
                        + "', which is not a node. Configured nodes: " + nodeNames + ".");
            }
        }
        requireNode(name, "node-group-options.fallback", group.fallback());
        if (group.maxLag() != null && !probed) {
            throw lagWithoutProbe(name, "node-group-options.max-lag");
        }
    }

    private void requireNode(String owner, String setting, String node) {
        if (node != null && !nodeNames.contains(node)) {
            throw new NodeConfigurationException(owner, setting, "'" + owner + "' falls back to '" + node
                    + "', which is not a node. Configured nodes: " + nodeNames + ".");
        }
    }

    private static NodeConfigurationException lagWithoutProbe(String owner, String setting) {
        return new NodeConfigurationException(owner, setting, "'" + owner + "' sets max-lag, but lag is measured by "
                + "the health probe, which is off. Turn it on (piccolo.db.health-probe.enabled=true in Spring Boot, "
                + "healthProbe(...) in Java) or remove max-lag.");
    }
}
