package dev.piccolo.engine.autoconfigure.metrics;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.piccolo.engine.PoolCustomizer;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.RoutingListener;
import dev.piccolo.engine.autoconfigure.PiccoloEngineAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * HikariCP metrics ({@code hikaricp.connections.*}) for every node's pool, tagged with the pool
 * ({@code piccolo-<node>}) and the node ({@code node=<node>}); counters of routing fallbacks
 * ({@code piccolo.routing.fallbacks}) and of work that joined a transaction on another node
 * ({@code piccolo.routing.joined}); and a gauge of each node's replication lag
 * ({@code piccolo.node.replication.lag}, from the health probe).
 *
 * @since 0.1
 */
@AutoConfiguration(after = { MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class },
        before = PiccoloEngineAutoConfiguration.class)
@ConditionalOnClass({ MeterRegistry.class, MicrometerMetricsTrackerFactory.class })
@ConditionalOnBean(MeterRegistry.class)
public final class PiccoloMetricsAutoConfiguration {

    @Bean
    PoolCustomizer piccoloPoolMetrics(ObjectProvider<MeterRegistry> registry) {
        return (node, config) -> config.setMetricsTrackerFactory(
                new MicrometerMetricsTrackerFactory(registry.getObject()));
    }

    @Bean
    RoutingListener piccoloRoutingCounters(ObjectProvider<MeterRegistry> registry) {
        return new RoutingCounters(registry);
    }

    @Bean
    ReplicationLagGauges piccoloReplicationLagMetrics(ObjectProvider<PostgresEngine> engine) {
        return new ReplicationLagGauges(engine);
    }

    @Bean
    MeterFilter piccoloNodeTagFilter() {
        return new NodeTagMeterFilter();
    }
}
