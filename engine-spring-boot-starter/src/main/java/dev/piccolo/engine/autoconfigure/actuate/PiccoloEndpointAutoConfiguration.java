package dev.piccolo.engine.autoconfigure.actuate;

import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.autoconfigure.PiccoloDbProperties;
import dev.piccolo.engine.autoconfigure.PiccoloEngineAutoConfiguration;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code piccolo} endpoint ({@link PiccoloEndpoint}), when exposed
 * ({@code management.endpoints.web.exposure.include=piccolo}).
 *
 * @since 0.3
 */
@AutoConfiguration(after = PiccoloEngineAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(PostgresEngine.class)
@ConditionalOnAvailableEndpoint(PiccoloEndpoint.class)
public final class PiccoloEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PiccoloEndpoint piccoloEndpoint(PostgresEngine engine, PiccoloDbProperties properties) {
        return new PiccoloEndpoint(engine, properties.getEndpoint().getWriteRoles());
    }
}
