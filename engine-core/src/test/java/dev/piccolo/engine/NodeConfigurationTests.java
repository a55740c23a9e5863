package dev.piccolo.engine;

import java.util.Map;

import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import ch.qos.logback.classic.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@ExtendWith(PostgresClusterExtension.class)
class NodeConfigurationTests {

    private static final NodeConfig SOME_NODE = NodeConfig.builder().config("host", "127.0.0.1")
            .config("database", "db").build();

    @Test
    void extraNodeNamedPrimaryIsRejected() {
        assertThatExceptionOfType(NodeConfigurationException.class)
                .isThrownBy(() -> PostgresEngine.builder(SOME_NODE).extraNode("primary", SOME_NODE))
                .withMessageContaining("cannot be named 'primary'")
                .satisfies(ex -> assertThat(ex.getSetting()).isEqualTo(EngineSetting.EXTRA_NODES));
    }

    @Test
    void emptyExtraNodeNameIsRejected() {
        assertThatExceptionOfType(NodeConfigurationException.class)
                .isThrownBy(() -> PostgresEngine.builder(SOME_NODE).extraNode("", SOME_NODE))
                .withMessageContaining("empty name");
    }

    @Test
    void duplicateExtraNodeIsRejected() {
        PostgresEngine.Builder builder = PostgresEngine.builder(SOME_NODE).extraNode("read_replica_1", SOME_NODE);
        assertThatExceptionOfType(NodeConfigurationException.class)
                .isThrownBy(() -> builder.extraNode("read_replica_1", SOME_NODE))
                .withMessageContaining("'read_replica_1' is configured twice");
    }

    @Test
    void missingHostNamesNodeAndSetting() {
        assertThatExceptionOfType(NodeConfigurationException.class)
                .isThrownBy(() -> PostgresEngine.builder(NodeConfig.builder().config("database", "db").build()).build())
                .withMessageContaining("Node 'primary' has no config.host")
                .satisfies(ex -> assertThat(ex.getSetting()).isEqualTo(EngineSetting.CONFIG_HOST));
    }

    @Test
    void missingDatabaseOnAnExtraNodeNamesThatNode() {
        assertThatExceptionOfType(NodeConfigurationException.class)
                .isThrownBy(() -> PostgresEngine.builder(SOME_NODE)
                        .extraNode("read_replica_1", NodeConfig.builder().config("host", "h").build())
                        .startupChecks(false).build())
                .withMessageContaining("Node 'read_replica_1' has no config.database");
    }

    @Test
    void nonNumericAndOutOfRangePortsAreRejected() {
        assertThatExceptionOfType(NodeConfigurationException.class)
                .isThrownBy(() -> build(Map.of("host", "h", "database", "d", "port", "five")))
                .withMessageContaining("config.port 'five', which is not a number");
        assertThatExceptionOfType(NodeConfigurationException.class)
                .isThrownBy(() -> build(Map.of("host", "h", "database", "d", "port", "70000")))
                .withMessageContaining("config.port 70000, out of range");
    }

    @Test
    void urlMustBeAPostgresJdbcUrlAndNotMixedWithParts() {
        assertThatExceptionOfType(NodeConfigurationException.class)
                .isThrownBy(() -> build(Map.of("url", "jdbc:mysql://h/d")))
                .withMessageContaining("starting with 'jdbc:mysql://', which is not a PostgreSQL URL");
        assertThatExceptionOfType(NodeConfigurationException.class)
                .isThrownBy(() -> build(Map.of("url", "jdbc:postgresql://h/d", "host", "h")))
                .withMessageContaining("both config.url and config.host");
    }

    @Test
    void urlIsAcceptedInsteadOfParts(PostgresCluster cluster) throws Exception {
        var primary = cluster.primary();
        NodeConfig main = NodeConfig.builder().config("url", primary.jdbcUrl()).config("user", primary.user())
                .config("password", primary.password()).build();
        try (PostgresEngine engine = PostgresEngine.builder(main).build()) {
            assertThat(TestNodes.serverPort(engine.getDataSource())).isEqualTo(primary.port());
        }
    }

    @Test
    void unknownDriverPropertyIsPassedThroughWithAWarningNamingIt(PostgresCluster cluster) throws Exception {
        Map<String, String> config = cluster.primary().config(PostgresCluster.newApplicationName());
        config.put("sslmode", "disable");
        config.put("conectTimeout", "5");
        try (LogCapture logs = new LogCapture();
                PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder().config(config).build()).build()) {
            assertThat(TestNodes.serverPort(engine.getDataSource())).isEqualTo(cluster.primary().port());
            assertThat(logs.messages(ConnectionSettings.class.getName(), Level.WARN))
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .contains("'conectTimeout'").contains("Node 'primary'");
        }
    }

    @Test
    void poolOptionsRejectImpossibleValuesWhereTheyAreSet() {
        assertThatIllegalArgumentException().isThrownBy(() -> PoolOptions.builder().maxSize(0))
                .withMessage("max-size cannot be less than 1, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> PoolOptions.builder().minSize(-1))
                .withMessage("min-size cannot be negative, was -1");
        assertThatIllegalArgumentException().isThrownBy(() -> PoolOptions.builder().maxSize(2).minSize(3).build())
                .withMessage("min-size (3) cannot be greater than max-size (2)");
    }

    @Test
    void toStringNeverShowsThePassword() {
        NodeConfig config = NodeConfig.builder().config("host", "h").config("database", "d")
                .config("password", "s3cr3t-value").config("sslpassword", "key-s3cr3t").build();

        assertThat(config.toString()).doesNotContain("s3cr3t").contains("password=******");
    }

    private static void build(Map<String, String> config) {
        PostgresEngine.builder(NodeConfig.builder().config(config).build()).startupChecks(false).build();
    }
}
