package dev.piccolo.engine.autoconfigure.actuate;

import dev.piccolo.engine.NodeConfig;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Masks passwords in {@code /actuator/env} and {@code /actuator/configprops} even where an
 * application shows values ({@code show-values: always}), since node configs carry them as plain map
 * entries ({@code piccolo.db.config.password}, {@code ...extra-nodes.<name>.config.sslpassword}).
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class PiccoloSanitizingAutoConfiguration {

    @Bean
    SanitizingFunction piccoloPasswordSanitizer() {
        return data -> NodeConfig.isSecretKey(data.getKey()) ? data.withValue(SanitizableData.SANITIZED_VALUE) : data;
    }
}
