package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The primary of this class's own cluster goes away, then a standby is promoted by hand while the old
 * primary still runs (a split brain with no HA manager to ask): replicas keep serving, and writes go to
 * the newest timeline only, with the split said out loud.
 */
@ExtendWith(PostgresClusterExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterRoleChangeTests {

    private static final HealthProbeOptions FAST_PROBE = new HealthProbeOptions(Duration.ofMillis(100),
            Duration.ofSeconds(1));

    private static PostgresCluster cluster;

    @BeforeAll
    static void cluster(@OwnCluster(replicas = 2) PostgresCluster own) throws SQLException {
        cluster = own;
        execute("primary", "CREATE TABLE IF NOT EXISTS role_writes (id serial PRIMARY KEY)");
        cluster.awaitReplication();
    }

    /** Items 3 and 6 of the issue: with the primary gone, replicas were excluded and tokens asked the primary. */
    @Test
    @Order(1)
    void withThePrimaryDownReplicasThatReplayedEverythingServeReadsAndTokens() throws Exception {
        String application = PostgresCluster.newApplicationName();
        replicasServeWithThePrimaryDown(application, cluster.primary().config(application));
    }

    /**
     * Item 6 as Patroni users configure the main node: a host list whose standbys still answer while the
     * primary is down (they were taken for a reachable primary).
     */
    @Test
    @Order(2)
    void withThePrimaryOfAHostListDownReplicasServe() throws Exception {
        String application = PostgresCluster.newApplicationName();
        Map<String, String> everyServer = cluster.primary().config(application);
        everyServer.put("host", String.join(",", cluster.primary().host(), cluster.replica(1).host(),
                cluster.replica(2).host()));
        everyServer.put("port", cluster.primary().port() + "," + cluster.replica(1).port() + ","
                + cluster.replica(2).port());
        everyServer.put("targetServerType", "primary");
        replicasServeWithThePrimaryDown(application, everyServer);
    }

    private static void replicasServeWithThePrimaryDown(String application, Map<String, String> main)
            throws Exception {
        cluster.awaitReplication();
        try (PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder().config(main).build())
                .extraNode("read_replica_1", NodeConfig.builder().config(cluster.replica(1).config(application)).build())
                .healthProbe(FAST_PROBE)
                .readYourWrites(Duration.ofMillis(50))
                .nodeGroup("replicas", NodeGroup.of(List.of("read_replica_1")).maxLag(Duration.ofSeconds(1)).build())
                .build().start()) {
            engine.startConnectionPool(PoolOptions.builder().maxSize(2).build());
            insert(engine);
            ConsistencyToken written = engine.readYourWrites().lastWrite();
            cluster.awaitReplication();
            await().atMost(Duration.ofSeconds(5)).until(() -> engine.nodeStatus("read_replica_1").lagBytes() != null
                    && engine.nodeStatus("read_replica_1").lagBytes() == 0);
            cluster.stop("primary");
            Instant down = Instant.now();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> !engine.nodeStatus(PostgresEngine.PRIMARY).up());
                // Past the lag limit: a replica that stopped streaming would count as lagging by now.
                await().atMost(Duration.ofSeconds(5)).until(() -> engine.nodeStatus("read_replica_1").checkedAt()
                        .isAfter(down.plusMillis(1500)));
                assertThat(engine.nodeStatus("read_replica_1").primaryLost()).isTrue();
                assertThat(engine.nodeContext().call("replicas", () -> TestNodes.serverPort(engine.getDataSource())))
                        .isEqualTo(cluster.replica(1).port());
                ConsistencyToken ahead = new ConsistencyToken(written.walPosition() + 1_000_000, written.cluster(),
                        written.timeline());
                assertThat(engine.readYourWrites().call(ahead, () -> engine.nodeContext().call("replicas",
                        () -> TestNodes.serverPort(engine.getDataSource()))))
                        .as("a token beyond what the primary was last seen to have is clamped, not asked of it")
                        .isEqualTo(cluster.replica(1).port());
            }
            finally {
                cluster.start("primary");
            }
        }
    }

    /** Item 5: the old primary, first in host order, kept the writes; nothing compared timelines. */
    @Test
    @Order(3)
    void withTwoWritableServersWritesGoToTheNewestTimelineAndTheSplitIsReported() throws Exception {
        cluster.awaitReplication();
        String application = PostgresCluster.newApplicationName();
        Map<String, String> both = cluster.primary().config(application);
        both.put("host", cluster.primary().host() + "," + cluster.replica(2).host());
        both.put("port", cluster.primary().port() + "," + cluster.replica(2).port());
        both.put("targetServerType", "primary");
        try (LogCapture logs = new LogCapture();
                PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder().config(both).build())
                        .healthProbe(FAST_PROBE).build().start()) {
            engine.startConnectionPool(PoolOptions.builder().maxSize(2).minSize(2).build());
            assertThat(insert(engine)).isEqualTo(cluster.primary().port());

            execute("read_replica_2", "SELECT pg_promote()");

            await().atMost(Duration.ofSeconds(15)).until(() -> insert(engine) == cluster.replica(2).port());
            List<Integer> ports = new ArrayList<>();
            for (int write = 0; write < 20; write++) {
                ports.add(insert(engine));
            }
            assertThat(ports).as("no write on the old timeline's server").containsOnly(cluster.replica(2).port());
            assertThat(logs.messages(ClusterView.class.getName(), Level.ERROR))
                    .anySatisfy(message -> assertThat(message).startsWith("Two writable servers in one cluster"));
            assertThat(engine.nodeStatus(PostgresEngine.PRIMARY).warnings())
                    .anySatisfy(warning -> assertThat(warning).contains("writable but not the cluster's primary"));

            // The newer timeline's server only unreachable: the older one must not take over, however many rounds pass.
            cluster.stop("read_replica_2");
            Instant stopped = Instant.now();
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> engine.nodeStatus(PostgresEngine.PRIMARY).checkedAt()
                        .isAfter(stopped.plusMillis(10 * FAST_PROBE.interval().toMillis())));
                assertThatThrownBy(() -> insert(engine)).as("a write with only the old timeline's server writable")
                        .isInstanceOf(SQLException.class);
            }
            finally {
                cluster.start("read_replica_2");
            }
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> insert(engine) == cluster.replica(2).port());
        }
    }

    /** Inserts a row through the engine and returns the port of the server that took it. */
    private static int insert(PostgresEngine engine) throws SQLException {
        try (Connection connection = engine.getDataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "INSERT INTO role_writes DEFAULT VALUES RETURNING inet_server_port()")) {
            result.next();
            return result.getInt(1);
        }
    }

    private static void execute(String node, String sql) throws SQLException {
        try (Connection connection = cluster.connect(node); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
