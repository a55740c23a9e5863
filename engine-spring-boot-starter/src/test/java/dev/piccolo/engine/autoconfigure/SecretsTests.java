package dev.piccolo.engine.autoconfigure;

import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.test.ClusterNode;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * With every logger at TRACE and query logging on, no password shows up anywhere: not given as a
 * key, not inside a URL, not in the actuator's env and configprops endpoints showing values.
 */
@ExtendWith({ PostgresClusterExtension.class, OutputCaptureExtension.class })
class SecretsTests {

    private static final String WRONG_PASSWORD = "Wr0ng-Pa55word-" + System.nanoTime();

    @Test
    void passwordsAppearInNoLogLineExceptionAnalysisOrToString(PostgresCluster cluster, CapturedOutput output) {
        String password = cluster.primary().password();
        String[] verbose = { "logging.level.root=TRACE", "piccolo.db.log-queries=true",
                "piccolo.db.log-responses=true" };
        try (ConfigurableApplicationContext context = ClusterApplications.start(cluster,
                PostgresCluster.newApplicationName(), verbose)) {
            context.getBean(ItemService.class).create("traced");
            context.getBean(NodeProbe.class).replicaPort();
            PostgresEngine engine = context.getBean(PostgresEngine.class);
            assertThat(engine.toString()).doesNotContain(password);
            assertThat(context.getBean(PiccoloDbProperties.class).toString()).doesNotContain(password);
            engine.nodes().forEach(node -> assertThat(node.config().toString() + node.poolSettings().orElseThrow())
                    .doesNotContain(password));
        }
        String[] wrongPassword = java.util.stream.Stream.concat(java.util.Arrays.stream(verbose),
                java.util.stream.Stream.of("piccolo.db.config.password=" + WRONG_PASSWORD)).toArray(String[]::new);
        assertThatException().isThrownBy(() -> ClusterApplications.start(cluster,
                PostgresCluster.newApplicationName(), wrongPassword).close())
                .satisfies(failure -> {
                    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                        assertThat(String.valueOf(cause.getMessage())).doesNotContain(WRONG_PASSWORD);
                    }
                });

        assertThat(output.getAll()).contains("Query ", "APPLICATION FAILED TO START", "28P01")
                .doesNotContain(password).doesNotContain(WRONG_PASSWORD);
    }

    @Test
    void aPasswordInsideTheUrlAppearsInNoLogLineExceptionToStringOrEndpoint(PostgresCluster cluster,
            CapturedOutput output) {
        ClusterNode primary = cluster.primary();
        String url = primary.jdbcUrl() + "?user=" + primary.user() + "&password=" + primary.password();
        try (ConfigurableApplicationContext context = startWithUrl(cluster, url)) {
            context.getBean(NodeProbe.class).replicaPort();
            PostgresEngine engine = context.getBean(PostgresEngine.class);
            engine.nodes().forEach(node -> assertThat(node + node.config().toString() + node.url())
                    .doesNotContain(primary.password()));
            EnvironmentEndpoint env = new EnvironmentEndpoint(context.getEnvironment(),
                    context.getBeanProvider(SanitizingFunction.class).orderedStream().toList(), Show.ALWAYS);
            String shown = env.environment(null).getPropertySources().stream()
                    .flatMap(source -> source.getProperties().values().stream())
                    .map(value -> String.valueOf(value.getValue())).toList().toString();
            assertThat(shown).contains("password=******").doesNotContain(primary.password())
                    .as("another library's property is left to its own sanitizing").contains("not-ours");
            ConfigurationPropertiesReportEndpoint configprops = new ConfigurationPropertiesReportEndpoint(
                    context.getBeanProvider(SanitizingFunction.class).orderedStream().toList(), Show.ALWAYS);
            configprops.setApplicationContext(context);
            String properties = configprops.configurationPropertiesWithPrefix("piccolo.db").getContexts().values()
                    .stream().flatMap(beans -> beans.getBeans().values().stream())
                    .map(bean -> String.valueOf(bean.getProperties())).toList().toString();
            assertThat(properties).contains("password=******").doesNotContain(primary.password());
        }
        String wrong = "Wr0ng-In-Url-" + System.nanoTime();
        assertThatException().isThrownBy(() -> startWithUrl(cluster, primary.jdbcUrl() + "?user=" + primary.user()
                + "&password=" + wrong).close())
                .satisfies(failure -> {
                    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                        assertThat(String.valueOf(cause.getMessage())).doesNotContain(wrong);
                    }
                });

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START", "rejected the login")
                .doesNotContain(primary.password()).doesNotContain(wrong);
    }

    /** The test application with its main node given as one URL, and read_replica_1 inheriting it. */
    private static ConfigurableApplicationContext startWithUrl(PostgresCluster cluster, String url) {
        SpringApplication application = new SpringApplication(TestApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        return application.run("--logging.level.root=TRACE", "--piccolo.db.config.url=" + url,
                "--other.library.password=not-ours",
                "--piccolo.db.extra-nodes.read_replica_1.config.port=" + cluster.replica(1).port());
    }
}
