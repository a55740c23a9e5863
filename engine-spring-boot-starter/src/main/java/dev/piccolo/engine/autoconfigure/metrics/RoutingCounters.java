package dev.piccolo.engine.autoconfigure.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.piccolo.engine.ReadYourWritesOutcome;
import dev.piccolo.engine.RoutingListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Counts the routing decisions users watch: {@link PiccoloMeter#ROUTING_JOINED},
 * {@link PiccoloMeter#ROUTING_FALLBACKS} and {@link PiccoloMeter#ROUTING_READ_YOUR_WRITES}.
 */
final class RoutingCounters implements RoutingListener {

    private final ObjectProvider<MeterRegistry> registry;

    RoutingCounters(ObjectProvider<MeterRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public void onJoin(String requested, String node) {
        increment(PiccoloMeter.ROUTING_JOINED, requested, node);
    }

    @Override
    public void onFallback(String requested, String fallback) {
        increment(PiccoloMeter.ROUTING_FALLBACKS, requested, fallback);
    }

    @Override
    public void onReadYourWrites(String node, ReadYourWritesOutcome outcome) {
        increment(PiccoloMeter.ROUTING_READ_YOUR_WRITES, node, outcome.name().toLowerCase(Locale.ROOT));
    }

    /** Increments {@code meter}, its tags' values given in the order of {@link PiccoloMeter#tags()}. */
    private void increment(PiccoloMeter meter, String... values) {
        List<PiccoloMeter.Tag> keys = meter.tags();
        List<Tag> tags = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            tags.add(Tag.of(keys.get(i).key(), values[i]));
        }
        Counter.builder(meter.meterName()).description(meter.description()).tags(tags).register(registry.getObject())
                .increment();
    }
}
