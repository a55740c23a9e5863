package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import dev.piccolo.engine.test.PostgresCluster;

import static org.assertj.core.api.Assertions.assertThat;

/** Builds engines on the test cluster and reads what the servers see. */
final class TestNodes {

    private TestNodes() {
    }

    /** An engine with the cluster's primary and read_replica_1, default settings otherwise. */
    static PostgresEngine.Builder engine(PostgresCluster cluster, String applicationName) {
        return PostgresEngine.builder(NodeConfig.builder().config(cluster.primary().config(applicationName)).build())
                .extraNode("read_replica_1",
                        NodeConfig.builder().config(cluster.replica(1).config(applicationName)).build());
    }

    /** The port of the server that answers on a connection of {@code dataSource}. */
    static int serverPort(DataSource dataSource) throws SQLException {
        return Integer.parseInt(queryString(dataSource, "SELECT inet_server_port()::text"));
    }

    static boolean inRecovery(DataSource dataSource) throws SQLException {
        return Boolean.parseBoolean(queryString(dataSource, "SELECT pg_is_in_recovery()::text"));
    }

    static String queryString(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).isTrue();
            return result.getString(1);
        }
    }

    /** Connections the server {@code node} has open for {@code applicationName}, ours excluded. */
    static int connectionsOf(PostgresCluster cluster, String node, String applicationName) {
        return cluster.connectionCount(node, applicationName);
    }

    /** Waits, at most 10 s, until {@code node} has exactly {@code expected} connections of the application. */
    static void awaitConnections(PostgresCluster cluster, String node, String applicationName, int expected) {
        cluster.awaitConnectionCount(node, applicationName, expected);
    }
}
