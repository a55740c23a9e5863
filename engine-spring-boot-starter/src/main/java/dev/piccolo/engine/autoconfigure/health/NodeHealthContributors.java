package dev.piccolo.engine.autoconfigure.health;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import dev.piccolo.engine.EngineNode;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.UnknownNodeException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;

/**
 * One health indicator per node the engine has when health is asked, so nodes added and removed while the
 * application runs come and go with it ({@code /actuator/health/piccolo/<node>}).
 */
final class NodeHealthContributors implements CompositeHealthContributor {

    private final PostgresEngine engine;

    /** By name, each for its node object: a node removed and added again under its name is another node. */
    private final Map<String, NodeHealthIndicator> indicators = new ConcurrentHashMap<>();

    NodeHealthContributors(PostgresEngine engine) {
        this.engine = engine;
    }

    @Override
    public @Nullable HealthContributor getContributor(String name) {
        try {
            return indicator(engine.node(name));
        }
        catch (UnknownNodeException ex) {
            return null;
        }
    }

    @Override
    public Stream<Entry> stream() {
        List<EngineNode> nodes = engine.nodes();
        // The indicators of removed nodes go, and with them the nodes they hold.
        indicators.keySet().retainAll(nodes.stream().map(EngineNode::name).toList());
        return nodes.stream().map(node -> new Entry(node.name(), indicator(node)));
    }

    private NodeHealthIndicator indicator(EngineNode node) {
        return indicators.compute(node.name(), (name, known) -> known != null && known.node() == node ? known
                : new NodeHealthIndicator(node));
    }
}
