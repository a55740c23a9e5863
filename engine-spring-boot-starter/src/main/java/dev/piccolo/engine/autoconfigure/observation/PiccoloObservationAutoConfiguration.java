package dev.piccolo.engine.autoconfigure.observation;

import dev.piccolo.engine.NodeContext;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.ObservationFilter;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Adds the node that JDBC work ran on to its Micrometer observations (and so to traces and metrics):
 * every observation named {@code jdbc.*} (datasource-micrometer's {@code jdbc.connection},
 * {@code jdbc.query}, {@code jdbc.result-set}) gets the low-cardinality key {@value #NODE_KEY}, the
 * node or group bound when it stopped.
 */
@AutoConfiguration
@ConditionalOnClass(ObservationFilter.class)
public final class PiccoloObservationAutoConfiguration {

    /** The key the node is recorded under. */
    public static final String NODE_KEY = "piccolo.node";

    @Bean
    ObservationFilter piccoloNodeObservationFilter() {
        return context -> context.getName() != null && context.getName().startsWith("jdbc.")
                ? context.addLowCardinalityKeyValue(KeyValue.of(NODE_KEY, NodeContext.current())) : context;
    }
}
