package dev.piccolo.engine.autoconfigure;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import dev.piccolo.engine.PoolSettings;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.UseNode;
import dev.piccolo.engine.test.ClusterNode;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What a new user meets when adding the starter to an existing application: a switch to turn it off,
 * a drop-in that keeps every setting of {@code spring.datasource.*}, service connections per node,
 * warnings instead of silently ignored settings, and start-up messages naming the property to fix.
 */
@ExtendWith({ PostgresClusterExtension.class, OutputCaptureExtension.class })
class AdoptionTests {

    @Test
    void enabledFalseLeavesTheDataSourceToSpringBoot(PostgresCluster cluster) throws SQLException {
        ClusterNode primary = cluster.primary();
        try (ConfigurableApplicationContext context = run(Plain.class, "piccolo.db.enabled=false",
                "spring.datasource.url=" + primary.jdbcUrl(), "spring.datasource.username=" + primary.user(),
                "spring.datasource.password=" + primary.password())) {
            assertThat(context.getBeanNamesForType(PostgresEngine.class)).isEmpty();
            assertThat(context.getBean(javax.sql.DataSource.class)).isInstanceOf(HikariDataSource.class);
        }
    }

    @Test
    void anApplicationWithNoDatabaseConfiguredIsToldEveryWayToGiveOne(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(Plain.class).close());

        assertThat(analysis(output)).contains("piccolo.db.config.host", "spring.datasource.url",
                "piccolo.db.enabled=false");
    }

    @Test
    void aNonPostgresqlSpringDatasourceUrlIsNamedWhenTheEngineIsConfigured(PostgresCluster cluster,
            CapturedOutput output) {
        String password = "mysql-" + System.nanoTime();
        assertThatException().isThrownBy(() -> run(Plain.class, "piccolo.db.config.sslmode=disable",
                "spring.datasource.url=jdbc:mysql://db.example/shop?password=" + password).close());

        assertThat(analysis(output)).contains("spring.datasource.url", "PostgreSQL only", "piccolo.db.enabled=false")
                .doesNotContain("piccolo.db.config.url").doesNotContain(password);
    }

    @Test
    void anExtraNodeInheritsEveryParameterOfTheMainNodesUrl(PostgresCluster cluster) throws Exception {
        ClusterNode primary = cluster.primary();
        String url = primary.jdbcUrl() + "?sslmode=disable&prepareThreshold=0&user=" + primary.user() + "&password="
                + primary.password();
        try (ConfigurableApplicationContext context = run(Plain.class, "spring.datasource.url=" + url,
                "piccolo.db.extra-nodes.read_replica_1.config.port=" + cluster.replica(1).port())) {
            PostgresEngine engine = context.getBean(PostgresEngine.class);

            assertThat(engine.node("read_replica_1").config().config()).containsEntry("sslmode", "disable")
                    .containsEntry("prepareThreshold", "0").containsEntry("user", primary.user())
                    .containsEntry("port", Integer.toString(cluster.replica(1).port()));
            assertThat(engine.nodeContext().call("read_replica_1", () -> context.getBean(JdbcTemplate.class)
                    .queryForObject("SELECT inet_server_port()", Integer.class))).isEqualTo(cluster.replica(1).port());
            assertThat(engine.node("read_replica_1").toString()).doesNotContain(primary.password());
        }
    }

    @Test
    void dropInTakesSpringDatasourceHikariSettings(PostgresCluster cluster) throws Exception {
        ClusterNode primary = cluster.primary();
        try (ConfigurableApplicationContext context = run(Plain.class, "spring.datasource.url=" + primary.jdbcUrl(),
                "spring.datasource.username=" + primary.user(), "spring.datasource.password=" + primary.password(),
                "spring.datasource.hikari.maximum-pool-size=3", "spring.datasource.hikari.minimum-idle=1",
                "spring.datasource.hikari.connection-init-sql=SET statement_timeout = '9s'",
                "piccolo.db.extra-nodes.read_replica_1.config.port=" + cluster.replica(1).port())) {
            PostgresEngine engine = context.getBean(PostgresEngine.class);
            engine.startConnectionPool(dev.piccolo.engine.PoolOptions.defaults());
            PoolSettings replicaPool = engine.node("read_replica_1").poolSettings().orElseThrow();

            assertThat(replicaPool.maxSize()).isEqualTo(3);
            assertThat(engine.nodeContext().call("read_replica_1", () -> context.getBean(JdbcTemplate.class)
                    .queryForObject("SHOW statement_timeout", String.class))).isEqualTo("9s");
        }
    }

    @Test
    void unknownPoolKeysAndIgnoredSpringHikariKeysAreWarnedAbout(PostgresCluster cluster, CapturedOutput output) {
        try (ConfigurableApplicationContext context = ClusterApplications.start(cluster,
                PostgresCluster.newApplicationName(), "piccolo.db.pool.max-sise=5",
                "piccolo.db.extra-nodes.read_replica_1.pool.conection-timeout=1000",
                "spring.datasource.hikari.maximum-pool-size=30")) {
            assertThat(context.isRunning()).isTrue();
        }
        assertThat(output.getOut()).contains("piccolo.db.pool.max-sise is not a pool setting",
                "piccolo.db.extra-nodes.read_replica_1.pool.conection-timeout is not a pool setting",
                "[spring.datasource.hikari.maximum-pool-size] is ignored");
    }

    @Test
    void anExtraNodeWithASmallerMaxSizeDoesNotInheritALargerMinSize(PostgresCluster cluster) {
        try (ConfigurableApplicationContext context = ClusterApplications.start(cluster,
                PostgresCluster.newApplicationName(), "piccolo.db.pool.min-size=5",
                "piccolo.db.extra-nodes.read_replica_1.pool.max-size=2")) {
            PoolSettings replicaPool = context.getBean(PostgresEngine.class).node("read_replica_1").poolSettings()
                    .orElseThrow();
            assertThat(replicaPool.maxSize()).isEqualTo(2);
            assertThat(replicaPool.minIdle()).isEqualTo(2);
        }
    }

    @Test
    void eachServiceConnectionGoesToTheNodeItsBeanNameEndsWith(PostgresCluster cluster) throws Exception {
        try (ConfigurableApplicationContext context = run(TwoServiceConnections.class,
                "piccolo.db.extra-nodes.read_replica_1.read-only=true")) {
            PostgresEngine engine = context.getBean(PostgresEngine.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);

            assertThat(jdbc.queryForObject("SELECT inet_server_port()", Integer.class))
                    .isEqualTo(cluster.primary().port());
            assertThat(engine.nodeContext().call("read_replica_1", () -> jdbc.queryForObject(
                    "SELECT inet_server_port()", Integer.class))).isEqualTo(cluster.replica(1).port());
        }
    }

    @Test
    void severalServiceConnectionsThatNoNodeClaimsFailNamingTheProperty(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(TwoServiceConnections.class).close());

        assertThat(analysis(output)).contains("jdbcConnectionDetailsForPostgres",
                "jdbcConnectionDetailsForReadReplica1", "piccolo.db.service-connection");
    }

    @Test
    void useNodeOnPrivateOrFinalMethodsFailsStartUp(PostgresCluster cluster) {
        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> ClusterApplications.start(new Class<?>[] { TestApplication.class,
                        Unproxyable.class }, cluster, PostgresCluster.newApplicationName()).close())
                .withMessageContaining(Unproxyable.class.getName() + ".hidden() is private")
                .withMessageContaining(Unproxyable.class.getName() + ".sealed() is final")
                .withMessageContaining("would run on the primary");
    }

    @Test
    void anExtraNodeThatRejectsTheLoginIsNamedByItsPropertyAtStartUpAndAtFirstUse(PostgresCluster cluster,
            CapturedOutput output) {
        try (ConfigurableApplicationContext context = ClusterApplications.start(cluster,
                PostgresCluster.newApplicationName(),
                "piccolo.db.extra-nodes.read_replica_1.config.password=not-the-password")) {
            assertThat(output.getOut()).contains("Node 'read_replica_1'", "rejected the login",
                    "piccolo.db.extra-nodes.read_replica_1.config.password",
                    "piccolo.db.extra-nodes.read_replica_1.fail-fast=true");

            assertThatException().isThrownBy(() -> context.getBean(PostgresEngine.class).nodeContext()
                    .call("read_replica_1", () -> context.getBean(JdbcTemplate.class).queryForObject("SELECT 1",
                            Integer.class)))
                    .withStackTraceContaining("piccolo.db.extra-nodes.read_replica_1.config.password");
        }
    }

    private static String analysis(CapturedOutput output) {
        return output.getOut().substring(output.getOut().lastIndexOf("APPLICATION FAILED TO START"));
    }

    private static ConfigurableApplicationContext run(Class<?> application, String... properties) {
        SpringApplication spring = new SpringApplication(application);
        spring.setWebApplicationType(WebApplicationType.NONE);
        List<String> arguments = new ArrayList<>(List.of("--piccolo.db.pool.auto-start=false"));
        Arrays.stream(properties).map(pair -> "--" + pair).forEach(arguments::add);
        return spring.run(arguments.toArray(String[]::new));
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Plain {
    }

    /** Two service connections, as Testcontainers registers them for containers named postgres and readReplica1. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TwoServiceConnections {

        @Bean
        JdbcConnectionDetails jdbcConnectionDetailsForPostgres() {
            return details(PostgresCluster.shared().primary());
        }

        @Bean
        JdbcConnectionDetails jdbcConnectionDetailsForReadReplica1() {
            return details(PostgresCluster.shared().replica(1));
        }

        private static JdbcConnectionDetails details(ClusterNode node) {
            return new JdbcConnectionDetails() {

                @Override
                public String getUsername() {
                    return node.user();
                }

                @Override
                public String getPassword() {
                    return node.password();
                }

                @Override
                public String getJdbcUrl() {
                    return node.jdbcUrl();
                }
            };
        }
    }

    static class Unproxyable {

        @UseNode("read_replica_1")
        private void hidden() {
        }

        @UseNode("read_replica_1")
        public final void sealed() {
        }
    }
}
