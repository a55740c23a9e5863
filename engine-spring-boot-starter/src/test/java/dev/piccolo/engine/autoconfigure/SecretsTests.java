package dev.piccolo.engine.autoconfigure;

import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** With every logger at TRACE and query logging on, no password shows up anywhere. */
@ExtendWith({ PostgresClusterExtension.class, OutputCaptureExtension.class })
class SecretsTests {

    private static final String WRONG_PASSWORD = "Wr0ng-Pa55word-" + System.nanoTime();

    @Test
    void passwordsAppearInNoLogLineExceptionAnalysisOrToString(PostgresCluster cluster, CapturedOutput output) {
        String password = cluster.primary().password();
        String[] verbose = { "logging.level.root=TRACE", "piccolo.db.log-queries=true",
                "piccolo.db.log-responses=true" };
        try (ConfigurableApplicationContext context = ClusterApplications.start(cluster,
                ClusterProperties.newApplicationName(), verbose)) {
            context.getBean(ItemService.class).create("traced");
            context.getBean(NodeProbe.class).replicaPort();
            PostgresEngine engine = context.getBean(PostgresEngine.class);
            assertThat(engine.toString()).doesNotContain(password);
            assertThat(context.getBean(PiccoloDbProperties.class).toString()).doesNotContain(password);
            engine.nodes().forEach(node -> assertThat(node.config().toString() + node.pool().orElseThrow())
                    .doesNotContain(password));
        }
        String[] wrongPassword = java.util.stream.Stream.concat(java.util.Arrays.stream(verbose),
                java.util.stream.Stream.of("piccolo.db.config.password=" + WRONG_PASSWORD)).toArray(String[]::new);
        assertThatException().isThrownBy(() -> ClusterApplications.start(cluster,
                ClusterProperties.newApplicationName(), wrongPassword).close())
                .satisfies(failure -> {
                    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                        assertThat(String.valueOf(cause.getMessage())).doesNotContain(WRONG_PASSWORD);
                    }
                });

        assertThat(output.getAll()).contains("Query ", "APPLICATION FAILED TO START", "28P01")
                .doesNotContain(password).doesNotContain(WRONG_PASSWORD);
    }
}
