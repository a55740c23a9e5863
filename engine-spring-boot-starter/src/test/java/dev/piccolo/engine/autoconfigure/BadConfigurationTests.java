package dev.piccolo.engine.autoconfigure;

import java.util.stream.Stream;

import dev.piccolo.engine.UseNode;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * One row per bad configuration: start-up fails, the failure analysis names the property and the
 * remedy, and no connection of the application is left open on any node.
 */
@ExtendWith({ PostgresClusterExtension.class, OutputCaptureExtension.class })
class BadConfigurationTests {

    private static PostgresCluster cluster;

    @BeforeAll
    static void cluster(PostgresCluster shared) {
        cluster = shared;
    }

    static Stream<Arguments> badConfigurations() {
        return Stream.of(
                arguments("missing host", new String[] { "piccolo.db.config.host=" }, "piccolo.db.config.host",
                        "to the server's host name"),
                arguments("non-numeric port", new String[] { "piccolo.db.config.port=five" }, "piccolo.db.config.port",
                        "1 to 65535"),
                arguments("port out of range", new String[] { "piccolo.db.config.port=0" }, "piccolo.db.config.port",
                        "1 to 65535"),
                arguments("empty database", new String[] { "piccolo.db.config.database=" },
                        "piccolo.db.config.database", "name of the database"),
                arguments("wrong password", new String[] { "piccolo.db.config.password=not-the-password" },
                        "piccolo.db.config.password", "rejected the login"),
                arguments("unknown host", new String[] { "piccolo.db.config.host=no-such-host.invalid" },
                        "piccolo.db.config.host", "cannot be resolved"),
                arguments("max-size 0", new String[] { "piccolo.db.pool.max-size=0" }, "piccolo.db.pool.max-size",
                        "within range"),
                arguments("min-size above max-size", new String[] { "piccolo.db.pool.max-size=2",
                        "piccolo.db.pool.min-size=3" }, "piccolo.db.pool.min-size", "within range"),
                arguments("extra node named primary", new String[] {
                        "piccolo.db.extra-nodes.primary.config.host=127.0.0.1" }, "piccolo.db.extra-nodes",
                        "other than 'primary'"),
                arguments("empty node name", new String[] { "piccolo.db.extra-nodes[ ].config.host=127.0.0.1" },
                        "piccolo.db.extra-nodes", "Give every extra node a name"),
                arguments("extension that does not exist", new String[] { "piccolo.db.extensions=no_such_extension" },
                        "piccolo.db.extensions", "postgresql-contrib"),
                arguments("extension name with a quote", new String[] {
                        "piccolo.db.extensions=uuid-ossp\"; DROP TABLE flyway_schema_history; --" },
                        "piccolo.db.extensions", "extension-failure-policy"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigurations")
    void startUpFailsNamingThePropertyAndRemedyLeavingNoConnection(String label, String[] properties,
            String property, String remedy, CapturedOutput output) {
        String application = PostgresCluster.newApplicationName();

        assertThatException().isThrownBy(() -> ClusterApplications.start(cluster, application, properties).close());

        String analysis = output.getOut().substring(output.getOut().lastIndexOf("APPLICATION FAILED TO START"));
        assertThat(analysis).contains("Description:", "Action:", "Consider the following:", property, remedy);
        assertNoConnectionLeft(application);
    }

    @Test
    void useNodeNamingAnUnknownNodeFailsStartUpLeavingNoConnection(CapturedOutput output) {
        String application = PostgresCluster.newApplicationName();

        assertThatException().isThrownBy(() -> ClusterApplications.start(
                new Class<?>[] { TestApplication.class, Misnamed.class }, cluster, application).close());

        assertThat(output.getOut()).contains("APPLICATION FAILED TO START", "@UseNode(\"read-replica-1\") on "
                + Misnamed.class.getName() + ".run()", "[primary, read_replica_1]", "piccolo.db.extra-nodes.<name>");
        assertNoConnectionLeft(application);
    }

    @Test
    void quoteInAnExtensionNameLeavesTheDatabaseUnchanged() throws Exception {
        assertThatException().isThrownBy(() -> ClusterApplications.start(cluster,
                PostgresCluster.newApplicationName(),
                "piccolo.db.extensions=x\"; CREATE TABLE created_by_injection (id int); --").close());

        assertThat(cluster.queryString("primary",
                "SELECT count(*) FROM pg_class WHERE relname = 'created_by_injection'")).isEqualTo("0");
    }

    @Test
    void configKeyThatIsNotAPgjdbcPropertyOnlyWarns(CapturedOutput output) {
        try (ConfigurableApplicationContext context = ClusterApplications.start(cluster,
                PostgresCluster.newApplicationName(), "piccolo.db.config.sslmdoe=require")) {
            assertThat(context.isRunning()).isTrue();
        }
        assertThat(output.getOut()).contains("config key 'sslmdoe' is not a PgJDBC connection property");
    }

    private static void assertNoConnectionLeft(String application) {
        cluster.awaitConnectionCount("primary", application, 0);
        cluster.awaitConnectionCount("read_replica_1", application, 0);
    }

    static class Misnamed {

        @UseNode("read-replica-1")
        public void run() {
        }
    }
}
