package dev.piccolo.ecosystem.mybatis;

import dev.piccolo.ecosystem.Applications;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresClusterExtension.class)
class MyBatisTests {

    @Test
    void mapperMethodsRunOnTheNodeChosenByUseNode(PostgresCluster cluster) {
        try (ConfigurableApplicationContext context = Applications.run(MyBatisApplication.class, cluster)) {
            PortMapper mapper = context.getBean(PortMapper.class);

            assertThat(mapper.primary()).isEqualTo(cluster.primary().port());
            assertThat(mapper.replica()).isEqualTo(cluster.replica(1).port());
        }
    }
}
