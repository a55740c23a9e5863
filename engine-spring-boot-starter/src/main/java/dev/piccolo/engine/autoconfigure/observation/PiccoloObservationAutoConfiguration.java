package dev.piccolo.engine.autoconfigure.observation;

import dev.piccolo.engine.NodeContext;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.autoconfigure.PiccoloEngineAutoConfiguration;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.ObservationFilter;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Adds the node that JDBC work ran on to its Micrometer observations (and so to traces and metrics):
 * every observation named {@code jdbc.*} (datasource-micrometer's {@code jdbc.connection},
 * {@code jdbc.query}, {@code jdbc.result-set}) gets the low-cardinality key {@value NodeContext#KEY}: the
 * node that served the thread's last statement, which is where the work really ran, also when it joined a
 * transaction on another node, fell back or was sent by read-only routing.
 *
 * @since 0.1
 */
@AutoConfiguration(after = PiccoloEngineAutoConfiguration.class)
@ConditionalOnClass(ObservationFilter.class)
@ConditionalOnBean(PostgresEngine.class)
public final class PiccoloObservationAutoConfiguration {

    @Bean
    ObservationFilter piccoloNodeObservationFilter(NodeContext nodeContext) {
        return context -> context.getName() != null && context.getName().startsWith("jdbc.")
                ? context.addLowCardinalityKeyValue(KeyValue.of(NodeContext.KEY,
                        nodeContext.lastServedNode().orElseGet(nodeContext::current)))
                : context;
    }
}
