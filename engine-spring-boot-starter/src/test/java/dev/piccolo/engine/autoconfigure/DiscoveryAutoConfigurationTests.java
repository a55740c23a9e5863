package dev.piccolo.engine.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.piccolo.engine.EngineNode;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.test.PostgresCluster;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code piccolo.db.node-groups.<name>.discovery.*} in an application: a group with no members of its own gets
 * one node per address of a DNS name (resolved from this module's test hosts file), made from the main node's
 * settings (its {@code targetServerType: primary} left out) on the replica's port, and reads of the group run
 * there once the probe found it usable.
 */
class DiscoveryAutoConfigurationTests {

    private final PostgresCluster cluster = PostgresCluster.shared();

    @Test
    void aGroupDiscoveredByDnsGetsANodeMadeFromTheMainNodesSettingsThatServesItsReads() throws Exception {
        Files.writeString(Path.of(System.getProperty("jdk.net.hosts.file")), "127.0.0.1 replicas.piccolo.test\n",
                StandardCharsets.UTF_8);
        int replicaPort = cluster.replica(1).port();
        try (ConfigurableApplicationContext context = ClusterApplications.start(cluster,
                PostgresCluster.newApplicationName(), "piccolo.db.config.targetServerType=primary",
                "piccolo.db.health-probe.enabled=true", "piccolo.db.health-probe.interval=200ms",
                "piccolo.db.ramp-up=0s",
                "piccolo.db.node-groups.replicas.discovery.dns-name=replicas.piccolo.test",
                "piccolo.db.node-groups.replicas.discovery.port=" + replicaPort,
                "piccolo.db.node-groups.replicas.discovery.interval=200ms")) {
            PostgresEngine engine = context.getBean(PostgresEngine.class);
            String node = "replicas.127.0.0.1:" + replicaPort;

            assertThat(engine.groups().get("replicas").members()).containsExactly(node);
            EngineNode discovered = engine.node(node);
            assertThat(discovered.isReadOnly()).isTrue();
            assertThat(discovered.config().config()).containsEntry("targetServerType", "secondary")
                    .containsEntry("user", cluster.primary().user());
            await().atMost(Duration.ofSeconds(5)).until(() -> discovered.status().up());
            JdbcTemplate jdbc = new JdbcTemplate(engine.getDataSource());
            assertThat(engine.nodeContext().call("replicas",
                    () -> jdbc.queryForObject("SELECT inet_server_port()", Integer.class))).isEqualTo(replicaPort);
        }
    }
}
