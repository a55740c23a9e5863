package dev.piccolo.engine.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresClusterExtension.class)
class PostgresClusterPropertiesTests {

    @Test
    void mainNodeAndReplicasBecomePiccoloProperties(PostgresCluster cluster) {
        assertThat(PostgresClusterProperties.of(cluster))
                .containsEntry("piccolo.db.config.host", "127.0.0.1")
                .containsEntry("piccolo.db.config.port", Integer.toString(cluster.primary().port()))
                .containsEntry("piccolo.db.config.database", cluster.primary().database())
                .containsEntry("piccolo.db.config.user", cluster.primary().user())
                .containsEntry("piccolo.db.config.password", cluster.primary().password())
                .containsEntry("piccolo.db.extra-nodes.read_replica_1.config.port",
                        Integer.toString(cluster.replica(1).port()))
                .hasSize(10);
    }

    @Test
    void initializerPutsTheSharedClusterIntoTheEnvironment() {
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            new PostgresClusterInitializer().initialize(context);
            Environment environment = context.getEnvironment();

            PostgresCluster shared = PostgresCluster.shared();
            assertThat(environment.getProperty("piccolo.db.config.port"))
                    .isEqualTo(Integer.toString(shared.primary().port()));
            assertThat(environment.getProperty("piccolo.db.extra-nodes.read_replica_1.config.host"))
                    .isEqualTo("127.0.0.1");
        }
    }
}
