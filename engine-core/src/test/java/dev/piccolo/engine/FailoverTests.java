package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.piccolo.engine.test.OwnCluster;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import ch.qos.logback.classic.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A failover the engine follows and never performs: the replica of this class's own cluster is promoted
 * and the old primary stopped under a running engine whose main node lists both servers.
 */
@ExtendWith(PostgresClusterExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverTests {

    private static final HealthProbeOptions FAST_PROBE = new HealthProbeOptions(Duration.ofMillis(100),
            Duration.ofSeconds(1));

    private static PostgresCluster cluster;

    @BeforeAll
    static void cluster(@OwnCluster(replicas = 1) PostgresCluster own) throws SQLException {
        cluster = own;
        execute("primary", "CREATE TABLE IF NOT EXISTS failover_writes (id serial PRIMARY KEY)");
        cluster.awaitReplication();
    }

    @Test
    @Order(1)
    void writesToAMainNodeWhoseServerIsAStandbyFailNamingTheNode() throws Exception {
        String application = PostgresCluster.newApplicationName();
        try (PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder()
                .config(cluster.replica(1).config(application)).extensions(List.of()).build())
                .healthProbe(FAST_PROBE).build().start()) {
            assertThatExceptionOfType(SQLException.class).isThrownBy(() -> insert(engine))
                    .withMessageContaining("Node 'primary' is read-only now")
                    .withMessageContaining("host: a,b")
                    .satisfies(failure -> assertThat(failure.getSQLState()).isEqualTo("25006"));
            try (Connection reading = engine.getDataSource().getConnection()) {
                reading.setReadOnly(true);
                try (Statement statement = reading.createStatement();
                        ResultSet result = statement.executeQuery("SELECT pg_is_in_recovery()")) {
                    assertThat(result.next()).isTrue();
                    assertThat(result.getBoolean(1)).as("read-only work still runs there").isTrue();
                }
            }
        }
    }

    /** Last: it leaves the cluster with its replica promoted and its old primary stopped. */
    @Test
    @Order(2)
    void aMainNodeListingBothServersWritesToThePromotedOneWithoutARestart() throws Exception {
        String application = PostgresCluster.newApplicationName();
        Map<String, String> config = cluster.primary().config(application);
        config.put("host", cluster.primary().host() + "," + cluster.replica(1).host());
        config.put("port", cluster.primary().port() + "," + cluster.replica(1).port());
        config.put("targetServerType", "primary");
        try (LogCapture logs = new LogCapture();
                PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder().config(config).build())
                        .healthProbe(FAST_PROBE).build().start()) {
            engine.startConnectionPool(PoolOptions.builder().maxSize(2).minSize(2).build());
            assertThat(insert(engine)).isEqualTo(cluster.primary().port());

            execute("read_replica_1", "SELECT pg_promote()");
            cluster.stop("primary");

            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> insert(engine) == cluster.replica(1).port());
            assertThat(logs.messages(NodeHealthMonitor.class.getName(), Level.INFO))
                    .filteredOn(message -> message.contains("left recovery (promoted)")).hasSize(1);
        }
    }

    /** Inserts a row through the engine's data source and returns the port of the server that took it. */
    private static int insert(PostgresEngine engine) throws SQLException {
        try (Connection connection = engine.getDataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO failover_writes DEFAULT VALUES");
            return TestNodes.serverPort(engine.getDataSource());
        }
    }

    private static void execute(String node, String sql) throws SQLException {
        try (Connection connection = cluster.connect(node); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
