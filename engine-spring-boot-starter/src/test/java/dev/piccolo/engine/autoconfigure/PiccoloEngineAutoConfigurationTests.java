package dev.piccolo.engine.autoconfigure;

import java.time.Duration;

import javax.sql.DataSource;

import dev.piccolo.engine.NodeConfig;
import dev.piccolo.engine.NodeConfigurationException;
import dev.piccolo.engine.NodeRoutingDataSource;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.UseNode;
import dev.piccolo.engine.spring.UseNodeAdvisor;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(PostgresClusterExtension.class)
class PiccoloEngineAutoConfigurationTests {

    private static PostgresCluster cluster;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PiccoloEngineAutoConfiguration.class,
                    DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
                    TransactionAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
                    AopAutoConfiguration.class));

    @BeforeAll
    static void cluster(PostgresCluster shared) {
        cluster = shared;
    }

    private ApplicationContextRunner withCluster() {
        return contextRunner.withPropertyValues(ClusterProperties.of(cluster, PostgresCluster.newApplicationName()));
    }

    @Test
    void engineRoutingDataSourceIsTheApplicationsDataSourceAndBootsOwnBacksOff() {
        withCluster().run(context -> {
            assertThat(context).hasSingleBean(PostgresEngine.class).hasSingleBean(DataSource.class)
                    .hasSingleBean(PlatformTransactionManager.class).hasSingleBean(UseNodeAdvisor.class);
            assertThat(context.getBean(DataSource.class)).isInstanceOf(NodeRoutingDataSource.class)
                    .isSameAs(context.getBean(PostgresEngine.class).getDataSource());
            assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT inet_server_port()", Integer.class))
                    .isEqualTo(cluster.primary().port());
        });
    }

    @Test
    void extraNodeNameIsBoundExactlyAsWritten() {
        withCluster().run(context -> assertThat(context.getBean(PostgresEngine.class).nodeNames())
                .containsExactly("primary", "read_replica_1"));
    }

    @Test
    void engineOfTheApplicationsOwnMakesTheAutoConfigurationBackOff() {
        withCluster().withBean("myEngine", PostgresEngine.class, () -> PostgresEngine.builder(NodeConfig.builder()
                .config("url", cluster.primary().jdbcUrl()).config("user", cluster.primary().user())
                .config("password", cluster.primary().password()).build()).build())
                .run(context -> {
                    assertThat(context).hasSingleBean(PostgresEngine.class).hasBean("myEngine");
                    assertThat(context.getBean(PostgresEngine.class).nodeNames()).containsExactly("primary");
                });
    }

    @Test
    void extraNodeInheritsConfigLogFlagsAndPoolButNotExtensions() {
        contextRunner.withPropertyValues("piccolo.db.config.host=127.0.0.1",
                "piccolo.db.config.port=" + cluster.primary().port(),
                "piccolo.db.config.database=" + cluster.primary().database(),
                "piccolo.db.config.user=" + cluster.primary().user(),
                "piccolo.db.config.password=" + cluster.primary().password(),
                "piccolo.db.log-queries=true", "piccolo.db.pool.max-size=3",
                "piccolo.db.extra-nodes.read_replica_1.config.port=" + cluster.replica(1).port())
                .run(context -> {
                    PostgresEngine engine = context.getBean(PostgresEngine.class);
                    NodeConfig replica = engine.node("read_replica_1").config();
                    assertThat(replica.config()).containsEntry("host", "127.0.0.1")
                            .containsEntry("user", cluster.primary().user())
                            .containsEntry("port", Integer.toString(cluster.replica(1).port()));
                    assertThat(replica.logQueries()).isTrue();
                    assertThat(replica.extensions()).isEmpty();
                    assertThat(replica.pool().maxSize()).isEqualTo(3);
                    assertThat(engine.nodeContext().call("read_replica_1", () -> context.getBean(JdbcTemplate.class)
                            .queryForObject("SELECT pg_is_in_recovery()", Boolean.class))).isTrue();
                });
    }

    @Test
    void poolSettingsBindOntoHikariAndANodeCanOverrideThem() {
        withCluster().withPropertyValues("piccolo.db.pool.max-size=4", "piccolo.db.pool.connection-timeout=1500",
                "piccolo.db.extra-nodes.read_replica_1.pool.max-size=2",
                "piccolo.db.extra-nodes.read_replica_1.pool.connection-timeout=900")
                .run(context -> {
                    PostgresEngine engine = context.getBean(PostgresEngine.class);
                    engine.startConnectionPool(engine.node("primary").config().pool());
                    var primary = engine.node("primary").poolSettings().orElseThrow();
                    var replica = engine.node("read_replica_1").poolSettings().orElseThrow();
                    assertThat(primary.maxSize()).isEqualTo(4);
                    assertThat(primary.connectionTimeout()).isEqualTo(Duration.ofMillis(1500));
                    assertThat(replica.maxSize()).isEqualTo(2);
                    assertThat(replica.connectionTimeout()).isEqualTo(Duration.ofMillis(900));
                });
    }

    @Test
    void readOnlyNodeRejectsWritesEvenOnAWritableServer() {
        withCluster().withPropertyValues(
                "piccolo.db.extra-nodes.primary_read_only.config.port=" + cluster.primary().port(),
                "piccolo.db.extra-nodes.primary_read_only.read-only=true")
                .run(context -> {
                    PostgresEngine engine = context.getBean(PostgresEngine.class);
                    JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                    assertThatExceptionOfType(org.springframework.dao.DataAccessException.class)
                            .isThrownBy(() -> engine.nodeContext().run("primary_read_only",
                                    () -> jdbc.execute("CREATE TABLE read_only_write (id int)")))
                            .satisfies(ex -> assertThat(((java.sql.SQLException) ex.getMostSpecificCause())
                                    .getSQLState()).isEqualTo("25006"));
                });
    }

    @Test
    void jdbcConnectionDetailsSupplyTheMainNodesConnection() {
        JdbcConnectionDetails details = new JdbcConnectionDetails() {

            @Override
            public String getUsername() {
                return cluster.primary().user();
            }

            @Override
            public String getPassword() {
                return cluster.primary().password();
            }

            @Override
            public String getJdbcUrl() {
                return cluster.primary().jdbcUrl();
            }
        };
        contextRunner.withPropertyValues("piccolo.db.config.host=no-such-host.invalid", "piccolo.db.config.port=1",
                "piccolo.db.config.database=nowhere")
                .withBean(JdbcConnectionDetails.class, () -> details)
                .run(context -> assertThat(context.getBean(JdbcTemplate.class)
                        .queryForObject("SELECT inet_server_port()", Integer.class)).isEqualTo(cluster.primary().port()));
    }

    @Test
    void impossiblePortFailsStartUpWithTheNodeAndSetting() {
        withCluster().withPropertyValues("piccolo.db.extra-nodes.read_replica_1.config.port=eighty")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(NodeConfigurationException.class)
                        .hasMessageContaining("Node 'read_replica_1' has config.port 'eighty'"));
    }

    @Test
    void impossiblePoolSizeFailsStartUpNamingTheProperty() {
        withCluster().withPropertyValues("piccolo.db.pool.max-size=0")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("piccolo.db.pool.max-size")
                        .hasMessageContaining("max-size cannot be less than 1"));
    }

    @Test
    void useNodeNamingAnUnknownNodeFailsStartUpListingMethodNameAndNodes() {
        withCluster().withBean(MisnamedReads.class).run(context -> assertThat(context).getFailure()
                .isInstanceOf(UnknownUseNodeException.class)
                .hasMessageContaining("@UseNode(\"read_replica1\") on " + MisnamedReads.class.getName() + ".find()")
                .hasMessageContaining("[primary, read_replica_1]"));
    }

    @Test
    void useNodeBeansAreProxiedAndRouted() {
        withCluster().withBean(ReplicaReads.class).run(context -> {
            assertThat(context.getBean(ReplicaReads.class).port()).isEqualTo(cluster.replica(1).port());
            assertThat(org.springframework.aop.support.AopUtils.isAopProxy(context.getBean(ReplicaReads.class)))
                    .isTrue();
        });
    }

    @Test
    void poolAutoStartOffRegistersNoLifecycleListener() {
        withCluster().withPropertyValues("piccolo.db.pool.auto-start=false")
                .run(context -> assertThat(context).doesNotHaveBean(PoolLifecycle.class));
    }

    @Test
    void transactionAdviceOrderedBeforeTheNodeAdviceFailsStartUp() {
        withCluster().withUserConfiguration(EarlyTransactions.class).withBean(ReplicaReads.class)
                .run(context -> assertThat(context).getFailure().hasMessageContaining("Transaction advice has order")
                        .hasMessageContaining("runs before the @UseNode advice"));
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @org.springframework.transaction.annotation.EnableTransactionManagement(
            order = org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
    static class EarlyTransactions {
    }

    static class MisnamedReads {

        @UseNode("read_replica1")
        public void find() {
        }
    }

    static class ReplicaReads {

        private final JdbcTemplate jdbc;

        ReplicaReads(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @UseNode("read_replica_1")
        public int port() {
            return jdbc.queryForObject("SELECT inet_server_port()", Integer.class);
        }
    }
}
