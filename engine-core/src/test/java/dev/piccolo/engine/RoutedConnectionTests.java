package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The logical connection: the node is chosen per unit of work, where the work starts, and a transaction
 * stays where it began. Every node is checked server-side.
 */
@ExtendWith(PostgresClusterExtension.class)
class RoutedConnectionTests {

    private static PostgresCluster cluster;

    private static int primary;

    private static int replica;

    private final List<String> joins = new CopyOnWriteArrayList<>();

    private PostgresEngine engine;

    @BeforeAll
    static void cluster(PostgresCluster shared) {
        cluster = shared;
        primary = cluster.primary().port();
        replica = cluster.replica(1).port();
    }

    @AfterEach
    void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    private PostgresEngine engine(PostgresEngine.Builder builder) {
        engine = builder.startupChecks(false).routingListener(new RoutingListener() {

            @Override
            public void onJoin(String requested, String node) {
                joins.add(requested + "->" + node);
            }
        }).build();
        return engine;
    }

    private PostgresEngine pooledEngine() {
        engine(TestNodes.engine(cluster, PostgresCluster.newApplicationName()));
        engine.startConnectionPool(PoolOptions.builder().maxSize(2).build());
        return engine;
    }

    @Test
    void takesNoServerConnectionBeforeTheFirstStatement() throws SQLException {
        String application = PostgresCluster.newApplicationName();
        engine(TestNodes.engine(cluster, application));

        try (Connection connection = engine.getDataSource().getConnection()) {
            connection.setReadOnly(true);
            connection.setAutoCommit(false);
            assertThat(TestNodes.connectionsOf(cluster, "primary", application)).isZero();
            assertThat(port(connection)).isEqualTo(primary);
            assertThat(TestNodes.connectionsOf(cluster, "primary", application)).isEqualTo(1);
            connection.commit();
        }
        TestNodes.awaitConnections(cluster, "primary", application, 0);
    }

    @Test
    void heldConnectionFollowsTheCurrentNodeAtEachUnitOfWorkOutsideATransaction() throws Exception {
        NodeContext nodes = pooledEngine().nodeContext();

        try (Connection held = engine.getDataSource().getConnection()) {
            int first = port(held);
            int onReplica = nodes.call("read_replica_1", () -> port(held));
            int afterwards = port(held);

            assertThat(List.of(first, onReplica, afterwards)).containsExactly(primary, replica, primary);
        }
        assertThat(borrowed()).isZero();
    }

    @Test
    void transactionStaysWhereItBeganAndTheNextOneFollowsTheRequestAgain() throws Exception {
        NodeContext nodes = pooledEngine().nodeContext();

        try (Connection held = engine.getDataSource().getConnection()) {
            int[] inReplicaTransaction = nodes.call("read_replica_1", () -> {
                held.setAutoCommit(false);
                return new int[] { port(held), nodes.call(PostgresEngine.PRIMARY, () -> port(held)) };
            });
            held.commit();
            int nextTransaction = port(held);
            held.rollback();

            assertThat(inReplicaTransaction).containsExactly(replica, replica);
            assertThat(nextTransaction).isEqualTo(primary);
        }
        assertThat(joins).containsExactly("primary->read_replica_1");
    }

    @Test
    void transactionBelongsToTheWorkThatBeganItNotToWhatAsksFirst() throws Exception {
        NodeContext nodes = pooledEngine().nodeContext();

        try (Connection held = engine.getDataSource().getConnection()) {
            held.setAutoCommit(false);
            int firstStatementAskingForTheReplica = nodes.call("read_replica_1", () -> port(held));
            held.rollback();

            assertThat(firstStatementAskingForTheReplica).isEqualTo(primary);
        }
        assertThat(joins).containsExactly("read_replica_1->primary");
    }

    @Test
    void failPolicyRefusesWorkForAnotherNodeInsideATransaction() throws Exception {
        engine(TestNodes.engine(cluster, PostgresCluster.newApplicationName()).nodeSwitchPolicy(NodeSwitchPolicy.FAIL));
        NodeContext nodes = engine.nodeContext();

        try (Connection held = engine.getDataSource().getConnection()) {
            held.setAutoCommit(false);
            port(held);
            assertThatIllegalStateException().isThrownBy(() -> nodes.call("read_replica_1", () -> port(held)))
                    .withMessageContaining("asked for 'read_replica_1'")
                    .withMessageContaining("open on node 'primary'")
                    .withMessageContaining("REQUIRES_NEW");
            assertThat(nodes.call(PostgresEngine.PRIMARY, () -> port(held))).isEqualTo(primary);
            held.rollback();
        }
        assertThat(joins).isEmpty();
    }

    @Test
    void readOnlyConnectionsGoToTheReadOnlyTargetAndReadWriteOnesToThePrimary() throws Exception {
        engine(TestNodes.engine(cluster, PostgresCluster.newApplicationName()).readOnlyTransactions("read_replica_1"));

        try (Connection readOnly = engine.getDataSource().getConnection();
                Connection readWrite = engine.getDataSource().getConnection();
                Connection explicit = engine.getDataSource().getConnection()) {
            readOnly.setReadOnly(true);
            readOnly.setAutoCommit(false);
            readWrite.setAutoCommit(false);
            explicit.setReadOnly(true);

            assertThat(port(readOnly)).isEqualTo(replica);
            assertThat(port(readWrite)).as("read-write, while a read-only transaction is open").isEqualTo(primary);
            assertThat(engine.nodeContext().call(PostgresEngine.PRIMARY, () -> port(explicit)))
                    .as("an explicit request wins").isEqualTo(primary);
            readOnly.commit();
            readWrite.commit();
        }
    }

    @Test
    void readOnlyTargetMustBeANodeOrGroup() {
        assertThatExceptionOfType(NodeConfigurationException.class).isThrownBy(() -> engine(TestNodes
                .engine(cluster, PostgresCluster.newApplicationName()).readOnlyTransactions("replicas")))
                .withMessageContaining("'replicas', which is neither a node nor a group");
    }

    @Test
    void recordsTheNodeThatReallyServedTheLastStatement() throws Exception {
        NodeContext nodes = pooledEngine().nodeContext();

        try (Connection held = engine.getDataSource().getConnection()) {
            held.setAutoCommit(false);
            port(held);
            String joined = nodes.call("read_replica_1", () -> {
                port(held);
                return nodes.lastServedNode().orElseThrow();
            });
            held.commit();
            nodes.call("read_replica_1", () -> port(held));

            assertThat(joined).isEqualTo(PostgresEngine.PRIMARY);
            assertThat(nodes.lastServedNode()).hasValue("read_replica_1");
        }
    }

    @Test
    void closedConnectionRefusesWorkAndReturnsItsServerConnection() throws SQLException {
        pooledEngine();
        Connection connection = engine.getDataSource().getConnection();
        port(connection);
        assertThat(borrowed()).isEqualTo(1);

        connection.close();

        assertThat(connection.isClosed()).isTrue();
        assertThat(borrowed()).isZero();
        assertThatExceptionOfType(SQLException.class).isThrownBy(connection::createStatement)
                .satisfies(ex -> assertThat(ex.getSQLState()).isEqualTo("08003"));
    }

    @Test
    void commitInAutoCommitModeFailsAsTheDriverDoes() throws SQLException {
        engine(TestNodes.engine(cluster, PostgresCluster.newApplicationName()));

        try (Connection connection = engine.getDataSource().getConnection()) {
            assertThatExceptionOfType(SQLException.class).isThrownBy(connection::commit)
                    .withMessageContaining("autoCommit is enabled");
        }
    }

    @Test
    void unknownRequestFailsAtTheFirstStatementNamingTheNodes() throws SQLException {
        engine(TestNodes.engine(cluster, PostgresCluster.newApplicationName()));

        try (Connection connection = engine.getDataSource().getConnection();
                NodeContext.Scope scope = engine.nodeContext().propagate("read_replica_9")) {
            assertThatExceptionOfType(UnknownNodeException.class).isThrownBy(() -> port(connection))
                    .withMessageContaining("'read_replica_9'")
                    .withMessageContaining("[primary, read_replica_1]");
        }
    }

    private int borrowed() {
        return engine.nodes().stream().mapToInt(EngineNode::borrowedConnections).sum();
    }

    private static int port(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT inet_server_port()")) {
            result.next();
            return result.getInt(1);
        }
    }
}
