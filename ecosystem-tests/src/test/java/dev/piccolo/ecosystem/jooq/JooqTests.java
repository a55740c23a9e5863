package dev.piccolo.ecosystem.jooq;

import dev.piccolo.ecosystem.Applications;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresClusterExtension.class)
class JooqTests {

    @Test
    void dslContextQueriesRunOnTheNodeChosenByUseNode(PostgresCluster cluster) {
        try (ConfigurableApplicationContext context = Applications.run(JooqApplication.class, cluster)) {
            JooqApplication.Ports ports = context.getBean(JooqApplication.Ports.class);

            assertThat(ports.primary()).isEqualTo(cluster.primary().port());
            assertThat(ports.replica()).isEqualTo(cluster.replica(1).port());
        }
    }
}
