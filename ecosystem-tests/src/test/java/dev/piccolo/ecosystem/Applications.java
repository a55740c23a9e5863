package dev.piccolo.ecosystem;

import java.util.Arrays;
import java.util.stream.Stream;

import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterProperties;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts one of the ecosystem test applications on the cluster. */
public final class Applications {

    private Applications() {
    }

    /**
     * Runs {@code application} with the cluster's primary and replicas as {@code piccolo.db.*} nodes.
     *
     * @param application the application class
     * @param cluster the cluster
     * @param properties more {@code name=value} properties, replacing the cluster's by name
     * @return the running context
     */
    public static ConfigurableApplicationContext run(Class<?> application, PostgresCluster cluster,
            String... properties) {
        return runWith(application, PostgresClusterProperties.asPairs(cluster, properties));
    }

    /**
     * Runs {@code application} on the cluster after Boot's SQL initialization ran {@code schema} through the
     * engine (on the primary, before the pools open), so that each run starts from the tables the script creates.
     *
     * @param application the application class
     * @param cluster the cluster
     * @param schema the script's location, e.g. {@code classpath:pgjdbc/schema.sql}
     * @param properties more {@code name=value} properties, replacing the cluster's by name
     * @return the running context
     */
    public static ConfigurableApplicationContext runWithSchema(Class<?> application, PostgresCluster cluster,
            String schema, String... properties) {
        return run(application, cluster, Stream.concat(
                Stream.of("spring.sql.init.mode=always", "spring.sql.init.schema-locations=" + schema),
                Arrays.stream(properties)).toArray(String[]::new));
    }

    /**
     * Runs {@code application} with exactly the given properties.
     *
     * @param application the application class
     * @param properties {@code name=value} properties
     * @return the running context
     */
    public static ConfigurableApplicationContext runWith(Class<?> application, String... properties) {
        SpringApplication spring = new SpringApplication(application);
        spring.setWebApplicationType(WebApplicationType.NONE);
        return spring.run(Arrays.stream(properties).map(pair -> "--" + pair).toArray(String[]::new));
    }

    /**
     * Pauses replay on a replica while {@code body} runs, so that rows written on the primary meanwhile
     * are missing there: a read that finds them ran on the primary.
     *
     * @param cluster the cluster
     * @param replica the replica's node name
     * @param body the work
     * @throws Exception what the body threw
     */
    public static void withReplayPaused(PostgresCluster cluster, String replica, ThrowingRunnable body)
            throws Exception {
        execute(cluster, replica, "SELECT pg_wal_replay_pause()");
        try {
            body.run();
        }
        finally {
            execute(cluster, replica, "SELECT pg_wal_replay_resume()");
            cluster.awaitReplication();
        }
    }

    private static void execute(PostgresCluster cluster, String node, String sql) throws Exception {
        try (var connection = cluster.connect(node); var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Work that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable {

        /**
         * Does the work.
         *
         * @throws Exception whatever it throws
         */
        void run() throws Exception;
    }
}
