package dev.piccolo.ecosystem.pgbouncer;

import java.nio.file.Path;

import dev.piccolo.ecosystem.Applications;
import dev.piccolo.engine.test.ClusterNode;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The main node behind pgbouncer in transaction pooling mode, with the PgJDBC setting that mode needs
 * ({@code prepareThreshold=0}: no named server-side statements, which would not survive a change of
 * server connection between transactions). {@code .ci/run} installs pgbouncer; without it this test
 * is skipped and says so.
 */
@ExtendWith(PostgresClusterExtension.class)
class PgBouncerTests {

    @Test
    void engineWorksThroughPgBouncerInTransactionMode(PostgresCluster cluster) throws Exception {
        Path binary = PgBouncer.binary().orElse(null);
        assumeTrue(binary != null, "pgbouncer is not installed (Debian: apt-get install pgbouncer)");
        ClusterNode primary = cluster.primary();
        try (PgBouncer bouncer = PgBouncer.start(binary, primary);
                ConfigurableApplicationContext context = Applications.run(PgBouncerApplication.class, cluster,
                        "piccolo.db.config.port=" + bouncer.port(), "piccolo.db.config.prepareThreshold=0",
                        "piccolo.db.extensions=", "piccolo.db.pool.max-size=6",
                        "piccolo.db.extra-nodes.read_replica_1.config.port=" + cluster.replica(1).port())) {
            PgBouncerApplication.Work work = context.getBean(PgBouncerApplication.Work.class);

            for (int call = 0; call < 200; call++) {
                assertThat(work.primaryInTransaction(call)).isEqualTo(primary.port());
                assertThat(work.primary(call)).isEqualTo(primary.port());
                assertThat(work.replica(call)).isEqualTo(cluster.replica(1).port());
            }
        }
    }
}
