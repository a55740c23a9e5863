package dev.piccolo.ecosystem.adoption;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import dev.piccolo.ecosystem.Applications;
import dev.piccolo.ecosystem.NodePorts;
import dev.piccolo.ecosystem.adoption.h2.H2Application;
import dev.piccolo.ecosystem.adoption.h2.Visit;
import dev.piccolo.ecosystem.adoption.h2.VisitRepository;
import dev.piccolo.ecosystem.adoption.own.OwnDataSourceApplication;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.test.ClusterNode;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adding the starter breaks no application that was fine: one written for H2 keeps running on H2, one
 * with a DataSource of its own keeps it, and one that excludes Boot's DataSource auto-configuration gets
 * the engine, configured from {@code spring.datasource.*}.
 */
@ExtendWith(PostgresClusterExtension.class)
class AdoptionTests {

    @Test
    void anH2ApplicationKeepsRunningOnH2WithTheStarterAdded() throws SQLException {
        try (ConfigurableApplicationContext context = Applications.runWith(H2Application.class)) {
            VisitRepository visits = context.getBean(VisitRepository.class);
            visits.save(new Visit("vaccination"));

            assertThat(visits.findAll()).extracting(Visit::getDescription).containsExactly("vaccination");
            assertThat(context.getBeanNamesForType(PostgresEngine.class)).isEmpty();
            assertThat(productName(context.getBean(DataSource.class))).isEqualTo("H2");
        }
    }

    @Test
    void anApplicationWithADataSourceOfItsOwnKeepsIt() throws SQLException {
        try (ConfigurableApplicationContext context = Applications.runWith(OwnDataSourceApplication.class)) {
            assertThat(context.getBeanNamesForType(PostgresEngine.class)).isEmpty();
            assertThat(productName(context.getBean(DataSource.class))).isEqualTo("H2");
        }
    }

    @Test
    void excludingBootsDataSourceAutoConfigurationStillGivesTheEngineSpringDatasourceProperties(
            PostgresCluster cluster) {
        ClusterNode primary = cluster.primary();
        try (ConfigurableApplicationContext context = Applications.runWith(ExcludedDataSourceApplication.class,
                "spring.datasource.url=" + primary.jdbcUrl(), "spring.datasource.username=" + primary.user(),
                "spring.datasource.password=" + primary.password(),
                "piccolo.db.extra-nodes.read_replica_1.config.port=" + cluster.replica(1).port())) {
            NodePorts ports = context.getBean(NodePorts.class);

            assertThat(ports.primaryPort()).isEqualTo(primary.port());
            assertThat(ports.replicaPort()).isEqualTo(cluster.replica(1).port());
        }
    }

    private static String productName(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName();
        }
    }
}
