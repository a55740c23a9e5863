package dev.piccolo.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.piccolo.engine.test.OwnCluster;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import ch.qos.logback.classic.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Groups, health-aware routing, fallback and lag limits, on a primary with two replicas of this class's own. */
@ExtendWith(PostgresClusterExtension.class)
class NodeGroupRoutingTests {

    private static final HealthProbeOptions FAST_PROBE = new HealthProbeOptions(Duration.ofMillis(100),
            Duration.ofSeconds(1));

    private static PostgresCluster cluster;

    @BeforeAll
    static void cluster(@OwnCluster(replicas = 2) PostgresCluster own) {
        cluster = own;
    }

    private static PostgresEngine.Builder twoReplicas() {
        String application = PostgresCluster.newApplicationName();
        return TestNodes.engine(cluster, application)
                .extraNode("read_replica_2", NodeConfig.builder().config(cluster.replica(2).config(application))
                        .build());
    }

    private static int portVia(PostgresEngine engine, String name) throws Exception {
        return engine.nodeContext().call(name, () -> TestNodes.serverPort(engine.getDataSource()));
    }

    @Test
    void roundRobinGroupTakesItsMembersInTurnPerConnection() throws Exception {
        try (PostgresEngine engine = twoReplicas()
                .nodeGroup("replicas", NodeGroup.of(List.of("read_replica_1", "read_replica_2")).build()).build()) {
            List<Integer> ports = new ArrayList<>();
            for (int call = 0; call < 4; call++) {
                ports.add(portVia(engine, "replicas"));
            }
            int first = cluster.replica(1).port();
            int second = cluster.replica(2).port();
            assertThat(ports).containsExactly(first, second, first, second);
        }
    }

    @Test
    void aMemberThatGivesNoConnectionCostsNoFailedWorkWhileAnotherServes() throws Exception {
        Map<String, String> gone = cluster.replica(2).config(PostgresCluster.newApplicationName());
        gone.put("port", Integer.toString(freePort()));
        try (PostgresEngine engine = TestNodes.engine(cluster, PostgresCluster.newApplicationName())
                .extraNode("gone", NodeConfig.builder().config(gone).build())
                .nodeGroup("replicas", NodeGroup.of(List.of("read_replica_1", "gone")).build()).build()) {
            for (int call = 0; call < 4; call++) {
                // Round robin sends every other unit of work to 'gone', whose server refuses the connection.
                assertThat(portVia(engine, "replicas")).isEqualTo(cluster.replica(1).port());
            }
            assertThatThrownBy(() -> portVia(engine, "gone")).as("work asking for the node itself")
                    .isInstanceOf(SQLException.class).hasMessageContaining("gone");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void leastBorrowedGroupAvoidsTheBusyMember() throws Exception {
        try (PostgresEngine engine = twoReplicas().nodeGroup("replicas", NodeGroup
                .of(List.of("read_replica_1", "read_replica_2")).balancing(NodeGroup.Balancing.LEAST_BORROWED)
                .build()).build()) {
            engine.startConnectionPool(PoolOptions.builder().maxSize(2).build());
            try (Connection busy = engine.node("read_replica_1").dataSource().getConnection()) {
                for (int call = 0; call < 3; call++) {
                    assertThat(portVia(engine, "replicas")).isEqualTo(cluster.replica(2).port());
                }
            }
        }
    }

    @Test
    void groupsFallbacksAndLagLimitsMustNameWhatExists() {
        NodeGroup replicas = NodeGroup.of(List.of("read_replica_1")).build();
        assertThatExceptionOfType(NodeConfigurationException.class)
                .isThrownBy(() -> twoReplicas().nodeGroup("read_replica_2", replicas).startupChecks(false).build())
                .withMessageContaining("has the name of a node");
        assertThatExceptionOfType(NodeConfigurationException.class)
                .isThrownBy(() -> twoReplicas().nodeGroup("replicas", NodeGroup.of(List.of("read_replica_9")).build())
                        .startupChecks(false).build())
                .withMessageContaining("lists 'read_replica_9', which is not a node");
        assertThatExceptionOfType(NodeConfigurationException.class)
                .isThrownBy(() -> twoReplicas().nodeGroup("replicas", NodeGroup.of(List.of("read_replica_1"))
                        .fallback("nowhere").build()).startupChecks(false).build())
                .withMessageContaining("falls back to 'nowhere'");
        assertThatExceptionOfType(NodeConfigurationException.class)
                .isThrownBy(() -> twoReplicas().nodeGroup("replicas", NodeGroup.of(List.of("read_replica_1"))
                        .maxLag(Duration.ofSeconds(1)).build()).startupChecks(false).build())
                .withMessageContaining("health probe, which is off");
    }

    @Test
    void groupSkipsAStoppedMemberAndTakesItBackWhenItRecovers() throws Exception {
        try (PostgresEngine engine = twoReplicas().healthProbe(FAST_PROBE)
                .nodeGroup("replicas", NodeGroup.of(List.of("read_replica_1", "read_replica_2")).build())
                .build().start()) {
            cluster.stop("read_replica_1");
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> !engine.nodeStatus("read_replica_1").up());
                for (int call = 0; call < 4; call++) {
                    assertThat(portVia(engine, "replicas")).isEqualTo(cluster.replica(2).port());
                }
            }
            finally {
                cluster.start("read_replica_1");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.nodeStatus("read_replica_1").up());
            assertThat(List.of(portVia(engine, "replicas"), portVia(engine, "replicas")))
                    .contains(cluster.replica(1).port());
        }
    }

    @Test
    void nodeWithFallbackServesFromThePrimaryWhileDownWarningOncePerTransition() throws Exception {
        AtomicInteger fallbacks = new AtomicInteger();
        RoutingListener counting = new RoutingListener() {

            @Override
            public void onFallback(String requested, String fallback) {
                fallbacks.incrementAndGet();
            }
        };
        String application = PostgresCluster.newApplicationName();
        try (LogCapture logs = new LogCapture();
                PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder()
                        .config(cluster.primary().config(application)).build())
                        .extraNode("read_replica_1", NodeConfig.builder()
                                .config(cluster.replica(1).config(application)).fallback("primary").build())
                        .healthProbe(FAST_PROBE).routingListener(counting).build().start()) {
            cluster.stop("read_replica_1");
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> !engine.nodeStatus("read_replica_1").up());
                assertThat(portVia(engine, "read_replica_1")).isEqualTo(cluster.primary().port());
                assertThat(portVia(engine, "read_replica_1")).isEqualTo(cluster.primary().port());
            }
            finally {
                cluster.start("read_replica_1");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.nodeStatus("read_replica_1").up());
            assertThat(portVia(engine, "read_replica_1")).isEqualTo(cluster.replica(1).port());

            assertThat(fallbacks).hasValue(2);
            assertThat(logs.messages(NodeRouter.class.getName(), Level.WARN)).singleElement().asString()
                    .contains("'read_replica_1' has no usable node", "goes to 'primary'");
            assertThat(logs.messages(NodeRouter.class.getName(), Level.INFO)).singleElement().asString()
                    .contains("'read_replica_1' is usable again");
        }
    }

    @Test
    void withoutFallbackTheCallerGetsAClearError() throws Exception {
        try (PostgresEngine engine = twoReplicas().healthProbe(FAST_PROBE)
                .nodeGroup("replicas", NodeGroup.of(List.of("read_replica_1")).build()).build().start()) {
            cluster.stop("read_replica_1");
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> !engine.nodeStatus("read_replica_1").up());
                assertThatExceptionOfType(SQLException.class).isThrownBy(() -> portVia(engine, "replicas"))
                        .withMessageContaining("'replicas' has no usable node: read_replica_1 is down")
                        .withMessageContaining("set a fallback");
            }
            finally {
                cluster.start("read_replica_1");
            }
        }
    }

    @Test
    void maxLagExcludesAReplicaWhileItsReplayIsPaused() throws Exception {
        try (PostgresEngine engine = twoReplicas().healthProbe(FAST_PROBE)
                .nodeGroup("replicas", NodeGroup.of(List.of("read_replica_1", "read_replica_2"))
                        .maxLag(Duration.ofSeconds(1)).build()).build().start()) {
            execute("read_replica_1", "SELECT pg_wal_replay_pause()");
            try {
                execute("primary", "CREATE TABLE IF NOT EXISTS lagging (id int)");
                execute("primary", "INSERT INTO lagging VALUES (1)");
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    Duration lag = engine.nodeStatus("read_replica_1").lag();
                    return lag != null && lag.compareTo(Duration.ofSeconds(1)) > 0;
                });
                assertThat(engine.nodeStatus("read_replica_1").lagBytes()).isPositive();
                for (int call = 0; call < 4; call++) {
                    assertThat(portVia(engine, "replicas")).isEqualTo(cluster.replica(2).port());
                }
            }
            finally {
                execute("read_replica_1", "SELECT pg_wal_replay_resume()");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> Duration.ZERO.equals(
                    engine.nodeStatus("read_replica_1").lag()));
        }
    }

    @Test
    void aReplicaThatStopsStreamingLeavesALagLimitedGroupAndComesBack() throws Exception {
        try (PostgresEngine engine = twoReplicas().healthProbe(FAST_PROBE)
                .nodeGroup("replicas", NodeGroup.of(List.of("read_replica_1")).maxLag(Duration.ofSeconds(30))
                        .fallback("primary").build()).build().start()) {
            assertThat(engine.nodeStatus("read_replica_1").streaming()).isTrue();
            String upstream = cluster.queryString("read_replica_1", "SHOW primary_conninfo");
            execute("read_replica_1", "ALTER SYSTEM SET primary_conninfo = ''");
            execute("read_replica_1", "SELECT pg_reload_conf()");
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.FALSE.equals(
                        engine.nodeStatus("read_replica_1").streaming()));
                assertThat(portVia(engine, "replicas")).isEqualTo(cluster.primary().port());
            }
            finally {
                execute("read_replica_1", "ALTER SYSTEM SET primary_conninfo = '" + upstream.replace("'", "''")
                        + "'");
                execute("read_replica_1", "SELECT pg_reload_conf()");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> Boolean.TRUE.equals(
                    engine.nodeStatus("read_replica_1").streaming()));
            assertThat(portVia(engine, "replicas")).isEqualTo(cluster.replica(1).port());
        }
    }

    @Test
    void anIdlePrimaryTripsNoLagLimitButAReplayThatFallsBehindDoes() throws Exception {
        Duration maxLag = Duration.ofSeconds(1);
        try (PostgresEngine engine = twoReplicas().healthProbe(FAST_PROBE)
                .nodeGroup("replicas", NodeGroup.of(List.of("read_replica_1")).maxLag(maxLag).fallback("primary")
                        .build()).build().start()) {
            execute("primary", "CREATE TABLE IF NOT EXISTS idle_then_written (id int)");
            // Longer than max-lag with no write: the replica's last replayed transaction grows old.
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                    .until(() -> engine.nodeStatus("read_replica_1").usable(maxLag));
            execute("read_replica_1", "SELECT pg_wal_replay_pause()");
            try {
                execute("primary", "INSERT INTO idle_then_written VALUES (1)");
                await().atMost(Duration.ofSeconds(5)).until(() -> {
                    Long bytes = engine.nodeStatus("read_replica_1").lagBytes();
                    return bytes != null && bytes > 0;
                });
                // The write is new, not the idle time before it: the replica still serves.
                assertThat(engine.nodeStatus("read_replica_1").lag()).isLessThan(maxLag);
                assertThat(portVia(engine, "replicas")).isEqualTo(cluster.replica(1).port());
                await().atMost(Duration.ofSeconds(10)).until(() -> portVia(engine, "replicas")
                        == cluster.primary().port());
            }
            finally {
                execute("read_replica_1", "SELECT pg_wal_replay_resume()");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> portVia(engine, "replicas")
                    == cluster.replica(1).port());
        }
    }

    @Test
    void maxLagBytesExcludesANodeThatHasTooMuchWalLeftToReplay() throws Exception {
        String application = PostgresCluster.newApplicationName();
        try (PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder()
                .config(cluster.primary().config(application)).build())
                .extraNode("read_replica_1", NodeConfig.builder().config(cluster.replica(1).config(application))
                        .maxLagBytes(64L * 1024).fallback("primary").build())
                .healthProbe(FAST_PROBE).build().start()) {
            execute("primary", "CREATE TABLE IF NOT EXISTS wal_heavy (id int, filler text)");
            execute("read_replica_1", "SELECT pg_wal_replay_pause()");
            try {
                execute("primary", "INSERT INTO wal_heavy SELECT n, repeat('x', 100) FROM generate_series(1, 5000) n");
                await().atMost(Duration.ofSeconds(10)).until(() -> portVia(engine, "read_replica_1")
                        == cluster.primary().port());
                assertThat(engine.nodeStatus("read_replica_1").lagBytes()).isGreaterThan(64L * 1024);
            }
            finally {
                execute("read_replica_1", "SELECT pg_wal_replay_resume()");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> portVia(engine, "read_replica_1")
                    == cluster.replica(1).port());
        }
    }

    private static void execute(String node, String sql) throws SQLException {
        try (Connection connection = cluster.connect(node); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
