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
import dev.piccolo.ecosystem.adoption.primary.PrimaryDataSourceApplication;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.test.ClusterNode;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adding the starter breaks no application that was fine: one written for H2 keeps running on H2, one
 * with a DataSource of its own keeps it (a {@code @Primary} one on a PostgreSQL {@code spring.datasource.url}
 * too), and one that excludes Boot's DataSource auto-configuration gets the engine where
 * {@code piccolo.db.config} configures it.
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
    void anApplicationsOwnPrimaryDataSourceStaysTheDataSourceWithAPostgresqlDatasourceUrl(PostgresCluster cluster) {
        ClusterNode primary = cluster.primary();
        try (ConfigurableApplicationContext context = Applications.runWith(PrimaryDataSourceApplication.class,
                "spring.datasource.url=" + primary.jdbcUrl(), "spring.datasource.username=" + primary.user(),
                "spring.datasource.password=" + primary.password())) {
            assertThat(context.getBeanNamesForType(PostgresEngine.class)).isEmpty();
            assertThat(context.getBeanNamesForType(DataSource.class)).containsExactly("applicationDataSource");
            assertThat(context.getBean(DataSource.class)).isSameAs(context.getBean("applicationDataSource"));
            assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT inet_server_port()", Integer.class))
                    .isEqualTo(primary.port());
        }
    }

    @Test
    void excludingBootsDataSourceAutoConfigurationWithTheEngineConfiguredStillGivesTheEngine(PostgresCluster cluster) {
        try (ConfigurableApplicationContext context = Applications.run(ExcludedDataSourceApplication.class, cluster)) {
            NodePorts ports = context.getBean(NodePorts.class);

            assertThat(ports.primaryPort()).isEqualTo(cluster.primary().port());
            assertThat(ports.replicaPort()).isEqualTo(cluster.replica(1).port());
        }
    }

    private static String productName(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName();
        }
    }
}
