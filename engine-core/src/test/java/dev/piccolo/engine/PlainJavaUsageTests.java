package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine used the way a plain Java program would: no Spring context, only JDBC. */
@ExtendWith(PostgresClusterExtension.class)
class PlainJavaUsageTests {

    @Test
    void programWritesOnThePrimaryAndReadsOnTheReplica(PostgresCluster cluster) throws Exception {
        String application = PostgresCluster.newApplicationName();
        List<String> output = new ArrayList<>();
        run(cluster, application, output);

        assertThat(output).containsExactly("primary wrote on " + cluster.primary().port(),
                "read_replica_1 read 'hello' on " + cluster.replica(1).port());
        TestNodes.awaitConnections(cluster, "primary", application, 0);
        TestNodes.awaitConnections(cluster, "read_replica_1", application, 0);
    }

    /** What a user's {@code main} would do. */
    private static void run(PostgresCluster cluster, String application, List<String> output) throws Exception {
        NodeConfig main = NodeConfig.builder().config(cluster.primary().config(application)).build();
        NodeConfig replica = NodeConfig.builder().config(cluster.replica(1).config(application))
                .readOnly(true).build();
        try (PostgresEngine engine = PostgresEngine.builder(main).extraNode("read_replica_1", replica).build()
                .start()) {
            engine.startConnectionPool(PoolOptions.builder().maxSize(4).build());
            try (Connection connection = engine.getDataSource().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS greeting (text text)");
                statement.execute("DELETE FROM greeting");
                statement.execute("INSERT INTO greeting VALUES ('hello')");
                output.add("primary wrote on " + port(statement));
            }
            cluster.awaitReplication();
            engine.nodeContext().call("read_replica_1", () -> {
                try (Connection connection = engine.getDataSource().getConnection();
                        Statement statement = connection.createStatement();
                        ResultSet result = statement.executeQuery("SELECT text FROM greeting")) {
                    result.next();
                    output.add("read_replica_1 read '" + result.getString(1) + "' on " + port(statement));
                }
                return null;
            });
        }
    }

    private static int port(Statement statement) throws Exception {
        try (ResultSet result = statement.executeQuery("SELECT inet_server_port()")) {
            result.next();
            return result.getInt(1);
        }
    }
}
