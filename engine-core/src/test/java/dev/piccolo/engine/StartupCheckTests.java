package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import dev.piccolo.engine.test.LoopbackPorts;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import ch.qos.logback.classic.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(PostgresClusterExtension.class)
class StartupCheckTests {

    @Test
    void defaultExtensionIsCreatedOnThePrimaryAndSkippedOnTheReplica(PostgresCluster cluster) throws Exception {
        execute(cluster, "DROP EXTENSION IF EXISTS \"uuid-ossp\"");
        cluster.awaitReplication();
        try (LogCapture logs = new LogCapture();
                PostgresEngine engine = TestNodes.engine(cluster, PostgresCluster.newApplicationName())
                        .extraNode("replica_with_extensions", NodeConfig.builder()
                                .config(cluster.replica(1).config("x")).extensions("uuid-ossp").build())
                        .build().start()) {
            assertThat(TestNodes.queryString(engine.getDataSource(),
                    "SELECT count(*) FROM pg_extension WHERE extname = 'uuid-ossp'")).isEqualTo("1");
            assertThat(TestNodes.queryString(engine.getDataSource(), "SELECT uuid_generate_v4() IS NOT NULL"))
                    .isEqualTo("t");
            assertThat(logs.messages(ExtensionInstaller.class.getName(), Level.INFO)).singleElement()
                    .asString().contains("Node 'replica_with_extensions' is read-only or in recovery");
        }
    }

    @Test
    void versionIsLoggedForEveryNode(PostgresCluster cluster) {
        try (LogCapture logs = new LogCapture();
                PostgresEngine engine = TestNodes.engine(cluster, PostgresCluster.newApplicationName()).build().start()) {
            String version = engine.node("primary").serverVersion().orElseThrow().toString();
            assertThat(logs.messages(ServerVersionCheck.class.getName(), Level.INFO)).containsExactlyInAnyOrder(
                    "Running Postgres version " + version + " on node primary",
                    "Running Postgres version " + version + " on node read_replica_1");
        }
    }

    @Test
    void extensionNameWithAQuoteCannotInjectSql(PostgresCluster cluster) throws Exception {
        String injection = "uuid-ossp\"; CREATE TABLE injected_by_extension (id int); --";
        assertThatExceptionOfType(ExtensionException.class)
                .isThrownBy(() -> engineWithExtension(cluster, injection).close())
                .satisfies(ex -> assertThat(ex.getExtension()).isEqualTo(injection));

        assertThat(cluster.queryString("primary",
                "SELECT count(*) FROM pg_class WHERE relname = 'injected_by_extension'")).isEqualTo("0");
        assertThat(ExtensionInstaller.createStatement(injection))
                .isEqualTo("CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\"\"; CREATE TABLE injected_by_extension (id "
                        + "int); --\"");
    }

    @Test
    void missingExtensionFailsStartUpNamingExtensionAndNode(PostgresCluster cluster) {
        assertThatExceptionOfType(ExtensionException.class)
                .isThrownBy(() -> engineWithExtension(cluster, "no_such_extension").close())
                .withMessageContaining("extension \"no_such_extension\" on node 'primary'")
                .satisfies(ex -> assertThat(ex.getNode()).isEqualTo("primary"));
    }

    @Test
    void missingExtensionOnlyWarnsUnderTheWarnPolicy(PostgresCluster cluster) {
        try (LogCapture logs = new LogCapture();
                PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder()
                        .config(cluster.primary().config("x")).extensions("no_such_extension").build())
                        .extensionFailurePolicy(ExtensionFailurePolicy.WARN).build().start()) {
            assertThat(logs.messages(ExtensionInstaller.class.getName(), Level.WARN)).singleElement().asString()
                    .contains("Node 'primary': cannot create extension \"no_such_extension\"");
        }
    }

    @Test
    void insufficientPrivilegeWarnsWithTheStatementToRunByHand(PostgresCluster cluster) throws Exception {
        execute(cluster, "DROP ROLE IF EXISTS piccolo_app; CREATE ROLE piccolo_app LOGIN PASSWORD 'app-pw'");
        Map<String, String> config = cluster.primary().config("x");
        config.put("user", "piccolo_app");
        config.put("password", "app-pw");
        try (LogCapture logs = new LogCapture();
                PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder().config(config)
                        .extensions("file_fdw").build()).build().start()) {
            assertThat(logs.messages(ExtensionInstaller.class.getName(), Level.WARN)).singleElement().asString()
                    .contains("Node 'primary'", "\"file_fdw\"", "CREATE EXTENSION IF NOT EXISTS \"file_fdw\"");
        }
    }

    @Test
    void unreachableMainNodeFailsStartUpNamingIt(PostgresCluster cluster) {
        Map<String, String> config = cluster.primary().config("x");
        config.put("port", Integer.toString(LoopbackPorts.free()));
        assertThatExceptionOfType(NodeUnavailableException.class)
                .isThrownBy(() -> PostgresEngine.builder(NodeConfig.builder().config(config).build()).build().start())
                .withMessageContaining("Node 'primary'")
                .withMessageContaining("At start-up: Node 'primary'").withMessageContaining("is not reachable");
    }

    @Test
    void wrongPasswordFailsStartUpWithoutShowingThePassword(PostgresCluster cluster) {
        Map<String, String> config = cluster.primary().config("x");
        config.put("password", "wrong-Pa55word-xyz");
        assertThatExceptionOfType(NodeUnavailableException.class)
                .isThrownBy(() -> PostgresEngine.builder(NodeConfig.builder().config(config).build()).build().start())
                .satisfies(ex -> {
                    assertThat(ex.getProblem()).contains("rejected the login");
                    assertThat(ex.getRemedy()).isEqualTo("Check config.user and config.password. The main node must "
                            + "be reachable at start-up.");
                    for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
                        assertThat(cause.getMessage()).doesNotContain("wrong-Pa55word-xyz");
                        assertThat(cause.toString()).doesNotContain("wrong-Pa55word-xyz");
                    }
                });
    }

    @Test
    void unreachableExtraNodeStartsDegradedUnlessFailFast(PostgresCluster cluster) {
        Map<String, String> down = cluster.replica(1).config("x");
        down.put("port", Integer.toString(LoopbackPorts.free()));
        try (LogCapture logs = new LogCapture();
                PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder()
                        .config(cluster.primary().config("x")).build())
                        .extraNode("read_replica_1", NodeConfig.builder().config(down).build()).build().start()) {
            assertThat(logs.messages(PostgresEngine.class.getName(), Level.WARN)).singleElement().asString()
                    .contains("At start-up: Node 'read_replica_1'", "is not reachable", "fail-fast=true");
            engine.startConnectionPool(PoolOptions.builder().maxSize(1).build());
            assertThat(engine.node("read_replica_1").isPooled()).isTrue();
        }
        assertThatExceptionOfType(NodeUnavailableException.class)
                .isThrownBy(() -> PostgresEngine.builder(NodeConfig.builder()
                        .config(cluster.primary().config("x")).build())
                        .extraNode("read_replica_1", NodeConfig.builder().config(down).failFast(true).build()).build()
                        .start())
                .withMessageContaining("Node 'read_replica_1'");
    }

    @Test
    void startupChecksCanBeSwitchedOff(PostgresCluster cluster) {
        Map<String, String> down = cluster.primary().config("x");
        down.put("port", Integer.toString(LoopbackPorts.free()));
        try (PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder().config(down).build())
                .startupChecks(false).build().start()) {
            assertThat(engine.node("primary").serverVersion()).isEmpty();
        }
    }

    private static PostgresEngine engineWithExtension(PostgresCluster cluster, String extension) {
        return PostgresEngine.builder(NodeConfig.builder().config(cluster.primary().config("x"))
                .extensions(extension).build()).build().start();
    }

    private static void execute(PostgresCluster cluster, String sql) throws SQLException {
        try (Connection connection = cluster.connect("primary"); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

}
