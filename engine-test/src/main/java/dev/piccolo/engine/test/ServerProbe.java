package dev.piccolo.engine.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * The SQL checks a {@link PatroniCluster} polls while it waits for a change: whether a server takes
 * writes, is a replica, and which replicas stream from it. Each check opens a connection of its own
 * with short timeouts (a connection to a server that was demoted or killed is of no use) and answers
 * {@code false} or 0 when the server does not.
 */
final class ServerProbe {

    private final ClusterCredentials credentials;

    ServerProbe(ClusterCredentials credentials) {
        this.credentials = credentials;
    }

    /**
     * Whether the server on {@code port} is a primary that takes writes.
     *
     * @param port the server's port on the loopback address
     * @return {@code true} when it is out of recovery and not read-only
     */
    boolean isWritable(int port) {
        return queryBoolean(port, "postgres",
                "SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'");
    }

    /**
     * Whether the server on {@code port} is a replica that has the test database yet.
     *
     * @param port the server's port on the loopback address
     * @return {@code true} when it is in recovery and accepts connections to the test database
     */
    boolean isReplicaWithTestDatabase(int port) {
        return queryBoolean(port, credentials.database(), "SELECT pg_is_in_recovery()");
    }

    /**
     * Counts the replicas that stream from the server on {@code leaderPort}, by their Patroni names
     * ({@code application_name}): {@code pg_basebackup}'s own WAL stream shows in
     * {@code pg_stat_replication} too.
     *
     * @param leaderPort the leader's port on the loopback address
     * @param names the members to count
     * @return how many of them stream now
     */
    int streamingReplicas(int leaderPort, List<String> names) {
        try (Connection connection = connect(leaderPort, "postgres");
                PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM pg_stat_replication "
                        + "WHERE state = 'streaming' AND application_name = ANY (?)")) {
            query.setArray(1, connection.createArrayOf("text", names.toArray()));
            try (ResultSet result = query.executeQuery()) {
                return result.next() ? result.getInt(1) : 0;
            }
        }
        catch (SQLException ex) {
            return 0;
        }
    }

    private boolean queryBoolean(int port, String database, String sql) {
        try (Connection connection = connect(port, database);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            return result.next() && result.getBoolean(1);
        }
        catch (SQLException ex) {
            return false;
        }
    }

    /**
     * Opens a connection as the cluster's superuser that gives up within seconds.
     *
     * @param port the server's port on the loopback address
     * @param database the database to connect to
     * @return a connection the caller closes
     * @throws SQLException when the server does not accept it
     */
    Connection connect(int port, String database) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", credentials.user());
        login.setProperty("password", credentials.password());
        login.setProperty("connectTimeout", "2");
        login.setProperty("socketTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://" + LoopbackPorts.LOOPBACK + ":" + port + "/" + database,
                login);
    }
}
