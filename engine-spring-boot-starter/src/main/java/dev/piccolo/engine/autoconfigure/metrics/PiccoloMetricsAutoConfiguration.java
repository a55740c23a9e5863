package dev.piccolo.engine.autoconfigure.metrics;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.piccolo.engine.EngineNode;
import dev.piccolo.engine.PoolCustomizer;
import dev.piccolo.engine.autoconfigure.PiccoloEngineAutoConfiguration;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
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
 * ({@code piccolo-<node>}) and the node ({@code node=<node>}).
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
    MeterFilter piccoloNodeTagFilter() {
        return new MeterFilter() {

            @Override
            public Meter.Id map(Meter.Id id) {
                String pool = id.getName().startsWith("hikaricp.") ? id.getTag("pool") : null;
                if (pool == null || !pool.startsWith(EngineNode.POOL_NAME_PREFIX)) {
                    return id;
                }
                return id.withTag(Tag.of("node", pool.substring(EngineNode.POOL_NAME_PREFIX.length())));
            }
        };
    }
}
