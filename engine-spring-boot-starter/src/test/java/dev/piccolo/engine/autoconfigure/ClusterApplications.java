package dev.piccolo.engine.autoconfigure;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

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
        // A repeated command-line argument is joined with a comma, so later pairs replace earlier ones here.
        Map<String, String> merged = new LinkedHashMap<>();
        Stream.concat(Arrays.stream(ClusterProperties.of(cluster, applicationName)), Arrays.stream(properties))
                .forEach(pair -> merged.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1)));
        return application.run(merged.entrySet().stream().map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                .toArray(String[]::new));
    }
}
