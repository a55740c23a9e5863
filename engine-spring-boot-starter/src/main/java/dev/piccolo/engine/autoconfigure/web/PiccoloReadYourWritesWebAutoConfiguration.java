package dev.piccolo.engine.autoconfigure.web;

import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.autoconfigure.PiccoloDbProperties;
import dev.piccolo.engine.autoconfigure.PiccoloEngineAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * In a servlet web application with {@code piccolo.db.read-your-writes.enabled}, registers the filter
 * that makes each HTTP client a causal session (a cookie, {@code piccolo-consistency} by default,
 * {@code Piccolo-Consistency-Token} header). Reactive and non-web applications open sessions through
 * {@link dev.piccolo.engine.ReadYourWrites} themselves.
 *
 * @since 0.2
 */
@AutoConfiguration(after = PiccoloEngineAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "jakarta.servlet.Filter")
@ConditionalOnBean(PostgresEngine.class)
@ConditionalOnBooleanProperty(PiccoloDbProperties.PREFIX + ".read-your-writes.enabled")
public final class PiccoloReadYourWritesWebAutoConfiguration {

    /** Before any filter that may write (security, session stores): the session must already be open. */
    private static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

    @Bean
    @ConditionalOnMissingBean(name = "piccoloConsistencyTokenFilter")
    FilterRegistrationBean<ConsistencyTokenFilter> piccoloConsistencyTokenFilter(PostgresEngine engine,
            PiccoloDbProperties properties) {
        FilterRegistrationBean<ConsistencyTokenFilter> registration = new FilterRegistrationBean<>(
                new ConsistencyTokenFilter(engine.readYourWrites(), properties.getReadYourWrites().getCookie()));
        registration.setOrder(ORDER);
        return registration;
    }
}
