package dev.piccolo.engine.autoconfigure;

import java.util.Arrays;

import dev.piccolo.engine.test.PostgresCluster;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts {@link TestApplication} on a cluster, with extra {@code name=value} properties. */
final class ClusterApplications {

    private ClusterApplications() {
    }

    static ConfigurableApplicationContext start(PostgresCluster cluster, String applicationName,
            String... properties) {
        return start(new Class<?>[] { TestApplication.class }, cluster, applicationName, properties);
    }

    static ConfigurableApplicationContext start(Class<?>[] sources, PostgresCluster cluster, String applicationName,
            String... properties) {
        SpringApplication application = new SpringApplication(sources);
        application.setWebApplicationType(WebApplicationType.NONE);
        return application.run(Arrays.stream(ClusterProperties.of(cluster, applicationName, properties))
                .map(pair -> "--" + pair).toArray(String[]::new));
    }
}
