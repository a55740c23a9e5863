package dev.piccolo.engine;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@ExtendWith(PostgresClusterExtension.class)
class RoutingTests {

    private static PostgresCluster cluster;

    private static PostgresEngine engine;

    @BeforeAll
    static void startEngine(PostgresCluster shared) {
        cluster = shared;
        engine = TestNodes.engine(cluster, PostgresCluster.newApplicationName()).build().start();
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    @Test
    void workGoesToThePrimaryWhenNoNodeIsBound() throws SQLException {
        assertThat(TestNodes.serverPort(engine.getDataSource())).isEqualTo(cluster.primary().port());
        assertThat(TestNodes.inRecovery(engine.getDataSource())).isFalse();
        assertThat(engine.nodeContext().current()).isEqualTo(PostgresEngine.PRIMARY);
    }

    @Test
    void workBoundToReadReplica1RunsOnTheReplica() throws Exception {
        int port = engine.nodeContext().call("read_replica_1", () -> TestNodes.serverPort(engine.getDataSource()));
        boolean recovery = engine.nodeContext().call("read_replica_1",
                () -> TestNodes.inRecovery(engine.getDataSource()));

        assertThat(port).isEqualTo(cluster.replica(1).port());
        assertThat(recovery).isTrue();
    }

    @Test
    void writeRoutedToTheReplicaFailsAsReadOnly() {
        JdbcTemplate jdbc = new JdbcTemplate(engine.getDataSource());
        assertThatExceptionOfType(org.springframework.dao.DataAccessException.class)
                .isThrownBy(() -> engine.nodeContext().run("read_replica_1",
                        () -> jdbc.execute("CREATE TABLE written_on_replica (id int)")))
                .satisfies(ex -> assertThat(((SQLException) ex.getMostSpecificCause()).getSQLState()).isEqualTo("25006"));
    }

    @Test
    void nestedBindingsRestoreTheOuterNode() {
        NodeContext nodes = engine.nodeContext();
        List<String> seen = new ArrayList<>();
        nodes.run("read_replica_1", () -> {
            seen.add(nodes.current());
            nodes.run(PostgresEngine.PRIMARY, () -> seen.add(nodes.current()));
            seen.add(nodes.current());
        });
        seen.add(nodes.current());

        assertThat(seen).containsExactly("read_replica_1", "primary", "read_replica_1", "primary");
        assertThat(nodes.bound()).isEmpty();
    }

    @Test
    void bodyThatThrowsStillRestoresTheOuterNode() {
        NodeContext nodes = engine.nodeContext();
        nodes.run("read_replica_1", () -> {
            assertThatIllegalStateException().isThrownBy(() -> nodes.run(PostgresEngine.PRIMARY, () -> {
                throw new IllegalStateException("on purpose");
            }));
            assertThat(nodes.current()).isEqualTo("read_replica_1");
        });
        assertThat(nodes.bound()).isEmpty();
    }

    @Test
    void unknownNodeFailsTheSameWayOnEveryPathAndListsConfiguredNodes() {
        UnknownNodeException viaContext = catchUnknown(() -> engine.nodeContext().run("read_replica_9", () -> {
        }));
        UnknownNodeException viaView = catchUnknown(() -> engine.node("read_replica_9"));

        assertThat(viaContext).hasMessage(viaView.getMessage())
                .hasMessageContaining("'read_replica_9'")
                .hasMessageContaining("[primary, read_replica_1]");
        assertThat(viaContext.getConfiguredNodes()).containsExactly("primary", "read_replica_1");
        assertThat(catchUnknown(() -> engine.nodeContext().run(" ", () -> {
        }))).hasMessageStartingWith("A node name is blank");
    }

    @Test
    void twoEnginesInOneJvmNeverSeeEachOthersBindings() throws Exception {
        try (PostgresEngine other = TestNodes.engine(cluster, PostgresCluster.newApplicationName()).startupChecks(false)
                .build().start()) {
            int primary = cluster.primary().port();
            int replica = cluster.replica(1).port();

            int[] seenWhileOtherIsBound = other.nodeContext().call("read_replica_1", () -> new int[] {
                    TestNodes.serverPort(engine.getDataSource()), TestNodes.serverPort(other.getDataSource()) });
            int[] seenWhileThisIsBound = engine.nodeContext().call("read_replica_1", () -> new int[] {
                    TestNodes.serverPort(engine.getDataSource()), TestNodes.serverPort(other.getDataSource()) });

            assertThat(seenWhileOtherIsBound).containsExactly(primary, replica);
            assertThat(seenWhileThisIsBound).containsExactly(replica, primary);
            assertThat(engine.nodeContext().bound()).isEmpty();
            assertThat(other.nodeContext().bound()).isEmpty();
        }
    }

    @Test
    void extraNodeNamesAreKeptExactlyAsGiven() {
        assertThat(engine.nodeNames()).containsExactly("primary", "read_replica_1");
        assertThat(engine.node("read_replica_1").name()).isEqualTo("read_replica_1");
    }

    @Test
    void nodeViewUsesItsOwnDataSourceWhateverIsBound() throws SQLException {
        EngineNode replica = engine.node("read_replica_1");

        assertThat(TestNodes.serverPort(replica.dataSource())).isEqualTo(cluster.replica(1).port());
        assertThat(replica.serverVersion()).hasValueSatisfying(version -> assertThat(version.major()).isGreaterThan(9));
        assertThat(replica.poolStatistics()).isEmpty();
    }

    @Test
    void versionComesFromServerVersionNum() throws SQLException {
        String number = TestNodes.queryString(engine.getDataSource(), "SHOW server_version_num");

        assertThat(engine.getVersion().number()).isEqualTo(Integer.parseInt(number));
        assertThat(engine.getVersion("read_replica_1").major()).isEqualTo(Integer.parseInt(number) / 10000);
    }

    private static UnknownNodeException catchUnknown(ThrowingCall call) {
        try {
            call.run();
        }
        catch (UnknownNodeException ex) {
            return ex;
        }
        catch (Exception ex) {
            throw new AssertionError("expected UnknownNodeException, got " + ex, ex);
        }
        throw new AssertionError("expected UnknownNodeException, nothing was thrown");
    }

    @FunctionalInterface
    private interface ThrowingCall {

        void run() throws Exception;
    }
}
