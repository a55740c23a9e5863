package dev.piccolo.engine.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.test.ClusterNode;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How 12-factor deployments set nodes: environment variables for the main node, and for extra
 * nodes either SPRING_APPLICATION_JSON (any name) or plain variables (names without underscores).
 */
@ExtendWith({ PostgresClusterExtension.class, OutputCaptureExtension.class })
class EnvironmentVariableBindingTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class PlainApplication {
    }

    @Test
    void mainNodeFromVariablesAndReadReplica1FromSpringApplicationJson(PostgresCluster cluster) throws Exception {
        Map<String, Object> variables = mainNodeVariables(cluster.primary());
        variables.put("SPRING_APPLICATION_JSON", "{\"piccolo\":{\"db\":{\"extra-nodes\":{\"read_replica_1\":"
                + "{\"config\":{\"port\":\"" + cluster.replica(1).port() + "\"}}}}}}");

        try (ConfigurableApplicationContext context = run(variables)) {
            PostgresEngine engine = context.getBean(PostgresEngine.class);
            assertThat(engine.nodeNames()).containsExactly("primary", "read_replica_1");
            assertThat(engine.nodeContext().call("read_replica_1", () -> context.getBean(JdbcTemplate.class)
                    .queryForObject("SELECT inet_server_port()", Integer.class))).isEqualTo(cluster.replica(1).port());
        }
    }

    @Test
    void extraNodeWithoutUnderscoresFromPlainVariables(PostgresCluster cluster) {
        Map<String, Object> variables = mainNodeVariables(cluster.primary());
        variables.put("PICCOLO_DB_EXTRANODES_REPLICA1_CONFIG_PORT", Integer.toString(cluster.replica(1).port()));

        try (ConfigurableApplicationContext context = run(variables)) {
            PostgresEngine engine = context.getBean(PostgresEngine.class);
            assertThat(engine.nodeNames()).containsExactly("primary", "replica1");
            assertThat(engine.node("replica1").config().config())
                    .containsEntry("port", Integer.toString(cluster.replica(1).port()));
        }
    }

    @Test
    void underscoresInAVariableNameCannotSpellReadReplica1AndAWarningSaysSo(PostgresCluster cluster,
            CapturedOutput output) {
        Map<String, Object> variables = mainNodeVariables(cluster.primary());
        variables.put("PICCOLO_DB_EXTRANODES_READ_REPLICA_1_CONFIG_PORT", Integer.toString(cluster.replica(1).port()));

        try (ConfigurableApplicationContext context = run(variables)) {
            assertThat(context.getBean(PostgresEngine.class).nodeNames()).doesNotContain("read_replica_1");
        }
        assertThat(output).contains("Environment variable PICCOLO_DB_EXTRANODES_READ_REPLICA_1_CONFIG_PORT sets no "
                + "configured extra node").contains("SPRING_APPLICATION_JSON");
    }

    @Test
    void aVariableForReadReplica1DeclaredInApplicationPropertiesIsNotSilentlyIgnored(PostgresCluster cluster,
            CapturedOutput output) {
        Map<String, Object> variables = mainNodeVariables(cluster.primary());
        variables.put("PICCOLO_DB_EXTRANODES_READ_REPLICA_1_CONFIG_HOST", "replica.example.invalid");
        Map<String, Object> declared = Map.of("piccolo.db.extra-nodes.read_replica_1.config.port",
                Integer.toString(cluster.replica(1).port()));

        try (ConfigurableApplicationContext context = run(variables, declared)) {
            assertThat(context.getBean(PostgresEngine.class).node("read_replica_1").config().config())
                    .containsEntry("host", cluster.primary().host());
        }
        assertThat(output).contains("Environment variable PICCOLO_DB_EXTRANODES_READ_REPLICA_1_CONFIG_HOST sets no "
                + "configured extra node, so it is ignored");
    }

    private static Map<String, Object> mainNodeVariables(ClusterNode primary) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("PICCOLO_DB_CONFIG_HOST", primary.host());
        variables.put("PICCOLO_DB_CONFIG_PORT", Integer.toString(primary.port()));
        variables.put("PICCOLO_DB_CONFIG_DATABASE", primary.database());
        variables.put("PICCOLO_DB_CONFIG_USER", primary.user());
        variables.put("PICCOLO_DB_CONFIG_PASSWORD", primary.password());
        variables.put("PICCOLO_DB_POOL_AUTOSTART", "false");
        return variables;
    }

    /** Starts the test application with {@code variables} as its whole process environment. */
    private static ConfigurableApplicationContext run(Map<String, Object> variables) {
        return run(variables, Map.of());
    }

    /** Starts it with {@code variables} as its process environment and {@code declared} as its application properties. */
    private static ConfigurableApplicationContext run(Map<String, Object> variables, Map<String, Object> declared) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        variables));
        SpringApplication application = new SpringApplication(PlainApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setEnvironment(environment);
        application.setDefaultProperties(declared);
        return application.run();
    }
}
