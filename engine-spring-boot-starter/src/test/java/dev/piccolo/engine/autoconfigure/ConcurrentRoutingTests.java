package dev.piccolo.engine.autoconfigure;

import java.time.Duration;

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
        String application = ClusterProperties.newApplicationName();
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
        String application = ClusterProperties.newApplicationName();
        RoutingWorkload workload;
        int openWhileRunning;
        try (ConfigurableApplicationContext context = ClusterApplications.start(cluster, application,
                "piccolo.db.pool.max-size=8")) {
            workload = new RoutingWorkload(context, cluster);
            workload.run(THREADS, Integer.MAX_VALUE, duration);
            assertNothingBorrowed(context);
            openWhileRunning = cluster.connectionCount("primary", application)
                    + cluster.connectionCount("read_replica_1", application);
        }
        cluster.awaitConnectionCount("primary", application, 0);
        cluster.awaitConnectionCount("read_replica_1", application, 0);
        System.out.printf("Soak: %d s, %d calls, %d wrong node or stale binding, %d thrown on purpose, "
                + "%d connections open before shutdown, 0 after%n", duration.toSeconds(), workload.calls(),
                workload.wrong().size(), workload.thrownOnPurpose(), openWhileRunning);
        assertThat(workload.wrong()).isEmpty();
        assertThat(workload.calls()).isPositive();
    }

    private static void assertNothingBorrowed(ConfigurableApplicationContext context) {
        for (EngineNode node : context.getBean(PostgresEngine.class).nodes()) {
            assertThat(node.poolStatistics()).as(node.name())
                    .hasValueSatisfying(statistics -> assertThat(statistics.active()).isZero());
        }
    }
}
