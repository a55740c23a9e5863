package dev.piccolo.engine.autoconfigure;

import java.util.Map;
import java.util.UUID;

import dev.piccolo.engine.NodeContext;
import dev.piccolo.engine.NodeUnavailableException;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.test.LoopbackPorts;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@ExtendWith(PostgresClusterExtension.class)
class StarterIntegrationTests {

    private static PostgresCluster cluster;

    @BeforeAll
    static void cluster(PostgresCluster shared) {
        cluster = shared;
    }

    private static ConfigurableApplicationContext start(String applicationName, String... properties) {
        return ClusterApplications.start(cluster, applicationName, properties);
    }

    @Test
    void poolsOpenOnlyWhenTheApplicationIsReadyAndNoConnectionRemainsAfterClose() throws Exception {
        String applicationName = PostgresCluster.newApplicationName();
        TestApplication.POOL_RUNNING_IN_RUNNER.clear();
        PostgresEngine engine;
        try (ConfigurableApplicationContext context = start(applicationName, "piccolo.db.pool.max-size=2")) {
            engine = context.getBean(PostgresEngine.class);
            assertThat(TestApplication.POOL_RUNNING_IN_RUNNER).containsExactly(false);
            assertThat(engine.isPoolRunning()).isTrue();
            cluster.awaitConnectionCount("primary", applicationName, 2);
            cluster.awaitConnectionCount("read_replica_1", applicationName, 2);
        }
        assertThat(engine.isPoolRunning()).isFalse();
        cluster.awaitConnectionCount("primary", applicationName, 0);
        cluster.awaitConnectionCount("read_replica_1", applicationName, 0);
    }

    @Test
    void flywayMigratesOnThePrimaryAtStartUpUsingTheExtension() {
        try (ConfigurableApplicationContext context = start(PostgresCluster.newApplicationName())) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE success",
                    Integer.class)).isPositive();
            UUID id = context.getBean(ItemService.class).create("migrated");
            assertThat(id.version()).isEqualTo(4);
        }
    }

    @Test
    void transactionalAndUseNodeRunTheTransactionOnTheReplica() {
        try (ConfigurableApplicationContext context = start(PostgresCluster.newApplicationName())) {
            ItemService items = context.getBean(ItemService.class);
            UUID id = items.create("replicated");
            cluster.awaitReplication();

            Map<String, Object> row = items.readInReplicaTransaction(id);

            assertThat(row).containsEntry("name", "replicated").containsEntry("port", cluster.replica(1).port())
                    .containsEntry("recovery", true).containsEntry("read_only_tx", true);
            assertThat(context.getBean(NodeContext.class).bound()).isEmpty();
        }
    }

    @Test
    void nestedCallsAndExceptionsRestoreTheOuterNode() {
        try (ConfigurableApplicationContext context = start(PostgresCluster.newApplicationName())) {
            ItemService items = context.getBean(ItemService.class);

            assertThat(items.replicaThenPrimaryThenReplica()).containsExactly(cluster.replica(1).port(),
                    cluster.primary().port(), cluster.replica(1).port());
            assertThat(items.replicaAfterFailingPrimaryCall()).isEqualTo(cluster.replica(1).port());
            assertThat(context.getBean(NodeContext.class).bound()).isEmpty();
        }
    }

    @Test
    void enteringAnotherNodeInsideATransactionJoinsItAndCountsTheJoin() {
        try (ConfigurableApplicationContext context = start(PostgresCluster.newApplicationName())) {
            assertThat(context.getBean(ItemService.class).primaryTransactionThenReplica())
                    .isEqualTo(cluster.primary().port());
            assertThat(context.getBean(MeterRegistry.class).find("piccolo.routing.joined")
                    .tags("requested", "read_replica_1", "node", "primary").counter())
                    .satisfies(counter -> assertThat(counter.count()).isEqualTo(1.0));
        }
    }

    @Test
    void enteringAnotherNodeInsideATransactionFailsWithAnExplanationUnderTheFailPolicy() {
        try (ConfigurableApplicationContext context = start(PostgresCluster.newApplicationName(),
                "piccolo.db.node-switch-in-transaction=fail")) {
            assertThatIllegalStateException().isThrownBy(() -> context.getBean(ItemService.class)
                    .primaryTransactionThenReplica())
                    .withMessageContaining("asked for 'read_replica_1'")
                    .withMessageContaining("open on node 'primary'");
        }
    }

    @Test
    void yamlWithReadReplica1BindsAndRoutesServerSide() {
        SpringApplication application = new SpringApplication(TestApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext context = application.run("--spring.config.name=piccolo-yaml-test",
                "--test.primary.port=" + cluster.primary().port(), "--test.replica.port=" + cluster.replica(1).port(),
                "--test.database=" + cluster.primary().database(), "--test.user=" + cluster.primary().user(),
                "--test.password=" + cluster.primary().password(),
                "--test.application-name=" + PostgresCluster.newApplicationName())) {
            assertThat(context.getBean(PostgresEngine.class).nodeNames()).containsExactly("primary", "read_replica_1");
            assertThat(context.getBean(NodeProbe.class).replicaPort()).isEqualTo(cluster.replica(1).port());
            assertThat(context.getBean(PostgresEngine.class).node("read_replica_1").poolSettings().orElseThrow()
                    .maxSize()).isEqualTo(3);
        }
    }

    @Test
    void healthHasOneEntryPerNodeWithVersionRecoveryLagAndPool() {
        try (ConfigurableApplicationContext context = start(PostgresCluster.newApplicationName(),
                "piccolo.db.health-probe.enabled=true")) {
            CompositeHealthContributor piccolo = context.getBean("piccoloHealthContributor",
                    CompositeHealthContributor.class);

            Health primary = ((HealthIndicator) piccolo.getContributor("primary")).health();
            Health replica = ((HealthIndicator) piccolo.getContributor("read_replica_1")).health();

            assertThat(primary.getStatus()).isEqualTo(Status.UP);
            assertThat(primary.getDetails()).containsEntry("inRecovery", false).containsKey("version")
                    .doesNotContainKey("replicationLagSeconds");
            assertThat(replica.getStatus()).isEqualTo(Status.UP);
            assertThat(replica.getDetails()).containsEntry("inRecovery", true).containsKey("replicationLagSeconds")
                    .containsEntry("replicationLagBytes", 0L).containsEntry("streaming", true);
            assertThat(replica.getDetails().get("pool")).asString().contains("total=");
        }
    }

    @Test
    void extraNodeDownAtStartUpStartsTheApplicationDegradedUnlessFailFast() throws Exception {
        String down = "piccolo.db.extra-nodes.reporting.config.port=" + LoopbackPorts.free();
        try (ConfigurableApplicationContext context = start(PostgresCluster.newApplicationName(), down,
                "piccolo.db.pool.connection-timeout=500")) {
            CompositeHealthContributor piccolo = context.getBean("piccoloHealthContributor",
                    CompositeHealthContributor.class);

            assertThat(((HealthIndicator) piccolo.getContributor("reporting")).health().getStatus())
                    .isEqualTo(Status.DOWN);
            assertThat(((HealthIndicator) piccolo.getContributor("primary")).health().getStatus())
                    .isEqualTo(Status.UP);
            assertThat(context.getBean(NodeProbe.class).primaryPort()).isEqualTo(cluster.primary().port());
        }
        assertThatException().isThrownBy(() -> start(PostgresCluster.newApplicationName(), down,
                "piccolo.db.extra-nodes.reporting.fail-fast=true"))
                .withStackTraceContaining(NodeUnavailableException.class.getName() + ": At start-up: Node 'reporting'");
    }

    @Test
    void poolMetricsOfEveryNodeAreTaggedWithTheNode() {
        try (ConfigurableApplicationContext context = start(PostgresCluster.newApplicationName())) {
            MeterRegistry registry = context.getBean(MeterRegistry.class);

            for (String node : new String[] { "primary", "read_replica_1" }) {
                assertThat(registry.find("hikaricp.connections").tag("node", node).tag("pool", "piccolo-" + node)
                        .gauge()).as("hikaricp.connections of %s", node).isNotNull();
            }
        }
    }
}
