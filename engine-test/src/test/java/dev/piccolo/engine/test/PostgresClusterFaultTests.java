package dev.piccolo.engine.test;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PostgresClusterFaultTests {

    @Test
    void stoppedReplicaRefusesConnectionsAndStartsAgainOnTheSamePort() throws SQLException {
        try (PostgresCluster cluster = PostgresCluster.start(2)) {
            int port = cluster.replica(1).port();

            cluster.stop("read_replica_1");
            assertThatExceptionOfType(SQLException.class).isThrownBy(() -> cluster.connect("read_replica_1").close());
            PostgresClusterTests.execute(cluster, "primary", "CREATE TABLE while_down (id int)");
            PostgresClusterTests.execute(cluster, "primary", "INSERT INTO while_down VALUES (7)");
            cluster.awaitReplication();
            assertThat(cluster.queryString("read_replica_2", "SELECT id::text FROM while_down"))
                    .isEqualTo("7");

            cluster.start("read_replica_1");
            cluster.awaitReplication();

            assertThat(cluster.replica(1).port()).isEqualTo(port);
            assertThat(cluster.queryString("read_replica_1", "SELECT id::text FROM while_down"))
                    .isEqualTo("7");
            assertThat(cluster.queryString("read_replica_1", "SELECT pg_is_in_recovery()::text"))
                    .isEqualTo("true");
        }
    }

    @Test
    void restartedPrimaryAcceptsConnectionsAgain() throws SQLException {
        try (PostgresCluster cluster = PostgresCluster.start(0)) {
            cluster.restart("primary");

            assertThat(cluster.queryString("primary", "SELECT 'up'")).isEqualTo("up");
            assertThat(cluster.replicas()).isEmpty();
        }
    }

    @Test
    void closeStopsEveryServerAndDeletesItsFiles() {
        PostgresCluster cluster = PostgresCluster.start(1);
        // Only this cluster's folder: another process may be making clusters in the same temp directory.
        Optional<Path> files = cluster.filesDirectory();
        files.ifPresent(folder -> assertThat(folder).isNotEmptyDirectory());

        cluster.close();

        assertThatExceptionOfType(SQLException.class).isThrownBy(() -> cluster.connect("primary").close());
        assertThatExceptionOfType(SQLException.class).isThrownBy(() -> cluster.connect("read_replica_1").close());
        files.ifPresent(folder -> assertThat(folder).doesNotExist());
    }
}
