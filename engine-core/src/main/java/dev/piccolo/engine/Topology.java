package dev.piccolo.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The engine's nodes and groups at one moment. Immutable: a change at run time builds a new one, which the
 * engine publishes whole, so a reader sees either the topology before a change or the one after it, never a
 * node that a group lists but the engine does not have.
 */
final class Topology {

    private final Map<String, EngineNode> nodes;

    private final List<String> nodeNames;

    private final Map<String, NodeGroup> groups;

    /** The node names, then the group names: what work may be bound to. */
    private final List<String> routable;

    Topology(Map<String, EngineNode> nodes, Map<String, NodeGroup> groups) {
        this.nodes = Map.copyOf(nodes);
        this.nodeNames = nodes.keySet().stream().sorted(NodeNames.ORDER).toList();
        this.groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        List<String> names = new ArrayList<>(nodeNames);
        names.addAll(groups.keySet());
        this.routable = List.copyOf(names);
    }

    Map<String, EngineNode> nodes() {
        return nodes;
    }

    /** The main node first, then extra nodes by name. */
    List<String> nodeNames() {
        return nodeNames;
    }

    /** The main node, which no change removes. */
    EngineNode primary() {
        return Objects.requireNonNull(nodes.get(NodeNames.PRIMARY), "the main node is never removed");
    }

    Map<String, NodeGroup> groups() {
        return groups;
    }

    /** The nodes and groups work may be bound to. */
    List<String> routable() {
        return routable;
    }

    boolean has(String name) {
        return nodes.containsKey(name) || groups.containsKey(name);
    }

    /** This topology with {@code node} added, or put in place of the node of the same name. */
    Topology with(EngineNode node) {
        Map<String, EngineNode> changed = new HashMap<>(nodes);
        changed.put(node.name(), node);
        return new Topology(changed, groups);
    }

    /** This topology without the node, which also leaves every group that listed it. */
    Topology without(String node) {
        Map<String, EngineNode> changed = new HashMap<>(nodes);
        changed.remove(node);
        Map<String, NodeGroup> regrouped = new LinkedHashMap<>();
        groups.forEach((name, group) -> regrouped.put(name, group.members().contains(node)
                ? group.withMembers(group.members().stream().filter(member -> !member.equals(node)).toList())
                : group));
        return new Topology(changed, regrouped);
    }

    /** This topology with the group added, or put in place of the group of the same name. */
    Topology with(String name, NodeGroup group) {
        Map<String, NodeGroup> changed = new LinkedHashMap<>(groups);
        changed.put(name, group);
        return new Topology(nodes, changed);
    }
}
