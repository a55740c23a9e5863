package dev.piccolo.engine.test;

import java.util.LinkedHashMap;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Puts the shared {@link PostgresCluster}'s connection settings into the Spring {@code Environment}
 * (see {@link PostgresClusterProperties}), ahead of the application's own configuration.
 *
 * <p>Use it with {@code @ContextConfiguration(initializers = PostgresClusterInitializer.class)} or
 * {@code SpringApplication.addInitializers}.
 *
 * @since 0.1
 */
public final class PostgresClusterInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** Name of the property source this initializer adds. */
    public static final String PROPERTY_SOURCE_NAME = "piccoloTestCluster";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        PostgresCluster cluster = PostgresCluster.shared();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME,
                new LinkedHashMap<>(PostgresClusterProperties.of(cluster))));
    }
}
