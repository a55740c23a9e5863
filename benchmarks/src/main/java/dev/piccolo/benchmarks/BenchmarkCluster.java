package dev.piccolo.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.piccolo.engine.HealthProbeOptions;
import dev.piccolo.engine.NodeConfig;
import dev.piccolo.engine.NodeGroup;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.test.ClusterNode;
import dev.piccolo.engine.test.PostgresCluster;

/**
 * The primary and replica every benchmark runs against. {@link BenchmarkRunner} starts them once and
 * hands their coordinates to JMH's forked JVMs as system properties, so every case talks to the same
 * servers and the ratios compare like with like.
 */
final class BenchmarkCluster {

    /** Rows of {@code bench_item}, the table of the primary-key lookups. */
    static final int ITEMS = 1000;

    /** Pool size of every pool in every case, so that 16 client threads never queue. */
    static final int POOL_SIZE = 16;

    private static final String PREFIX = "bench.";

    private BenchmarkCluster() {
    }

    /** The system properties that carry a running cluster to a forked JVM. */
    static List<String> jvmArguments(PostgresCluster cluster) {
        List<String> arguments = new ArrayList<>();
        for (ClusterNode node : List.of(cluster.primary(), cluster.replica(1))) {
            arguments.add("-D" + PREFIX + node.name() + ".port=" + node.port());
        }
        ClusterNode primary = cluster.primary();
        arguments.add("-D" + PREFIX + "host=" + primary.host());
        arguments.add("-D" + PREFIX + "database=" + primary.database());
        arguments.add("-D" + PREFIX + "user=" + primary.user());
        arguments.add("-D" + PREFIX + "password=" + primary.password());
        return arguments;
    }

    /** A node's PgJDBC settings, as the engine's {@code config} takes them. */
    static Map<String, String> config(String node) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("host", property("host"));
        config.put("port", property(node + ".port"));
        config.put("database", property("database"));
        config.put("user", property("user"));
        config.put("password", property("password"));
        return config;
    }

    static String jdbcUrl(String node) {
        return "jdbc:postgresql://" + property("host") + ":" + property(node + ".port") + "/" + property("database");
    }

    /** A plain HikariCP pool to one node: the baseline. */
    static HikariDataSource rawPool(String node) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("raw-" + node);
        config.setJdbcUrl(jdbcUrl(node));
        config.setUsername(property("user"));
        config.setPassword(property("password"));
        config.setMaximumPoolSize(POOL_SIZE);
        return new HikariDataSource(config);
    }

    /** An engine with the primary and read_replica_1, unpooled, extensions already created. */
    static PostgresEngine engine() {
        return PostgresEngine.builder(NodeConfig.builder().config(config(PostgresEngine.PRIMARY)).extensions().build())
                .extraNode("read_replica_1", NodeConfig.builder().config(config("read_replica_1")).build())
                .build().start();
    }

    /** The same engine with a group {@code replicas} of read_replica_1, a lag limit and the health probe on. */
    static PostgresEngine groupedEngine() {
        return PostgresEngine.builder(NodeConfig.builder().config(config(PostgresEngine.PRIMARY)).extensions().build())
                .extraNode("read_replica_1", NodeConfig.builder().config(config("read_replica_1")).build())
                .nodeGroup("replicas", NodeGroup.of(List.of("read_replica_1")).maxLag(Duration.ofSeconds(30))
                        .fallback(PostgresEngine.PRIMARY).build())
                .healthProbe(new HealthProbeOptions(Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .build().start();
    }

    /** The engine's properties for a Spring Boot application. */
    static List<String> piccoloProperties() {
        List<String> properties = new ArrayList<>();
        config(PostgresEngine.PRIMARY).forEach((key, value) -> properties.add("--piccolo.db.config." + key + "=" + value));
        properties.add("--piccolo.db.extra-nodes.read_replica_1.config.port=" + property("read_replica_1.port"));
        properties.add("--piccolo.db.extensions=");
        properties.add("--piccolo.db.pool.max-size=" + POOL_SIZE);
        return properties;
    }

    /** The same two nodes for dynamic-datasource ({@code @DS}). */
    static List<String> dynamicDatasourceProperties() {
        List<String> properties = new ArrayList<>();
        properties.add("--spring.datasource.dynamic.primary=master");
        properties.add("--spring.datasource.dynamic.strict=true");
        properties.add("--spring.datasource.dynamic.hikari.max-pool-size=" + POOL_SIZE);
        properties.add("--spring.datasource.dynamic.hikari.min-idle=" + POOL_SIZE);
        for (String[] node : new String[][] { { "master", PostgresEngine.PRIMARY },
                { "read_replica_1", "read_replica_1" } }) {
            String prefix = "--spring.datasource.dynamic.datasource." + node[0] + ".";
            properties.add(prefix + "url=" + jdbcUrl(node[1]));
            properties.add(prefix + "username=" + property("user"));
            properties.add(prefix + "password=" + property("password"));
        }
        return properties;
    }

    private static String property(String name) {
        String value = System.getProperty(PREFIX + name);
        if (value == null) {
            throw new IllegalStateException("System property " + PREFIX + name + " is not set: run the benchmarks "
                    + "through BenchmarkRunner (see README.md, Performance)");
        }
        return value;
    }
}
