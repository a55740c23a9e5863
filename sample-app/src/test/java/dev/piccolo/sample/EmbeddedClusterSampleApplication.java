package dev.piccolo.sample;

import java.util.LinkedHashMap;
import java.util.concurrent.CancellationException;

import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterProperties;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The embedded default: starts a PostgreSQL primary and a streaming replica (Docker when available,
 * the local PostgreSQL binaries otherwise), points the sample at them and serves on port 8080.
 * Stopping the application (Ctrl-C) closes it first and then stops the cluster and deletes its files.
 *
 * <p>Run with {@code ./mvnw -pl sample-app -am spring-boot:test-run}.
 */
public final class EmbeddedClusterSampleApplication {

    private EmbeddedClusterSampleApplication() {
    }

    /**
     * Starts the cluster, then the sample application on it.
     *
     * @param args command-line arguments, passed to Spring Boot
     */
    public static void main(String[] args) {
        PostgresCluster cluster;
        try {
            cluster = PostgresCluster.start();
        }
        catch (CancellationException ex) {
            // Ctrl-C while the cluster was starting: its own hook cleans up, nothing went wrong.
            System.err.println(ex.getMessage());
            return;
        }
        try {
            SpringApplication application = new SpringApplication(SampleApplication.class);
            // One hook closes the application and then the cluster, in that order.
            application.setRegisterShutdownHook(false);
            application.addInitializers(context -> context.getEnvironment().getPropertySources().addFirst(
                    new MapPropertySource("embeddedCluster", new LinkedHashMap<>(PostgresClusterProperties.of(cluster)))));
            ConfigurableApplicationContext context = application.run(args);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                context.close();
                cluster.close();
            }, "sample-shutdown"));
        }
        catch (RuntimeException ex) {
            cluster.close();
            throw ex;
        }
    }
}
