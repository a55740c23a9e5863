package dev.piccolo.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.piccolo.engine.discovery.DnsMembers;
import dev.piccolo.engine.discovery.GroupDiscovery;
import dev.piccolo.engine.test.ClusterNode;
import dev.piccolo.engine.test.PostgresCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A group whose members are the addresses of a DNS name ({@link DnsMembers}), as a headless service gives
 * them, resolved from this module's test hosts file ({@code jdk.net.hosts.file}), which the test rewrites while
 * reads run: a replica that listens on 127.0.0.1 and 127.0.0.2 is two members, one per address, and
 * {@code inet_server_addr()} tells which one served.
 */
class DnsDiscoveryTests {

    private static final String NAME = "replicas.piccolo.test";

    private static PostgresCluster cluster;

    private static ClusterNode replica;

    @BeforeAll
    static void replicaOnTwoAddresses() throws Exception {
        cluster = PostgresCluster.start(1);
        replica = cluster.replica(1);
        try (Connection connection = cluster.connect(replica.name()); Statement statement = connection.createStatement()) {
            statement.execute("ALTER SYSTEM SET listen_addresses = '127.0.0.1,127.0.0.2'");
        }
        cluster.restart(replica.name());
        assumeThat(answersOn("127.0.0.2")).as("the replica listens on 127.0.0.2 too (the local server programs)")
                .isTrue();
    }

    @AfterAll
    static void closeCluster() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        Files.deleteIfExists(hostsFile());
    }

    @Test
    void membersFollowTheAddressesTheNameResolvesTo() throws Exception {
        resolve("127.0.0.1", "127.0.0.2");
        String application = PostgresCluster.newApplicationName();
        Map<String, String> template = cluster.primary().config(application);
        template.remove("host");
        template.remove("port");
        try (PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder()
                .config(cluster.primary().config(application)).build())
                .nodeGroup("replicas", NodeGroup.of(List.of()).discovered().build())
                .healthProbe(new HealthProbeOptions(Duration.ofMillis(200), Duration.ofSeconds(1)))
                .rampUp(Duration.ZERO)
                .build().start();
                GroupDiscovery discovery = GroupDiscovery.builder(engine, "replicas",
                        new DnsMembers(NAME, replica.port()))
                        .template(NodeConfig.builder().config(template).build())
                        .interval(Duration.ofMillis(200))
                        .start();
                ReadLoad load = new ReadLoad(engine, 4, thread -> "replicas")) {
            String first = "127.0.0.1:" + replica.port();
            String second = "127.0.0.2:" + replica.port();
            assertThat(engine.groups().get("replicas").members())
                    .containsExactly("replicas." + first, "replicas." + second);
            await().atMost(Duration.ofSeconds(10)).until(() -> load.serversOf("replicas").size() == 2);

            resolve("127.0.0.2");
            await().atMost(Duration.ofSeconds(5)).until(() -> !engine.nodeNames().contains("replicas." + first));
            // Reads that started on it before it left may still end after.
            Thread.sleep(300);
            long onFirst = load.readsOn(first);
            long onSecond = load.readsOn(second);
            Thread.sleep(500);
            assertThat(load.readsOn(first)).as("reads on the address the name lost").isEqualTo(onFirst);
            assertThat(load.readsOn(second)).as("reads on the address it kept").isGreaterThan(onSecond);

            resolve("127.0.0.1");
            await().atMost(Duration.ofSeconds(5)).until(() -> load.readsOn(first) > onFirst + 20);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> engine.groups().get("replicas").members().equals(List.of("replicas." + first)));

            // Last: the JVM remembers a name that did not resolve for 10 s (networkaddress.cache.negative.ttl).
            resolve();
            Thread.sleep(500);
            assertThat(engine.groups().get("replicas").members()).as("kept while the name does not resolve")
                    .containsExactly("replicas." + first);
            load.close();
            assertThat(load.failures()).as("failed reads").isEmpty();
        }
    }

    private static boolean answersOn(String address) {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + address + ":" + replica.port()
                + "/" + replica.database(), replica.user(), replica.password())) {
            return connection.isValid(2);
        }
        catch (SQLException ex) {
            return false;
        }
    }

    private static void resolve(String... addresses) throws IOException {
        StringBuilder hosts = new StringBuilder();
        for (String address : addresses) {
            hosts.append(address).append(' ').append(NAME).append('\n');
        }
        Files.writeString(hostsFile(), hosts, StandardCharsets.UTF_8);
    }

    private static Path hostsFile() {
        return Path.of(System.getProperty("jdk.net.hosts.file"));
    }
}
