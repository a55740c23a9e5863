package dev.piccolo.ecosystem.dropin;

import dev.piccolo.ecosystem.Applications;
import dev.piccolo.ecosystem.NodePorts;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.test.ClusterNode;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** The main node from spring.datasource.*, extra nodes from piccolo.db.extra-nodes, SQL init on the primary. */
@ExtendWith(PostgresClusterExtension.class)
class DropInTests {

    @Test
    void springDatasourcePropertiesGiveTheMainNodeAndSqlInitRunsOnThePrimary(PostgresCluster cluster) {
        ClusterNode primary = cluster.primary();
        try (ConfigurableApplicationContext context = Applications.runWith(DropInApplication.class,
                "spring.datasource.url=" + primary.jdbcUrl(), "spring.datasource.username=" + primary.user(),
                "spring.datasource.password=" + primary.password(),
                "piccolo.db.extra-nodes.read_replica_1.config.port=" + cluster.replica(1).port(),
                "spring.sql.init.mode=always", "spring.sql.init.schema-locations=classpath:dropin/schema.sql")) {
            NodePorts reads = context.getBean(NodePorts.class);

            assertThat(context.getBean(PostgresEngine.class).nodeNames()).containsExactly("primary", "read_replica_1");
            assertThat(reads.primaryPort()).isEqualTo(primary.port());
            assertThat(reads.replicaPort()).isEqualTo(cluster.replica(1).port());
            assertThat(context.getBean(JdbcTemplate.class).queryForList("SELECT DISTINCT written_on FROM dropin_marker",
                    Integer.class)).containsExactly(primary.port());
        }
    }
}
