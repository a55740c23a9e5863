package dev.piccolo.ecosystem.pgjdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import dev.piccolo.ecosystem.NodePorts;
import dev.piccolo.engine.NodeContext;
import dev.piccolo.engine.test.ClusterNode;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@code LISTEN} on a connection of the application's DataSource ties that connection to its server session on the
 * primary until it closes: notifications sent from elsewhere reach it through
 * {@code unwrap(PGConnection.class).getNotifications(...)}, also after work for read_replica_1 ran on the
 * application's other connections, and a statement it runs while read_replica_1 is bound still runs in that
 * session, on the primary ({@code node-switch-in-transaction: join}, the default). No other connection of the
 * application is handed that session meanwhile.
 */
@ExtendWith(PostgresClusterExtension.class)
class ListenNotifyTests {

    private static final String CHANNEL = "piccolo_events";

    private static final int NOTIFICATION_WAIT_MILLIS = 10_000;

    private static final int OTHER_WORK = 5;

    @Test
    void listeningConnectionKeepsItsPrimarySessionAndReceivesNotificationsWhileReplicaWorkRunsElsewhere(
            PostgresCluster cluster) throws Exception {
        try (ConfigurableApplicationContext context = PgJdbcApplication.start(cluster);
                Connection listener = context.getBean(DataSource.class).getConnection()) {
            NodePorts ports = context.getBean(NodePorts.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            NodeContext nodes = context.getBean(NodeContext.class);
            try (Statement statement = listener.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
            }
            int session = queryInt(listener, "SELECT pg_backend_pid()");

            for (int i = 0; i < OTHER_WORK; i++) {
                assertThat(ports.replicaPort()).isEqualTo(cluster.replica(1).port());
                assertThat(jdbc.queryForObject("SELECT pg_backend_pid()", Integer.class))
                        .as("the session of another connection").isNotEqualTo(session);
            }
            assertThat(nodes.call("read_replica_1", () -> queryInt(listener, "SELECT inet_server_port()")))
                    .as("a statement of the listening connection while read_replica_1 is bound")
                    .isEqualTo(cluster.primary().port());
            assertThat(queryInt(listener, "SELECT pg_backend_pid()")).isEqualTo(session);

            PGConnection driver = listener.unwrap(PGConnection.class);
            sendNotification(cluster, "first");
            assertThat(driver.getNotifications(NOTIFICATION_WAIT_MILLIS))
                    .extracting(PGNotification::getName, PGNotification::getParameter)
                    .containsExactly(tuple(CHANNEL, "first"));

            for (int i = 0; i < OTHER_WORK; i++) {
                assertThat(ports.replicaPort()).isEqualTo(cluster.replica(1).port());
            }
            sendNotification(cluster, "second");
            assertThat(driver.getNotifications(NOTIFICATION_WAIT_MILLIS))
                    .extracting(PGNotification::getName, PGNotification::getParameter)
                    .containsExactly(tuple(CHANNEL, "second"));
            assertThat(driver.getBackendPID()).isEqualTo(session);
        }
    }

    /** Sends a notification from a connection of the test's own, outside the application. */
    private static void sendNotification(PostgresCluster cluster, String payload) throws SQLException {
        try (Connection sender = cluster.connect(ClusterNode.PRIMARY); Statement statement = sender.createStatement()) {
            statement.execute("NOTIFY " + CHANNEL + ", '" + payload + "'");
        }
    }

    private static int queryInt(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getInt(1);
        }
    }
}
