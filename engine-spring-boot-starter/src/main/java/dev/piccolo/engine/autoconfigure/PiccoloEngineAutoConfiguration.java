package dev.piccolo.engine.autoconfigure;

import javax.sql.DataSource;
import javax.sql.XADataSource;

import dev.piccolo.engine.NodeContext;
import dev.piccolo.engine.NodeRoutingDataSource;
import dev.piccolo.engine.PoolCustomizer;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.RoutingListener;
import dev.piccolo.engine.spring.NodeContextTaskDecorator;
import dev.piccolo.engine.spring.UseNodeAdvisor;
import dev.piccolo.engine.spring.UseNodeAttributeSource;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskDecorator;

/**
 * Auto-configuration of the Piccolo engine: a {@link PostgresEngine} built from {@code piccolo.db.*},
 * its routing {@code DataSource} as the application's primary {@code DataSource} (so Spring Boot's
 * own {@code DataSource} auto-configuration backs off), pools opened on {@code ApplicationReadyEvent}
 * and closed with the context, and {@code @UseNode} applied ahead of transaction advice.
 *
 * <p>Off with {@code piccolo.db.enabled=false}. Steps aside, as Boot's pooled {@code DataSource} does,
 * whenever the application defines a {@code DataSource} or {@code XADataSource} bean of its own,
 * whatever {@code piccolo.db.*} and {@code spring.datasource.*} say; and by itself where the
 * application's database is not PostgreSQL or it wants no auto-configured {@code DataSource}
 * ({@link OnPostgresDatabaseCondition}). Ordered after the test database replacement of test slices,
 * which it leaves in charge when it is active.
 *
 * @since 0.1
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class, afterName = {
        "org.springframework.boot.jdbc.test.autoconfigure.TestDatabaseAutoConfiguration",
        "org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration" })
@ConditionalOnBooleanProperty(name = PropertyNames.PREFIX + ".enabled", matchIfMissing = true)
// One annotation for both, as it cannot repeat: a DataSource the application defines itself (replacing it would
// drop the application's settings, and two @Primary beans fail start-up), or a test slice's embedded replacement.
@ConditionalOnMissingBean(value = { DataSource.class, XADataSource.class },
        type = PiccoloEngineAutoConfiguration.TEST_DATABASE_REPLACEMENT)
@Conditional(OnPostgresDatabaseCondition.class)
@EnableConfigurationProperties(PiccoloDbProperties.class)
public final class PiccoloEngineAutoConfiguration {

    /** Registered by test slices whose {@code @AutoConfigureTestDatabase} replaces the {@code DataSource}. */
    static final String TEST_DATABASE_REPLACEMENT = "org.springframework.boot.jdbc.test.autoconfigure."
            + "TestDatabaseAutoConfiguration$EmbeddedDataSourceBeanFactoryPostProcessor";

    /** Built (validated) here, started (nodes checked, extensions created, probe started) as its init method. */
    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnMissingBean
    PostgresEngine piccoloEngine(PiccoloDbProperties properties, Environment environment,
            ListableBeanFactory beanFactory, ObjectProvider<PoolCustomizer> poolCustomizers,
            ObjectProvider<RoutingListener> routingListeners) {
        EnvironmentVariableCheck.warnAboutUnboundExtraNodeVariables(environment, properties.getExtraNodes().keySet());
        PoolCustomizer customizers = (node, config) -> poolCustomizers.orderedStream()
                .forEach(customizer -> customizer.customize(node, config));
        RoutingListener listeners = new CompositeRoutingListener(routingListeners);
        return new EngineFactory(properties, Binder.get(environment))
                .create(beanFactory.getBeansOfType(JdbcConnectionDetails.class), customizers, listeners);
    }

    @Bean
    @Primary
    NodeRoutingDataSource dataSource(PostgresEngine engine) {
        return engine.getDataSource();
    }

    /** Started after the engine, so discovered members are there before the pools open and the first request. */
    @Bean(initMethod = "start", destroyMethod = "close")
    GroupDiscoveries piccoloGroupDiscoveries(PostgresEngine engine, PiccoloDbProperties properties) {
        return new GroupDiscoveries(engine, properties.getNodeGroups(), properties.getHealthProbe().getTimeout());
    }

    @Bean
    NodeContext piccoloNodeContext(PostgresEngine engine) {
        return engine.nodeContext();
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static UseNodeAttributeSource piccoloUseNodeAttributeSource() {
        return new UseNodeAttributeSource();
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static UseNodeAdvisor piccoloUseNodeAdvisor(ObjectProvider<PostgresEngine> engine,
            UseNodeAttributeSource piccoloUseNodeAttributeSource) {
        return new UseNodeAdvisor(new LazyUseNodeInterceptor(engine, piccoloUseNodeAttributeSource),
                piccoloUseNodeAttributeSource);
    }

    @Bean
    static UseNodeValidator piccoloUseNodeValidator(ConfigurableListableBeanFactory beanFactory,
            ObjectProvider<PostgresEngine> engine, UseNodeAttributeSource piccoloUseNodeAttributeSource) {
        return new UseNodeValidator(beanFactory, engine, piccoloUseNodeAttributeSource);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = PiccoloDbProperties.PREFIX, name = "context-propagation", havingValue = "true")
    static class ContextPropagationConfiguration {

        @Bean
        @ConditionalOnMissingBean(TaskDecorator.class)
        NodeContextTaskDecorator piccoloNodeContextTaskDecorator(NodeContext nodeContext, PostgresEngine engine) {
            return new NodeContextTaskDecorator(nodeContext, engine.readYourWrites());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = PiccoloDbProperties.PREFIX, name = "context-propagation", havingValue = "true")
    @ConditionalOnClass(name = "io.micrometer.context.ContextRegistry")
    static class MicrometerContextPropagationConfiguration {

        @Bean
        NodeContextAccessorRegistration piccoloNodeContextAccessorRegistration(NodeContext nodeContext,
                PostgresEngine engine) {
            return new NodeContextAccessorRegistration(nodeContext, engine.readYourWrites());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = PiccoloDbProperties.PREFIX + ".pool", name = "auto-start", havingValue = "true", matchIfMissing = true)
    static class PoolLifecycleConfiguration {

        @Bean
        PoolLifecycle piccoloPoolLifecycle(PostgresEngine engine) {
            return new PoolLifecycle(engine);
        }
    }
}
