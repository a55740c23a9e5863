package dev.piccolo.engine;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.piccolo.engine.discovery.GroupDiscovery;
import dev.piccolo.engine.discovery.PatroniMembers;
import dev.piccolo.engine.test.PatroniCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A group whose members Patroni names ({@link PatroniMembers}), on a real Patroni cluster that changes under
 * load: a member added by the operator starts taking the group's reads, at a ramped share; a replica removed
 * from the engine drains with no failed read and no connection left; a member that leaves Patroni leaves the
 * group; after a switchover the old primary is discovered as a replica and serves reads again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PatroniDiscoveryTests {

    private static final HealthProbeOptions PROBE = new HealthProbeOptions(Duration.ofMillis(200),
            Duration.ofSeconds(1));

    private static final Duration DISCOVERY_INTERVAL = Duration.ofMillis(300);

    private static final Duration RAMP_UP = Duration.ofSeconds(3);

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    private static PatroniCluster cluster;

    private static String application;

    @BeforeAll
    static void startCluster() {
        assumeThat(PatroniCluster.available()).as("Patroni, etcd and the PostgreSQL server programs are installed")
                .isTrue();
        cluster = PatroniCluster.start();
    }

    @AfterAll
    static void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void healthy() {
        cluster.awaitHealthy();
        application = "piccolo-discovery-" + System.nanoTime();
    }

    @Test
    @Order(1)
    void aMemberAddedWhileLoadRunsIsDiscoveredAndTakesReadsAtARampedShare() throws Exception {
        try (PostgresEngine engine = engine(); GroupDiscovery discovery = discover(engine)) {
            assertThat(engine.groups().get("replicas").members()).as("discovered at start")
                    .containsExactlyInAnyOrderElementsOf(replicaNodeNames());
            try (ReadLoad load = new ReadLoad(engine, 8, thread -> "replicas")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> load.serversOf("replicas").size() == 2);
                PatroniCluster.Member added = cluster.addMember();
                String node = "replicas." + added.name();
                await().atMost(Duration.ofSeconds(10)).until(() -> engine.nodeNames().contains(node));
                RouteView.Candidate first = await().atMost(Duration.ofSeconds(10))
                        .until(() -> candidate(engine, node), candidate -> candidate != null);
                assertThat(first.share()).as("the new member's share when it first may serve").isLessThan(1);
                await().atMost(Duration.ofSeconds(10)).until(() -> load.readsOn(server(added)) > 50);
                await().atMost(RAMP_UP.plusSeconds(5)).until(() -> candidate(engine, node).share() == 1);
                assertThat(load.serversOf("replicas")).as("servers that answered the group's reads")
                        .containsExactlyInAnyOrderElementsOf(replicaServers());
                load.close();
                assertThat(load.failures()).as("failed reads").isEmpty();
                System.out.printf("discovery: %d reads, %d on the added member%n", load.reads(),
                        load.readsOn(server(added)));
            }
        }
    }

    @Test
    @Order(2)
    void aReplicaRemovedUnderLoadDrainsWithNoFailedReadAndNoConnectionLeft() throws Exception {
        try (PostgresEngine engine = engine()) {
            try (GroupDiscovery discovery = discover(engine)) {
                // Closed at once: the test removes a node that Patroni still lists.
            }
            PatroniCluster.Member leaving = cluster.members().stream().filter(member -> !member.isLeader())
                    .findFirst().orElseThrow();
            String node = "replicas." + leaving.name();
            try (ReadLoad load = new ReadLoad(engine, 8, thread -> "replicas")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> load.readsOn(server(leaving)) > 50);
                assertThat(connectionsOn(leaving)).as("connections of the engine on the replica").isPositive();
                long started = System.nanoTime();
                CompletableFuture<Void> drained = engine.removeNode(node);
                assertThat(engine.nodeNames()).doesNotContain(node);
                assertThat(engine.groups().get("replicas").members()).doesNotContain(node);
                drained.get(DRAIN_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
                long drainedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                long readsAfter = load.readsOn(server(leaving));
                Thread.sleep(500);
                assertThat(load.readsOn(server(leaving))).as("reads on the removed replica after its drain")
                        .isEqualTo(readsAfter);
                load.close();
                assertThat(load.failures()).as("failed reads").isEmpty();
                await().atMost(Duration.ofSeconds(5)).until(() -> connectionsOn(leaving) == 0);
                assertThat(drainedMillis).as("drain time, ms").isLessThanOrEqualTo(DRAIN_TIMEOUT.toMillis() + 1000);
                System.out.printf("removal: pool of %s closed %d ms after removeNode, %d reads, 0 failed%n", node,
                        drainedMillis, load.reads());
            }
        }
    }

    @Test
    @Order(3)
    void aMemberThatLeavesPatroniLeavesTheGroup() throws Exception {
        PatroniCluster.Member leaving = cluster.members().stream()
                .filter(member -> !member.isLeader())
                .max((a, b) -> a.name().compareTo(b.name())).orElseThrow();
        try (PostgresEngine engine = engine(); GroupDiscovery discovery = discover(engine)) {
            String node = "replicas." + leaving.name();
            assertThat(engine.nodeNames()).contains(node);
            cluster.removeMember(leaving.name());
            // Gone once its member key expires (the cluster's TTL, 10 s); until then the probe finds it down.
            await().atMost(Duration.ofSeconds(25)).until(() -> !engine.nodeNames().contains(node));
            assertThat(engine.groups().get("replicas").members()).doesNotContain(node).isNotEmpty();
            try (ReadLoad load = new ReadLoad(engine, 4, thread -> "replicas")) {
                await().atMost(Duration.ofSeconds(5)).until(() -> load.reads() > 100);
                load.close();
                assertThat(load.failures()).isEmpty();
                assertThat(load.serversOf("replicas")).doesNotContain(server(leaving));
            }
        }
    }

    @Test
    @Order(4)
    void afterASwitchoverTheOldPrimaryIsADiscoveredReplicaThatServesReads() throws Exception {
        try (PostgresEngine engine = engine(); GroupDiscovery discovery = discover(engine)) {
            PatroniCluster.Member old = cluster.leader();
            String oldNode = "replicas." + old.name();
            assertThat(engine.nodeNames()).doesNotContain(oldNode);
            try (ReadLoad load = new ReadLoad(engine, 4, thread -> "replicas")) {
                cluster.switchover();
                PatroniCluster.Member promoted = cluster.leader();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !engine.nodeNames().contains("replicas." + promoted.name()));
                cluster.awaitHealthy();
                await().atMost(Duration.ofSeconds(15)).until(() -> engine.nodeNames().contains(oldNode));
                long before = load.readsOn(server(old));
                await().atMost(RAMP_UP.plusSeconds(10)).until(() -> load.readsOn(server(old)) > before + 20);
                load.close();
                System.out.printf("switchover under discovery: %d reads, %d failed while the roles changed: %s%n",
                        load.reads(), load.failures().size(), load.failures().stream()
                                .map(failure -> failure.replaceAll("[0-9]+", "#")).distinct().toList());
                // A member promoted before the probe and the discovery see it refuses its node's new connections:
                // the group's other member takes that work.
                assertThat(load.failures()).as("failed reads").isEmpty();
            }
            assertThat(engine.groups().get("replicas").members())
                    .containsExactlyInAnyOrderElementsOf(replicaNodeNames());
        }
    }

    @Test
    @Order(5)
    void nodesAddedAndRemovedWhile16ThreadsRouteMisrouteNothingAndLeaveNoConnection() throws Exception {
        PatroniCluster.Member leader = cluster.leader();
        List<PatroniCluster.Member> replicas = cluster.members().stream().filter(member -> !member.isLeader()).toList();
        Map<String, String> primary = config();
        primary.put("targetServerType", "primary");
        String churnApplication = application + "-churn";
        try (PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder().config(primary)
                .extensions(List.of()).build())
                .extraNode("replica_a", memberNode(replicas.get(0), application))
                .extraNode("replica_b", memberNode(replicas.get(1), application))
                .nodeGroup("replicas", NodeGroup.of(List.of("replica_a", "replica_b")).build())
                .rampUp(Duration.ZERO)
                .build().start()) {
            engine.startConnectionPool(PoolOptions.builder().maxSize(4).minSize(1).drainTimeout(DRAIN_TIMEOUT)
                    .build());
            List<String> boundTo = List.of("primary", "replica_a", "replicas", "replica_b");
            List<CompletableFuture<Void>> drains = new ArrayList<>();
            try (ReadLoad load = new ReadLoad(engine, 16, thread -> boundTo.get(thread % boundTo.size()))) {
                for (int round = 0; round < 100; round++) {
                    String churn = "churn_" + round;
                    engine.addNode(churn, memberNode(replicas.get(round % 2), churnApplication));
                    engine.setGroupMembers("replicas", List.of("replica_a", "replica_b", churn));
                    Thread.sleep(20);
                    drains.add(engine.removeNode(churn));
                }
                load.close();
                assertThat(load.failures()).as("failed reads").isEmpty();
                assertThat(load.serversOf("primary")).as("served 'primary'").containsExactly(server(leader));
                assertThat(load.serversOf("replica_a")).as("served 'replica_a'").containsExactly(server(replicas.get(0)));
                assertThat(load.serversOf("replica_b")).as("served 'replica_b'").containsExactly(server(replicas.get(1)));
                assertThat(load.serversOf("replicas")).as("served 'replicas'")
                        .containsExactlyInAnyOrder(server(replicas.get(0)), server(replicas.get(1)));
                CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                for (PatroniCluster.Member replica : replicas) {
                    assertThat(connectionsOf(replica, churnApplication)).as("connections left by removed nodes on "
                            + replica.name()).isZero();
                }
                assertThat(engine.nodeNames()).containsExactly("primary", "replica_a", "replica_b");
                System.out.printf("churn: 100 nodes added and removed while 16 threads made %d reads, 0 misrouted%n",
                        load.reads());
            }
        }
    }

    private static NodeConfig memberNode(PatroniCluster.Member member, String applicationName) {
        Map<String, String> config = config();
        config.put("host", member.host());
        config.put("port", Integer.toString(member.port()));
        config.put("ApplicationName", applicationName);
        return NodeConfig.builder().config(config).readOnly(true).build();
    }

    private static PostgresEngine engine() {
        Map<String, String> primary = config();
        primary.put("targetServerType", "primary");
        PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder().config(primary).extensions(List.of())
                .build())
                .nodeGroup("replicas", NodeGroup.of(List.of()).discovered().build())
                .healthProbe(PROBE)
                .patroni(cluster.restUrls().stream().map(URI::create).toList())
                .rampUp(RAMP_UP)
                .build().start();
        engine.startConnectionPool(PoolOptions.builder().maxSize(4).minSize(2).drainTimeout(DRAIN_TIMEOUT).build());
        return engine;
    }

    private static GroupDiscovery discover(PostgresEngine engine) {
        Map<String, String> template = config();
        template.remove("host");
        template.remove("port");
        return GroupDiscovery.builder(engine, "replicas", new PatroniMembers(cluster.restUrls().stream()
                .map(URI::create).toList(), Duration.ofSeconds(1)))
                .template(NodeConfig.builder().config(template).build())
                .interval(DISCOVERY_INTERVAL)
                .start();
    }

    private static Map<String, String> config() {
        return cluster.clientConfig(application);
    }

    private static RouteView.Candidate candidate(PostgresEngine engine, String node) {
        return engine.routeView("replicas").candidates().stream().filter(candidate -> candidate.node().equals(node))
                .findFirst().orElse(null);
    }

    private static List<String> replicaNodeNames() {
        return cluster.members().stream().filter(member -> !member.isLeader())
                .map(member -> "replicas." + member.name()).toList();
    }

    private static List<String> replicaServers() {
        return cluster.members().stream().filter(member -> !member.isLeader()).map(PatroniDiscoveryTests::server)
                .toList();
    }

    private static String server(PatroniCluster.Member member) {
        return member.host() + ":" + member.port();
    }

    /** The engine's connections on a member's server, counted there by the test's application name. */
    private static int connectionsOn(PatroniCluster.Member member) throws SQLException {
        return connectionsOf(member, application);
    }

    private static int connectionsOf(PatroniCluster.Member member, String applicationName) throws SQLException {
        try (Connection connection = cluster.connect(member); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE "
                        + "application_name = '" + applicationName + "'")) {
            result.next();
            return result.getInt(1);
        }
    }
}
