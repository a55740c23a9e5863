package dev.piccolo.engine.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.piccolo.engine.EngineNode;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.test.OwnCluster;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Nodes failing under a running application, on a cluster of this class's own. Each test leaves every
 * node running. Recovery times are printed for the README's Reliability section.
 */
@ExtendWith(PostgresClusterExtension.class)
class FaultToleranceTests {

    private static final String FAST_FAILING_POOL = "piccolo.db.pool.connection-timeout=1000";

    private static PostgresCluster cluster;

    @BeforeAll
    static void cluster(@OwnCluster PostgresCluster own) {
        cluster = own;
    }

    /** Item 8 of issue 24: the transaction manager's failed rollback hid why the unit of work failed. */
    @Test
    void aTransactionWhoseServerSessionEndedFailsNamingTheNodeAndTheCauseNotTheRollback() throws Exception {
        try (ConfigurableApplicationContext context = ClusterApplications.start(cluster,
                PostgresCluster.newApplicationName())) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            TransactionTemplate transaction = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            Throwable failure = catchThrowable(() -> transaction.executeWithoutResult(status -> {
                Integer pid = jdbc.queryForObject("SELECT pg_backend_pid()", Integer.class);
                try (Connection admin = cluster.connect("primary");
                        Statement statement = admin.createStatement()) {
                    statement.execute("SELECT pg_terminate_backend(" + pid + ")");
                }
                catch (SQLException ex) {
                    throw new IllegalStateException(ex);
                }
                jdbc.queryForObject("SELECT 1", Integer.class);
            }));
            assertThat(failure).isInstanceOf(DataAccessException.class).isNotInstanceOf(TransactionSystemException.class)
                    .hasMessageContaining("Node 'primary'");
            assertThat(((SQLException) failure.getCause()).getSQLState()).matches("08.*|57P01");
            assertThat(jdbc.queryForObject("SELECT 1", Integer.class)).as("the next unit gets a new session").isOne();
        }
    }

    @Test
    void stoppedReplicaFailsNamingTheNodeWhilePrimaryWorksAndRecoversWhenItReturns() {
        try (ConfigurableApplicationContext context = ClusterApplications.start(cluster,
                PostgresCluster.newApplicationName(), FAST_FAILING_POOL, "piccolo.db.pool.max-size=2")) {
            NodeProbe probe = context.getBean(NodeProbe.class);
            assertThat(probe.replicaPort()).isEqualTo(cluster.replica(1).port());

            cluster.stop("read_replica_1");
            try {
                DataAccessException failure = failureNamingTheNode(probe);
                assertThat(failure).hasStackTraceContaining("Node 'read_replica_1'")
                        .hasStackTraceContaining("request timed out after 100");
                assertThat(probe.primaryPort()).isEqualTo(cluster.primary().port());
                assertThat(health(context, "read_replica_1")).isEqualTo(Status.DOWN);
                assertThat(health(context, "primary")).isEqualTo(Status.UP);
            }
            finally {
                cluster.start("read_replica_1");
            }
            long restartedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> probe.replicaPort() == cluster.replica(1).port());
            System.out.printf("Replica usable again %d ms after its server accepted connections%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt));
            assertThat(health(context, "read_replica_1")).isEqualTo(Status.UP);
        }
    }

    /**
     * After a crash, each connection that was in use in the last half second is handed out once more
     * (HikariCP skips its liveness check then) and fails with the driver's error, which names the node;
     * the pool drops it. Once those are gone every call fails with the pool's timeout, which names it too.
     */
    private static DataAccessException failureNamingTheNode(NodeProbe probe) {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                probe.replicaPort();
                fail("a call on a stopped replica succeeded");
            }
            catch (DataAccessException ex) {
                assertThat(ex).hasStackTraceContaining("Node 'read_replica_1'");
                for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
                    if (cause instanceof SQLTransientConnectionException) {
                        return ex;
                    }
                }
            }
        }
        throw new AssertionError("the pool did not time out naming the node within 5 calls");
    }

    @Test
    void primaryRestartIsRecoveredByThePoolWithoutRestartingTheApplication() {
        try (ConfigurableApplicationContext context = ClusterApplications.start(cluster,
                PostgresCluster.newApplicationName(), FAST_FAILING_POOL)) {
            NodeProbe probe = context.getBean(NodeProbe.class);
            assertThat(probe.primaryPort()).isEqualTo(cluster.primary().port());

            cluster.restart("primary");
            long restartedAt = System.nanoTime();

            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> probe.primaryPort() == cluster.primary().port());
            System.out.printf("Primary usable again %d ms after its restart%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt));
            cluster.awaitReplication();
        }
    }

    @Test
    void extraNodeDownAtStartUpIsUsedOnceItComesUp() {
        cluster.stop("read_replica_1");
        ConfigurableApplicationContext context;
        try {
            context = ClusterApplications.start(cluster, PostgresCluster.newApplicationName(), FAST_FAILING_POOL);
        }
        finally {
            cluster.start("read_replica_1");
        }
        try (context) {
            NodeProbe probe = context.getBean(NodeProbe.class);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> probe.replicaPort() == cluster.replica(1).port());
            assertThat(health(context, "read_replica_1")).isEqualTo(Status.UP);
        }
    }

    @Test
    void exhaustedPoolMakesCallersWaitThenFailNamingTheNodeWithoutLeaking() throws Exception {
        String application = PostgresCluster.newApplicationName();
        try (ConfigurableApplicationContext context = ClusterApplications.start(cluster, application,
                "piccolo.db.pool.max-size=2", "piccolo.db.pool.connection-timeout=500")) {
            PostgresEngine engine = context.getBean(PostgresEngine.class);
            NodeProbe probe = context.getBean(NodeProbe.class);
            Connection first = engine.node("read_replica_1").dataSource().getConnection();
            Connection second = engine.node("read_replica_1").dataSource().getConnection();

            CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(probe::replicaPort);
            // HikariCP reports the time it waited: 500 ms, or a few more on a busy machine.
            assertThat(waiting).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                    .withStackTraceContaining("Node 'read_replica_1'")
                    .withStackTraceContaining("request timed out after 50");
            assertThat(probe.primaryPort()).isEqualTo(cluster.primary().port());

            first.close();
            second.close();
            assertThat(probe.replicaPort()).isEqualTo(cluster.replica(1).port());
            EngineNode replica = engine.node("read_replica_1");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> replica.poolStatistics().orElseThrow().active() == 0);
        }
        cluster.awaitConnectionCount("read_replica_1", application, 0);
    }

    @Test
    void shutdownLetsInFlightQueriesFinishThenLeavesNoConnection() {
        String application = PostgresCluster.newApplicationName();
        ConfigurableApplicationContext context = ClusterApplications.start(cluster, application,
                "piccolo.db.pool.drain-timeout=20s");
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        CompletableFuture<String> inFlight = CompletableFuture
                .supplyAsync(() -> jdbc.queryForObject("SELECT 'finished' FROM pg_sleep(1)", String.class));
        await().atMost(Duration.ofSeconds(10)).until(() -> activeQueries(application) == 1);

        context.close();

        assertThat(inFlight).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("finished");
        cluster.awaitConnectionCount("primary", application, 0);
        cluster.awaitConnectionCount("read_replica_1", application, 0);
    }

    private static int activeQueries(String application) throws Exception {
        try (Connection connection = cluster.connect("primary");
                var statement = connection.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                        + "WHERE application_name = ? AND state = 'active'")) {
            statement.setString(1, application);
            try (var result = statement.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }
    }

    private static Status health(ConfigurableApplicationContext context, String node) {
        CompositeHealthContributor piccolo = context.getBean("piccoloHealthContributor",
                CompositeHealthContributor.class);
        return ((HealthIndicator) piccolo.getContributor(node)).health().getStatus();
    }
}
