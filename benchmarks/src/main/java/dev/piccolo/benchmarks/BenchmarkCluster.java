package dev.piccolo.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

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

    /** The primary-key lookup of every path that runs one, JDBC and JdbcTemplate alike. */
    static final String FIND_NAME = "SELECT name FROM bench_item WHERE id = ?";

    /** The two-table join: an item with its stock, by the item's primary key. */
    static final String FIND_NAME_AND_STOCK = "SELECT i.name, s.quantity FROM bench_item i "
            + "JOIN bench_stock s ON s.item_id = i.id WHERE i.id = ?";

    /** Pool size of every pool in every case, so that 16 client threads never queue. */
    static final int POOL_SIZE = 16;

    private static final String PREFIX = "bench.";

    private BenchmarkCluster() {
    }

    /**
     * The system properties that carry a running cluster to the JVMs of the benchmarks; the runner sets
     * them in its own JVM too.
     */
    static Map<String, String> systemProperties(PostgresCluster cluster) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (ClusterNode node : List.of(cluster.primary(), cluster.replica(1))) {
            properties.put(PREFIX + node.name() + ".port", String.valueOf(node.port()));
        }
        ClusterNode primary = cluster.primary();
        properties.put(PREFIX + "host", primary.host());
        properties.put(PREFIX + "database", primary.database());
        properties.put(PREFIX + "user", primary.user());
        properties.put(PREFIX + "password", primary.password());
        return properties;
    }

    /** The same as JVM options. */
    static List<String> jvmArguments(Map<String, String> systemProperties) {
        return systemProperties.entrySet().stream().map(entry -> "-D" + entry.getKey() + "=" + entry.getValue()).toList();
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

    /**
     * An engine of the primary and {@code extraNodes} extra nodes, all on the replica, each carrying an
     * {@code ApplicationName} so that the servers can count its connections.
     */
    static PostgresEngine.Builder withExtraNodes(int extraNodes, String applicationName) {
        Map<String, String> primary = config(PostgresEngine.PRIMARY);
        primary.put("ApplicationName", applicationName);
        PostgresEngine.Builder builder = PostgresEngine.builder(NodeConfig.builder().config(primary).extensions().build());
        for (int node = 1; node <= extraNodes; node++) {
            Map<String, String> replica = config("read_replica_1");
            replica.put("ApplicationName", applicationName);
            builder.extraNode("replica_" + node, NodeConfig.builder().config(replica).build());
        }
        return builder;
    }

    /** A random id of {@code bench_item}, drawn per lookup: every path reads the same spread of rows. */
    static int randomItemId() {
        return 1 + ThreadLocalRandom.current().nextInt(ITEMS);
    }

    /** A new connection to a node, outside any pool. */
    static Connection connect(String node) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(node), property("user"), property("password"));
    }

    /**
     * Sessions a node's server has had in all its databases, the one that asks included (a session is
     * counted once it is idle, before its first query).
     */
    static long sessions(String node) {
        try (Connection connection = connect(node); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT sum(sessions) FROM pg_stat_database")) {
            result.next();
            return result.getLong(1);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot read the sessions of " + node, ex);
        }
    }

    /**
     * The nodes as {@code piccolo.db.*} command-line properties, everything else left at its default (so the
     * extension {@code uuid-ossp} is created at start-up and pools have 10 connections).
     *
     * @param database the database on both servers
     */
    static List<String> nodeProperties(String database) {
        Map<String, String> config = config(PostgresEngine.PRIMARY);
        config.put("database", database);
        List<String> properties = new ArrayList<>();
        config.forEach((key, value) -> properties.add("--piccolo.db.config." + key + "=" + value));
        properties.add("--piccolo.db.extra-nodes.read_replica_1.config.host=" + property("host"));
        properties.add("--piccolo.db.extra-nodes.read_replica_1.config.port=" + property("read_replica_1.port"));
        return properties;
    }

    /** The database of the benchmarks' tables. */
    static String database() {
        return property("database");
    }

    /** The same nodes as Boot's own {@code spring.datasource.*}, on the primary. */
    static List<String> bootDataSourceProperties() {
        return List.of("--spring.datasource.url=" + jdbcUrl(PostgresEngine.PRIMARY),
                "--spring.datasource.username=" + property("user"), "--spring.datasource.password=" + property("password"));
    }

    /** The engine's properties for the Spring Boot applications of the query cases. */
    static List<String> piccoloProperties() {
        List<String> properties = new ArrayList<>(nodeProperties(property("database")));
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
