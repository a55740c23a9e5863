package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.piccolo.engine.test.OwnCluster;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import ch.qos.logback.classic.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine among the servers of a cluster that keeps its roles: a primary and two streaming replicas
 * of this class's own, next to a server of another cluster. Which server's position counts as the
 * primary's, read-your-writes over a node that spans both standbys while one applies commits late, and
 * a token no server has reached.
 */
@ExtendWith(PostgresClusterExtension.class)
class ClusterTopologyTests {

    private static final HealthProbeOptions FAST_PROBE = new HealthProbeOptions(Duration.ofMillis(100),
            Duration.ofSeconds(1));

    private static final AtomicInteger ids = new AtomicInteger();

    private static PostgresCluster cluster;

    private final List<ReadYourWritesOutcome> outcomes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void cluster(@OwnCluster(replicas = 2) PostgresCluster own) throws SQLException {
        cluster = own;
        execute("primary", "CREATE TABLE IF NOT EXISTS topology_writes (id int PRIMARY KEY)");
        cluster.awaitReplication();
    }

    @AfterEach
    void applyAtOnceAgain() throws SQLException {
        execute("read_replica_2", "ALTER SYSTEM RESET recovery_min_apply_delay");
        execute("read_replica_2", "SELECT pg_reload_conf()");
    }

    /** Item 1 of the issue: any writable node's position was taken as the primary's. */
    @Test
    void onlyThePrimaryOfTheMainNodesClusterGivesThePrimarysPosition() throws Exception {
        try (PostgresCluster other = PostgresCluster.start(0); LogCapture logs = new LogCapture()) {
            // The other cluster's WAL runs far ahead of this one's: ten segments of 16 MB.
            for (int segment = 0; segment < 10; segment++) {
                try (Connection connection = other.connect("primary"); Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE IF NOT EXISTS filler AS SELECT 1 AS x");
                    statement.execute("INSERT INTO filler VALUES (1)");
                    statement.execute("SELECT pg_switch_wal()");
                }
            }
            String application = PostgresCluster.newApplicationName();
            try (PostgresEngine engine = TestNodes.engine(cluster, application)
                    .extraNode("mirror", NodeConfig.builder().config(cluster.primary().config(application))
                            .readOnly(true).build())
                    .extraNode("other_cluster", NodeConfig.builder().config(other.primary().config(application)).build())
                    .healthProbe(FAST_PROBE).build().start()) {
                cluster.awaitReplication();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    NodeStatus replica = engine.nodeStatus("read_replica_1");
                    assertThat(replica.lagBytes()).as("bytes behind this cluster's primary").isNotNull()
                            .isLessThan(1024L * 1024);
                    assertThat(replica.warnings()).isEmpty();
                });
                assertThat(engine.nodeStatus("other_cluster").warnings()).singleElement().asString()
                        .contains("belongs to another cluster");
                assertThat(engine.nodeStatus("mirror").warnings()).isEmpty();
                assertThat(logs.messages(NodeHealthMonitor.class.getName(), Level.WARN))
                        .filteredOn(message -> message.startsWith("Node 'other_cluster'")
                                && message.contains("another cluster")).hasSize(1);
            }
        }
    }

    /** Item 2: one replay position per node was trusted for every server the node reaches. */
    @Test
    void aReadOnANodeSpanningTwoStandbysSeesItsWriteWhileOneAppliesCommitsLate() throws Exception {
        execute("read_replica_2", "ALTER SYSTEM SET recovery_min_apply_delay = '3s'");
        execute("read_replica_2", "SELECT pg_reload_conf()");
        String application = PostgresCluster.newApplicationName();
        try (PostgresEngine engine = engineWithStandbys(application, Duration.ofMillis(50)).build().start()) {
            engine.startConnectionPool(PoolOptions.builder().maxSize(CONNECTIONS).minSize(CONNECTIONS).build());
            awaitBothStandbysConnected(application);
            int missed = 0;
            for (int write = 0; write < 20; write++) {
                int id = insert(engine);
                missed += engine.nodeContext().call("standbys", () -> missedOnEveryConnection(engine, id));
            }
            assertThat(missed).as("reads that missed the row their own thread had just written").isZero();
            assertThat(outcomes).as("the late standby sent reads to the primary").contains(ReadYourWritesOutcome.PRIMARY);
        }
    }

    private static final int CONNECTIONS = 8;

    /** Connections of the node open at once, so that its pool hands out each of its connections, on both servers. */
    private static int missedOnEveryConnection(PostgresEngine engine, int id) throws SQLException {
        List<Connection> open = new ArrayList<>();
        int missed = 0;
        try {
            for (int connection = 0; connection < CONNECTIONS; connection++) {
                Connection reading = engine.getDataSource().getConnection();
                open.add(reading);
                missed += exists(reading, id) ? 0 : 1;
            }
        }
        finally {
            for (Connection connection : open) {
                connection.close();
            }
        }
        return missed;
    }

    /** The pool fills in the background; the driver spreads its connections over both standbys at random. */
    private static void awaitBothStandbysConnected(String application) {
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.connectionCount("read_replica_1", application) > 0
                && cluster.connectionCount("read_replica_2", application) > 0
                && cluster.connectionCount("read_replica_1", application)
                        + cluster.connectionCount("read_replica_2", application) == CONNECTIONS);
    }

    /**
     * Item 9: the driver spread a load-balanced node's connections at random and a standby that came back
     * got none while the pool kept the ones it had; the engine spreads them evenly and hands a returning
     * standby its share within a few probe rounds.
     */
    @Test
    void aLoadBalancedNodeSpreadsItsConnectionsEvenlyAndAStandbyThatComesBackTakesReads() throws Exception {
        String application = PostgresCluster.newApplicationName();
        try (PostgresEngine engine = engineWithStandbys(application, Duration.ofMillis(50)).build().start()) {
            engine.startConnectionPool(PoolOptions.builder().maxSize(CONNECTIONS).minSize(CONNECTIONS).build());
            assertThat(engine.nodeContext().call("standbys", () -> portsOfEveryConnection(engine)))
                    .as("the servers of the node's connections, all open at once")
                    .containsEntry(cluster.replica(1).port(), (long) CONNECTIONS / 2)
                    .containsEntry(cluster.replica(2).port(), (long) CONNECTIONS / 2);
        }
        application = PostgresCluster.newApplicationName();
        cluster.stop("read_replica_2");
        boolean stopped = true;
        try (PostgresEngine engine = engineWithStandbys(application, Duration.ofMillis(50)).build().start()) {
            engine.startConnectionPool(PoolOptions.builder().maxSize(CONNECTIONS).minSize(CONNECTIONS).build());
            assertThat(engine.nodeContext().call("standbys", () -> portsOfEveryConnection(engine)))
                    .containsOnlyKeys(cluster.replica(1).port());
            cluster.start("read_replica_2");
            stopped = false;
            cluster.awaitReplication();
            await().atMost(Duration.ofSeconds(5)).until(() -> engine.nodeContext().call("standbys",
                    () -> portsOfEveryConnection(engine)).getOrDefault(cluster.replica(2).port(), 0L) == CONNECTIONS / 2);
        }
        finally {
            if (stopped) {
                cluster.start("read_replica_2");
            }
        }
    }

    /**
     * Item 2's other half: lag limits judged a node by its worst server, so one standby falling behind
     * excluded the node; now the lagging server is avoided connection by connection and the other serves.
     */
    @Test
    void aLagLimitAvoidsTheServerOfANodeThatFellBehindAndKeepsTheOther() throws Exception {
        String application = PostgresCluster.newApplicationName();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (PostgresEngine engine = engineWithStandbys(application, Duration.ofMillis(50))
                .nodeGroup("fresh", NodeGroup.of(List.of("standbys")).maxLag(Duration.ofSeconds(1)).build())
                .build().start()) {
            engine.startConnectionPool(PoolOptions.builder().maxSize(CONNECTIONS).minSize(CONNECTIONS).build());
            execute("read_replica_2", "SELECT pg_wal_replay_pause()");
            // Writes go on for longer than the limit: the paused standby falls behind by more.
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
            while (System.nanoTime() < until) {
                insert(engine);
                TimeUnit.MILLISECONDS.sleep(20);
            }
            // On a thread that wrote nothing, so that read-your-writes does not send the reads to the primary.
            Map<Integer, Long> ports = reader.submit(() -> engine.nodeContext().call("fresh",
                    () -> portsOfEveryConnection(engine))).get();
            assertThat(ports).as("the servers of the group's reads under a 1 s lag limit")
                    .containsOnlyKeys(cluster.replica(1).port());
            assertThat(engine.nodeStatus("standbys").lag()).as("the node's lag in health: its worst server's")
                    .isGreaterThan(Duration.ofSeconds(1));
        }
        finally {
            execute("read_replica_2", "SELECT pg_wal_replay_resume()");
            reader.shutdownNow();
        }
    }

    /**
     * A node listing several hosts connects through the engine's own data source; what a pool customizer
     * gives HikariCP (driver properties, a user and password) still reaches the driver, as for one host.
     */
    @Test
    void aCustomizersPoolSettingsReachTheConnectionsOfANodeListingSeveralHosts() throws Exception {
        String application = PostgresCluster.newApplicationName();
        Map<String, String> main = cluster.primary().config(application);
        String user = main.get("user");
        String password = main.get("password");
        main.put("host", cluster.replica(1).host() + "," + cluster.primary().host());
        main.put("port", cluster.replica(1).port() + "," + cluster.primary().port());
        main.put("targetServerType", "primary");
        try (PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder().config(main).extensions(List.of())
                .build()).healthProbe(FAST_PROBE).startupChecks(false).poolCustomizer((node, hikari) -> {
                    hikari.setUsername(user);
                    hikari.setPassword(password);
                    hikari.addDataSourceProperty("ApplicationName", application + "-customized");
                }).build().start()) {
            engine.startConnectionPool(PoolOptions.builder().maxSize(2).build());
            assertThat(TestNodes.queryString(engine.getDataSource(), "SELECT current_setting('application_name') "
                    + "|| ' ' || inet_server_port()"))
                    .isEqualTo(application + "-customized " + cluster.primary().port());
        }
    }

    /** How many of the node's connections, all borrowed at once, are on each server (by port). */
    private static Map<Integer, Long> portsOfEveryConnection(PostgresEngine engine) throws SQLException {
        List<Connection> open = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            for (int connection = 0; connection < CONNECTIONS; connection++) {
                Connection reading = engine.getDataSource().getConnection();
                open.add(reading);
                try (Statement statement = reading.createStatement();
                        ResultSet result = statement.executeQuery("SELECT inet_server_port()")) {
                    result.next();
                    ports.add(result.getInt(1));
                }
            }
        }
        finally {
            for (Connection connection : open) {
                connection.close();
            }
        }
        return ports.stream().collect(Collectors.groupingBy(port -> port, Collectors.counting()));
    }

    /** Items 3 and 4: a token ahead of every server asks the primary once, borrowing nothing inside a borrow. */
    @Test
    void aForgedTokenHoldsNoStandbyConnectionWhileThePrimaryIsBusy() throws Exception {
        String application = PostgresCluster.newApplicationName();
        try (PostgresEngine engine = TestNodes.engine(cluster, application).readYourWrites(Duration.ofMillis(50))
                .healthProbe(FAST_PROBE).routingListener(outcomeListener()).build().start()) {
            engine.startConnectionPool(PoolOptions.builder().maxSize(1).minSize(1)
                    .hikari(hikari -> hikari.setConnectionTimeout(30_000)).build());
            ExecutorService threads = Executors.newSingleThreadExecutor();
            CountDownLatch primaryHeld = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            Future<?> holder = threads.submit(() -> {
                try (Connection busy = engine.getDataSource().getConnection(); Statement statement = busy.createStatement()) {
                    statement.execute("SELECT 1");
                    primaryHeld.countDown();
                    done.await();
                }
                return null;
            });
            try {
                assertThat(primaryHeld.await(10, TimeUnit.SECONDS)).isTrue();
                ConsistencyToken forged = new ConsistencyToken(Long.MAX_VALUE >>> 1);
                long started = System.nanoTime();
                Integer port = engine.readYourWrites().call(forged,
                        () -> engine.nodeContext().call("read_replica_1", () -> TestNodes.serverPort(
                                engine.getDataSource())));
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertThat(port).as("the read ran on the replica, the token clamped").isEqualTo(cluster.replica(1).port());
                assertThat(took).as("bounded by max-wait, not by the primary pool's 30 s connection timeout")
                        .isLessThan(Duration.ofSeconds(5));
            }
            finally {
                done.countDown();
                holder.get(10, TimeUnit.SECONDS);
                threads.shutdown();
            }
        }
    }

    @Test
    void aTokenOfAnotherClusterIsIgnored() throws Exception {
        execute("read_replica_1", "SELECT pg_wal_replay_pause()");
        String application = PostgresCluster.newApplicationName();
        try (PostgresEngine engine = TestNodes.engine(cluster, application).readYourWrites(Duration.ofMillis(50))
                .healthProbe(FAST_PROBE).routingListener(outcomeListener()).build().start()) {
            insert(engine);
            ConsistencyToken ours = engine.readYourWrites().lastWrite();
            assertThat(ours).isNotNull();
            assertThat(ours.cluster()).as("bound to the cluster").isNotZero();
            ConsistencyToken foreign = new ConsistencyToken(ours.walPosition(), ours.cluster() + 1, ours.timeline());
            int port = engine.readYourWrites().call(ConsistencyToken.parse(foreign.toString()),
                    () -> engine.nodeContext().call("read_replica_1", () -> TestNodes.serverPort(
                            engine.getDataSource())));
            assertThat(port).as("the paused replica serves: the token means nothing here")
                    .isEqualTo(cluster.replica(1).port());
        }
        finally {
            execute("read_replica_1", "SELECT pg_wal_replay_resume()");
        }
    }

    private PostgresEngine.Builder engineWithStandbys(String application, Duration maxWait) {
        Map<String, String> standbys = cluster.replica(1).config(application);
        standbys.put("host", cluster.replica(1).host() + "," + cluster.replica(2).host());
        standbys.put("port", cluster.replica(1).port() + "," + cluster.replica(2).port());
        standbys.put("targetServerType", "secondary");
        standbys.put("loadBalanceHosts", "true");
        return PostgresEngine.builder(NodeConfig.builder().config(cluster.primary().config(application)).build())
                .extraNode("standbys", NodeConfig.builder().config(standbys).build())
                .readYourWrites(maxWait).healthProbe(FAST_PROBE).routingListener(outcomeListener());
    }

    private RoutingListener outcomeListener() {
        return new RoutingListener() {
            @Override
            public void onReadYourWrites(String node, ReadYourWritesOutcome outcome) {
                outcomes.add(outcome);
            }
        };
    }

    private static int insert(PostgresEngine engine) throws SQLException {
        int id = ids.incrementAndGet();
        try (Connection connection = engine.getDataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement("INSERT INTO topology_writes VALUES (?)")) {
            statement.setInt(1, id);
            statement.executeUpdate();
        }
        return id;
    }

    private static boolean exists(Connection connection, int id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM topology_writes WHERE id = ?")) {
            statement.setInt(1, id);
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        }
    }

    static void execute(String node, String sql) throws SQLException {
        try (Connection connection = cluster.connect(node); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
