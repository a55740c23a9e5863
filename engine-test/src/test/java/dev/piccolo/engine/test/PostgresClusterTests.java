package dev.piccolo.engine.test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@ExtendWith(PostgresClusterExtension.class)
class PostgresClusterTests {

    @Test
    void primaryIsWritableAndReplicaIsInRecovery(PostgresCluster cluster) throws SQLException {
        assertThat(cluster.queryString(ClusterNode.PRIMARY, "SELECT pg_is_in_recovery()::text")).isEqualTo("false");
        assertThat(cluster.queryString("read_replica_1", "SELECT pg_is_in_recovery()::text")).isEqualTo("true");
    }

    @Test
    void eachNodeAnswersOnItsOwnLoopbackPort(PostgresCluster cluster) throws SQLException {
        for (ClusterNode node : cluster.nodes()) {
            assertThat(node.host()).isEqualTo("127.0.0.1");
            assertThat(cluster.queryString(node.name(), "SELECT inet_server_port()::text"))
                    .isEqualTo(Integer.toString(node.port()));
        }
        assertThat(cluster.primary().port()).isNotEqualTo(cluster.replica(1).port());
    }

    @Test
    void rowWrittenOnPrimaryIsVisibleOnReplicaAfterAwaitReplication(PostgresCluster cluster) throws SQLException {
        String table = "replicated_" + System.nanoTime();
        execute(cluster, ClusterNode.PRIMARY, "CREATE TABLE " + table + " (note text)");
        execute(cluster, ClusterNode.PRIMARY, "INSERT INTO " + table + " VALUES ('written on the primary')");

        cluster.awaitReplication();

        assertThat(cluster.queryString("read_replica_1", "SELECT note FROM " + table))
                .isEqualTo("written on the primary");
    }

    @Test
    void writeOnReplicaFailsAsReadOnlyTransaction(PostgresCluster cluster) {
        assertThatExceptionOfType(SQLException.class)
                .isThrownBy(() -> execute(cluster, "read_replica_1", "CREATE TABLE not_here (id int)"))
                .satisfies(ex -> assertThat(ex.getSQLState()).isEqualTo("25006"));
    }

    @Test
    void wrongPasswordIsRejected(PostgresCluster cluster) {
        ClusterNode primary = cluster.primary();
        Properties login = new Properties();
        login.setProperty("user", primary.user());
        login.setProperty("password", "not-" + primary.password());
        assertThatExceptionOfType(SQLException.class)
                .isThrownBy(() -> DriverManager.getConnection(primary.jdbcUrl(), login).close())
                .satisfies(ex -> assertThat(ex.getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void passwordIsNotShownByToString(PostgresCluster cluster) {
        assertThat(cluster.primary().toString()).doesNotContain(cluster.primary().password()).contains("******");
        assertThat(cluster.toString()).doesNotContain(cluster.primary().password());
    }

    @Test
    void unknownNodeNameListsTheNodes(PostgresCluster cluster) {
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> cluster.node("read_replica_9"))
                .withMessageContaining("read_replica_9")
                .withMessageContaining("[primary, read_replica_1]");
    }

    @Test
    void clientProgramsComeFromTheInstallationTheServersRunFrom(PostgresCluster cluster) throws Exception {
        assertThat(cluster.clientProgram("no-such-program")).isEmpty();
        Optional<Path> pgbench = cluster.clientProgram("pgbench");
        assumeTrue(pgbench.isPresent(), "the servers run in containers, whose programs are not this machine's");
        Process process = new ProcessBuilder(pgbench.get().toString(), "--version").redirectErrorStream(true).start();
        String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).isZero();
        String serverVersion = cluster.queryString("primary", "SHOW server_version").split(" ")[0];
        assertThat(version).contains("(PostgreSQL) " + serverVersion);
    }

    static void execute(PostgresCluster cluster, String node, String sql) throws SQLException {
        try (Connection connection = cluster.connect(node); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
