package dev.piccolo.engine.autoconfigure;

import java.sql.SQLException;
import java.util.List;

import dev.piccolo.engine.EngineSetting;
import dev.piccolo.engine.NodeConfigurationException;
import dev.piccolo.engine.NodeUnavailableException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The analyzers fed the engine's exceptions directly, without a database or an application: each
 * analysis names the property a user writes and gives exactly the one remedy the failure carries.
 */
class FailureAnalysisTests {

    @Test
    void aNodeSettingIsNamedByItsNodesProperty() {
        FailureAnalysis analysis = new NodeConfigurationFailureAnalyzer().analyze(new NodeConfigurationException(
                "read_replica_1", EngineSetting.CONFIG_PORT, "Node 'read_replica_1' has config.port 0, out of range.",
                "Set it to the server's TCP port."));

        assertThat(analysis.getDescription()).isEqualTo("The Piccolo engine's configuration is invalid: Node "
                + "'read_replica_1' has config.port 0, out of range.");
        assertThat(analysis.getAction()).isEqualTo("Consider the following:\n\t"
                + "piccolo.db.extra-nodes.read_replica_1.config.port: Set it to the server's TCP port.");
    }

    @Test
    void groupAndEngineSettingsAreNamedByTheirProperties() {
        assertThat(PropertyNames.of("replicas", EngineSetting.GROUP_FALLBACK))
                .isEqualTo("piccolo.db.node-groups.replicas.fallback");
        assertThat(PropertyNames.of("replicas", EngineSetting.NODE_GROUP)).isEqualTo("piccolo.db.node-groups.replicas");
        assertThat(PropertyNames.of("primary", EngineSetting.READ_ONLY_TRANSACTIONS))
                .isEqualTo("piccolo.db.read-only-transactions");
        assertThat(PropertyNames.of("read_replica_1", EngineSetting.POOL_MAX_SIZE))
                .isEqualTo("piccolo.db.extra-nodes.read_replica_1.pool.max-size");
    }

    @Test
    void everySettingMapsToAPropertyUnderThePrefix() {
        for (EngineSetting setting : EngineSetting.values()) {
            assertThat(PropertyNames.of("read_replica_1", setting)).as(setting.name()).startsWith("piccolo.db.")
                    .doesNotEndWith(".").doesNotContain("..");
            assertThat(setting.description()).as(setting.name()).isNotBlank().endsWith(".");
        }
    }

    @Test
    void anUnreachableNodeGivesTheEnginesOneRemedy() {
        FailureAnalysis analysis = new NodeUnavailableFailureAnalyzer().analyze(new NodeUnavailableException(
                "primary", "At start-up: Node 'primary' (jdbc:postgresql://localhost:1/db) is not reachable: refused.",
                "Check piccolo.db.config.host and piccolo.db.config.port, and that the server is running.",
                new SQLException("refused", "08001")));

        assertThat(analysis.getDescription()).isEqualTo("The Piccolo engine could not connect: At start-up: Node "
                + "'primary' (jdbc:postgresql://localhost:1/db) is not reachable: refused.");
        assertThat(analysis.getAction()).isEqualTo("Consider the following:\n\tCheck piccolo.db.config.host and "
                + "piccolo.db.config.port, and that the server is running.");
    }

    @Test
    void aFailureWithoutAKnownRemedyPointsAtTheNodesConfig() {
        FailureAnalysis analysis = new NodeUnavailableFailureAnalyzer().analyze(new NodeUnavailableException(
                "read_replica_1", "The pool of node 'read_replica_1' cannot open: boom.", "", new IllegalStateException()));

        assertThat(analysis.getAction()).isEqualTo("Consider the following:\n\tCheck the server of node "
                + "'read_replica_1' and piccolo.db.extra-nodes.read_replica_1.config.");
    }

    @Test
    void aStarterPropertyFailureGivesItsRemedy() {
        FailureAnalysis analysis = new EnginePropertyFailureAnalyzer().analyze(new EnginePropertyException(
                "spring.datasource.url", "spring.datasource.url is not a PostgreSQL URL.", "Point it at PostgreSQL."));

        assertThat(analysis.getDescription()).isEqualTo("The Piccolo engine cannot start: spring.datasource.url is "
                + "not a PostgreSQL URL.");
        assertThat(analysis.getAction()).isEqualTo("Consider the following:\n\tPoint it at PostgreSQL.");
    }

    @Test
    void anUnknownUseNodeListsTheNodes() {
        FailureAnalysis analysis = new UnknownUseNodeFailureAnalyzer().analyze(new UnknownUseNodeException(
                List.of(new UnknownUseNodeException.Usage("Reports.run()", "reporting")),
                List.of("primary", "read_replica_1")));

        assertThat(analysis.getDescription()).startsWith("@UseNode(\"reporting\") on Reports.run() names a node");
        assertThat(analysis.getAction()).contains("[primary, read_replica_1]",
                "piccolo.db.extra-nodes.<name>.config");
    }
}
