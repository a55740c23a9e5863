package dev.piccolo.engine.autoconfigure.actuate;

import dev.piccolo.engine.jdbc.ConnectionUrls;
import dev.piccolo.engine.autoconfigure.PiccoloDbProperties;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Masks the engine's secrets in {@code /actuator/env} and {@code /actuator/configprops} even where an
 * application shows values ({@code show-values: always}): node configs carry passwords as plain map
 * entries ({@code piccolo.db.config.password}, {@code ...extra-nodes.<name>.config.sslpassword}) and
 * inside URLs ({@code config.url}, {@code config.dsn}). Only {@code piccolo.db.*} keys are touched;
 * the rest of the application keeps its own sanitizing rules. Deliberately not conditional on the
 * engine: the properties hold their secrets whether or not the engine runs ({@code enabled=false}, an
 * H2 profile).
 *
 * @since 0.1
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class PiccoloSanitizingAutoConfiguration {

    @Bean
    SanitizingFunction piccoloSecretsSanitizer() {
        return data -> {
            if (!data.getKey().startsWith(PiccoloDbProperties.PREFIX + ".")) {
                return data;
            }
            if (ConnectionUrls.isSecretKey(data.getLowerCaseKey())) {
                return data.withSanitizedValue();
            }
            return data.getValue() instanceof String text ? data.withValue(ConnectionUrls.mask(text)) : data;
        };
    }
}
