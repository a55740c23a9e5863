package dev.piccolo.engine.autoconfigure;

import dev.piccolo.engine.UseNode;
import dev.piccolo.engine.test.ClusterNode;
import dev.piccolo.engine.test.LoopbackPorts;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import dev.piccolo.engine.test.PostgresClusterProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** Each analyzer is fed the real start-up failure the bad configuration causes. */
@ExtendWith(PostgresClusterExtension.class)
class FailureAnalyzersTests {

    private static PostgresCluster cluster;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PiccoloEngineAutoConfiguration.class, AopAutoConfiguration.class));

    @BeforeAll
    static void cluster(PostgresCluster shared) {
        cluster = shared;
    }

    @Test
    void missingHost() {
        FailureAnalysis analysis = analyze(new NodeConfigurationFailureAnalyzer(), "piccolo.db.config.database=d");
        assertThat(analysis.getDescription()).contains("Node 'primary' has no config.host");
        assertThat(analysis.getAction()).startsWith("Consider the following:").contains("piccolo.db.config.host");
    }

    @Test
    void missingDatabase() {
        FailureAnalysis analysis = analyze(new NodeConfigurationFailureAnalyzer(), "piccolo.db.config.host=h");
        assertThat(analysis.getAction()).contains("piccolo.db.config.database: Set it to the name of the database");
    }

    @Test
    void badPortOnAnExtraNode() {
        FailureAnalysis analysis = analyze(new NodeConfigurationFailureAnalyzer(), withCluster(
                "piccolo.db.extra-nodes.read_replica_1.config.port=99999"));
        assertThat(analysis.getDescription()).contains("config.port 99999, out of range");
        assertThat(analysis.getAction()).contains("piccolo.db.extra-nodes.read_replica_1.config.port");
    }

    @Test
    void extraNodeNamedPrimary() {
        FailureAnalysis analysis = analyze(new NodeConfigurationFailureAnalyzer(), withCluster(
                "piccolo.db.extra-nodes.primary.config.host=127.0.0.1"));
        assertThat(analysis.getDescription()).contains("cannot be named 'primary'");
        assertThat(analysis.getAction()).contains("piccolo.db.extra-nodes: Rename the extra node");
    }

    @Test
    void poolSizeOutOfRange() {
        FailureAnalysis analysis = analyze(new NodeConfigurationFailureAnalyzer(), withCluster(
                "piccolo.db.pool.max-size=4", "piccolo.db.pool.min-size=9"));
        assertThat(analysis.getDescription()).contains("min-size (9) cannot be greater than max-size (4)");
        assertThat(analysis.getAction()).contains("piccolo.db.pool.min-size");
    }

    @Test
    void readOnlyTransactionsNamingNoNodeOrGroup() {
        FailureAnalysis analysis = analyze(new NodeConfigurationFailureAnalyzer(), withCluster(
                "piccolo.db.read-only-transactions=replicas"));
        assertThat(analysis.getDescription()).contains("'replicas', which is neither a node nor a group");
        assertThat(analysis.getAction()).contains("piccolo.db.read-only-transactions");
    }

    @Test
    void groupNamedLikeANode() {
        FailureAnalysis analysis = analyze(new NodeConfigurationFailureAnalyzer(), withCluster(
                "piccolo.db.node-groups.read_replica_1=read_replica_1"));
        assertThat(analysis.getDescription()).contains("has the name of a node");
        assertThat(analysis.getAction()).contains("piccolo.db.node-groups.read_replica_1");
    }

    @Test
    void unknownNodeInUseNode() {
        FailureAnalysis analysis = analyze(new UnknownUseNodeFailureAnalyzer(), contextRunner
                .withPropertyValues(withCluster()).withBean(Misnamed.class));
        assertThat(analysis.getDescription()).contains("@UseNode(\"reporting\")", Misnamed.class.getName() + ".run()");
        assertThat(analysis.getAction()).contains("[primary, read_replica_1]", "piccolo.db.extra-nodes.<name>.config");
    }

    @Test
    void unreachableMainNode() {
        FailureAnalysis analysis = analyze(new NodeUnavailableFailureAnalyzer(), withCluster(
                "piccolo.db.config.port=" + LoopbackPorts.free()));
        assertThat(analysis.getDescription()).contains("could not connect: At start-up: Node 'primary'");
        assertThat(analysis.getAction()).contains("piccolo.db.config.host", "piccolo.db.config.port");
    }

    @Test
    void wrongPasswordNamesThePasswordPropertyButNotThePassword() {
        FailureAnalysis analysis = analyze(new NodeUnavailableFailureAnalyzer(), withCluster(
                "piccolo.db.config.password=Wr0ng-secret"));
        assertThat(analysis.getAction()).contains("piccolo.db.config.user", "piccolo.db.config.password");
        assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("Wr0ng-secret");
    }

    @Test
    void extensionFailure() {
        FailureAnalysis analysis = analyze(new ExtensionFailureAnalyzer(), withCluster(
                "piccolo.db.extensions=no_such_extension"));
        assertThat(analysis.getDescription()).contains("\"no_such_extension\" on node 'primary'");
        assertThat(analysis.getAction()).contains("piccolo.db.extensions", "piccolo.db.extension-failure-policy");
    }

    private FailureAnalysis analyze(FailureAnalyzer analyzer, String... properties) {
        return analyze(analyzer, contextRunner.withPropertyValues(properties));
    }

    private static FailureAnalysis analyze(FailureAnalyzer analyzer, ApplicationContextRunner runner) {
        FailureAnalysis[] analysis = new FailureAnalysis[1];
        runner.run(context -> {
            assertThat(context).hasFailed();
            analysis[0] = analyzer.analyze(context.getStartupFailure());
        });
        assertThat(analysis[0]).as("analysis by " + analyzer.getClass().getSimpleName()).isNotNull();
        return analysis[0];
    }

    private static String[] withCluster(String... overrides) {
        java.util.List<String> pairs = new java.util.ArrayList<>(java.util.List.of(
                PostgresClusterProperties.asPairs(cluster)));
        pairs.addAll(java.util.List.of(overrides));
        return pairs.toArray(String[]::new);
    }


    static class Misnamed {

        @UseNode("reporting")
        public void run() {
        }
    }

    static ClusterNode primary() {
        return cluster.primary();
    }
}
