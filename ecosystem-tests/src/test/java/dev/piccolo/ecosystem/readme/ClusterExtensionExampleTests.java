package dev.piccolo.ecosystem.readme;

import java.sql.Connection;
import java.sql.Statement;

import dev.piccolo.engine.test.OwnCluster;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** README's example of piccolo-engine-test, run as it stands. */
// tag::cluster-extension[]
@ExtendWith(PostgresClusterExtension.class)
class ClusterExtensionExampleTests {
    @Test
    void readsOnTheReplica(PostgresCluster cluster) throws Exception { // the JVM's shared cluster
        try (Connection c = cluster.connect("primary"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS readme_example (id int)");
        }
        cluster.awaitReplication();                                   // replicas caught up
        assertThat(cluster.queryString("read_replica_1", "SELECT to_regclass('readme_example')::text"))
                .isEqualTo("readme_example");
    }

    @Test
    void survivesAReplicaRestart(@OwnCluster(replicas = 2) PostgresCluster cluster) throws Exception {
        cluster.restart("read_replica_1");                            // a cluster of this class's own
        assertThat(cluster.queryString("read_replica_1", "SELECT pg_is_in_recovery()::text")).isEqualTo("true");
    }
}
// end::cluster-extension[]
