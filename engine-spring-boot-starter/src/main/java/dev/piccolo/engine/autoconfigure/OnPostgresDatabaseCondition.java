package dev.piccolo.engine.autoconfigure;

import java.util.Map;

import dev.piccolo.engine.jdbc.ConnectionUrls;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether the engine takes over the application's {@code DataSource}. It steps aside, leaving Spring
 * Boot's own {@code DataSource} in charge, only where the application's database is evidently not the
 * engine's: {@code piccolo.db.config} is empty and the application excludes
 * {@code DataSourceAutoConfiguration}, points at another database, or runs on an embedded one; or a
 * test asks Boot to replace the {@code DataSource} with an embedded one. Everywhere else the engine
 * starts, and a configuration that cannot reach PostgreSQL fails loudly. (A {@code DataSource} bean of
 * the application's own is left to {@code @ConditionalOnMissingBean} beside this condition.)
 */
final class OnPostgresDatabaseCondition extends SpringBootCondition implements ConfigurationCondition {

    private static final String TEST_DATABASE_REPLACE = "spring.test.database.replace";

    /** Evaluated once beans are registered, so the application's {@code JdbcConnectionDetails} beans are seen. */
    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition("Piccolo engine");
        Environment environment = context.getEnvironment();
        String replace = environment.getProperty(TEST_DATABASE_REPLACE);
        if ("ANY".equals(replace) || "AUTO_CONFIGURED".equals(replace)) {
            return ConditionOutcome.noMatch(message.because("the test replaces the DataSource with an embedded "
                    + "database (" + TEST_DATABASE_REPLACE + "=" + replace + ")"));
        }
        if (!Binder.get(environment).bind(PropertyNames.PREFIX + ".config", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of()).isEmpty()) {
            return ConditionOutcome.match(message.because(PropertyNames.PREFIX + ".config is set"));
        }
        ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
        // Without config the engine stands in for Boot's auto-configured DataSource, which an exclusion refuses.
        if (excludes(beanFactory, DataSourceAutoConfiguration.class)) {
            return ConditionOutcome.noMatch(message.because(PropertyNames.PREFIX + ".config is empty and the "
                    + "application excludes " + DataSourceAutoConfiguration.class.getSimpleName()));
        }
        String springUrl = MainNodeConnection.SPRING_DATASOURCE_URL;
        String url = environment.getProperty(springUrl);
        if (url != null) {
            // The URL itself is not shown: it may carry a password.
            return url.startsWith(ConnectionUrls.JDBC_PREFIX)
                    ? ConditionOutcome.match(message.because(springUrl + " is a PostgreSQL URL"))
                    : ConditionOutcome.noMatch(message.because(springUrl + " is not a PostgreSQL URL"));
        }
        if (beanFactory != null && has(beanFactory, JdbcConnectionDetails.class)) {
            return ConditionOutcome.match(message.because("a JdbcConnectionDetails bean gives the connection"));
        }
        if (EmbeddedDatabaseConnection.get(context.getClassLoader()) != EmbeddedDatabaseConnection.NONE) {
            return ConditionOutcome.noMatch(message.because("nothing configures PostgreSQL and an embedded database "
                    + "is on the classpath"));
        }
        return ConditionOutcome.match(message.because("no other database is configured"));
    }

    private static boolean has(ConfigurableListableBeanFactory beanFactory, Class<?> type) {
        return beanFactory.getBeanNamesForType(type, true, false).length > 0;
    }

    /**
     * Whether an {@code exclude} of {@code @SpringBootApplication} or {@code @EnableAutoConfiguration}, or
     * {@code spring.autoconfigure.exclude}, names the auto-configuration: Boot's import selector records
     * every exclusion in the report before any auto-configuration's conditions are evaluated.
     */
    private static boolean excludes(@Nullable ConfigurableListableBeanFactory beanFactory, Class<?> autoConfiguration) {
        return beanFactory != null
                && ConditionEvaluationReport.get(beanFactory).getExclusions().contains(autoConfiguration.getName());
    }
}
