package dev.piccolo.engine.autoconfigure.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.RoutingListener;
import dev.piccolo.engine.UnknownNodeException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The gauge {@link PiccoloMeter#REPLICATION_LAG} of every node: bound for the nodes the engine starts with,
 * registered for each node added while the application runs and removed with it.
 */
final class ReplicationLagGauges implements MeterBinder, RoutingListener {

    private final ObjectProvider<PostgresEngine> engine;

    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

    private volatile @Nullable MeterRegistry registry;

    ReplicationLagGauges(ObjectProvider<PostgresEngine> engine) {
        this.engine = engine;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        engine.ifAvailable(available -> available.nodeNames().forEach(node -> register(registry, available, node)));
    }

    @Override
    public void onNodeAdded(String node) {
        MeterRegistry bound = registry;
        PostgresEngine available = engine.getIfAvailable();
        if (bound != null && available != null) {
            register(bound, available, node);
        }
    }

    @Override
    public void onNodeRemoved(String node) {
        MeterRegistry bound = registry;
        Gauge gauge = gauges.remove(node);
        if (bound != null && gauge != null) {
            bound.remove(gauge);
        }
    }

    private void register(MeterRegistry registry, PostgresEngine engine, String node) {
        gauges.put(node, Gauge.builder(PiccoloMeter.REPLICATION_LAG.meterName(), engine, running -> lagSeconds(running,
                node))
                .description(PiccoloMeter.REPLICATION_LAG.description())
                .baseUnit("seconds")
                .tag(PiccoloMeter.Tag.NODE.key(), node)
                .register(registry));
    }

    private static double lagSeconds(PostgresEngine engine, String node) {
        try {
            Duration lag = engine.nodeStatus(node).lag();
            return lag != null ? lag.toNanos() / 1e9 : Double.NaN;
        }
        catch (UnknownNodeException ex) {
            // Removed between a scrape's start and this gauge.
            return Double.NaN;
        }
    }
}
