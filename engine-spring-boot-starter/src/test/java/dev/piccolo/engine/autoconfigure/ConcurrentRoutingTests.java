package dev.piccolo.engine.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

import dev.piccolo.engine.EngineNode;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads switching nodes at once. The soak runs for {@code -Dpiccolo.soak.seconds} (5 in the
 * normal build; README.md gives the command for a one-minute run).
 */
@ExtendWith(PostgresClusterExtension.class)
class ConcurrentRoutingTests {

    private static final int THREADS = 16;

    @Test
    void sixteenThreadsSwitchingNodesAlwaysRunOnTheIntendedNodeAndLeaveNothingBehind(PostgresCluster cluster)
            throws Exception {
        String application = PostgresCluster.newApplicationName();
        try (ConfigurableApplicationContext context = ClusterApplications.start(cluster, application,
                "piccolo.db.pool.max-size=8")) {
            RoutingWorkload workload = new RoutingWorkload(context, cluster);

            workload.run(THREADS, 1000, Duration.ofMinutes(5));

            assertThat(workload.wrong()).isEmpty();
            assertThat(workload.calls()).isEqualTo(THREADS * 1000L);
            assertNothingBorrowed(context);
        }
        cluster.awaitConnectionCount("primary", application, 0);
        cluster.awaitConnectionCount("read_replica_1", application, 0);
    }

    @Test
    void soak(PostgresCluster cluster) throws Exception {
        Duration duration = Duration.ofSeconds(Long.getLong("piccolo.soak.seconds", 5));
        int outages = Integer.getInteger("piccolo.soak.replica-outages", 0);
        String application = PostgresCluster.newApplicationName();
        RoutingWorkload workload;
        int openWhileRunning;
        try (ConfigurableApplicationContext context = ClusterApplications.start(cluster, application,
                "piccolo.db.pool.max-size=8", "piccolo.db.pool.connection-timeout=1000")) {
            workload = new RoutingWorkload(context, cluster);
            CompletableFuture<Void> replicaOutages = CompletableFuture.runAsync(
                    () -> stopAndStartReplica(cluster, outages, duration));
            workload.run(THREADS, Integer.MAX_VALUE, duration);
            replicaOutages.get();
            assertNothingBorrowed(context);
            openWhileRunning = cluster.connectionCount("primary", application)
                    + cluster.connectionCount("read_replica_1", application);
        }
        cluster.awaitConnectionCount("primary", application, 0);
        cluster.awaitConnectionCount("read_replica_1", application, 0);
        System.out.printf("Soak: %d s, %d calls, %d wrong node or stale binding, %d thrown on purpose, "
                + "%d replica outages, %d calls failed while a server was down, %d connections open before "
                + "shutdown, 0 after%n", duration.toSeconds(), workload.calls(), workload.wrong().size(),
                workload.thrownOnPurpose(), outages, workload.failedWhileDown(), openWhileRunning);
        assertThat(workload.wrong()).isEmpty();
        assertThat(workload.calls()).isPositive();
    }

    /** Stops the replica {@code outages} times, evenly over the run, each time for a tenth of the interval. */
    private static void stopAndStartReplica(PostgresCluster cluster, int outages, Duration duration) {
        if (outages == 0) {
            return;
        }
        long interval = duration.toNanos() / (outages + 1);
        for (int outage = 1; outage <= outages; outage++) {
            LockSupport.parkNanos(interval * 9 / 10);
            cluster.stop("read_replica_1");
            LockSupport.parkNanos(interval / 10);
            cluster.start("read_replica_1");
        }
    }

    private static void assertNothingBorrowed(ConfigurableApplicationContext context) {
        for (EngineNode node : context.getBean(PostgresEngine.class).nodes()) {
            assertThat(node.poolStatistics()).as(node.name())
                    .hasValueSatisfying(statistics -> assertThat(statistics.active()).isZero());
        }
    }
}
