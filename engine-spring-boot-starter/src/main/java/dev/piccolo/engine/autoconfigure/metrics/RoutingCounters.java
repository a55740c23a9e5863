package dev.piccolo.engine.autoconfigure.metrics;

import java.util.Locale;

import dev.piccolo.engine.ReadYourWritesOutcome;
import dev.piccolo.engine.RoutingListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Counts routing decisions users watch: {@code piccolo.routing.joined} (work that asked for a node and
 * joined a transaction open on another), {@code piccolo.routing.fallbacks} (connections that went
 * to a fallback node) and {@code piccolo.routing.read-your-writes} (reads that had to see their session's
 * writes on a replica, by outcome: replica, waited, primary).
 */
final class RoutingCounters implements RoutingListener {

    private final ObjectProvider<MeterRegistry> registry;

    RoutingCounters(ObjectProvider<MeterRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public void onJoin(String requested, String node) {
        increment("piccolo.routing.joined",
                "Work that asked for a node or group and joined a transaction open on another node",
                Tags.of("requested", requested, "node", node));
    }

    @Override
    public void onFallback(String requested, String fallback) {
        increment("piccolo.routing.fallbacks", "Connections for a node or group that went to its fallback node "
                + "instead", Tags.of("requested", requested, "fallback", fallback));
    }

    @Override
    public void onReadYourWrites(String node, ReadYourWritesOutcome outcome) {
        increment("piccolo.routing.read-your-writes", "Reads that had to see their session's writes on a replica: "
                + "served by it at once, after waiting, or by the primary", Tags.of("node", node, "outcome",
                        outcome.name().toLowerCase(Locale.ROOT)));
    }

    private void increment(String name, String description, Tags tags) {
        Counter.builder(name).description(description).tags(tags).register(registry.getObject()).increment();
    }
}
