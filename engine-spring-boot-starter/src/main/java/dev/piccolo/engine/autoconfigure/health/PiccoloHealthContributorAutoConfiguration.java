package dev.piccolo.engine.autoconfigure.health;

import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.autoconfigure.PiccoloEngineAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Health contributor {@code piccolo}: one entry per node of the engine
 * ({@code /actuator/health/piccolo/read_replica_1}).
 *
 * @since 0.1
 */
@AutoConfiguration(after = PiccoloEngineAutoConfiguration.class)
@ConditionalOnClass(CompositeHealthContributor.class)
@ConditionalOnBean(PostgresEngine.class)
@ConditionalOnEnabledHealthIndicator("piccolo")
public final class PiccoloHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "piccoloHealthContributor")
    CompositeHealthContributor piccoloHealthContributor(PostgresEngine engine) {
        return new NodeHealthContributors(engine);
    }
}
