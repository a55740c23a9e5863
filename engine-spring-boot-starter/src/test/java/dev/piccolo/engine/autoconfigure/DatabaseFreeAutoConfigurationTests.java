package dev.piccolo.engine.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import javax.sql.DataSource;
import javax.sql.XADataSource;

import dev.piccolo.engine.NodeContext;
import dev.piccolo.engine.NodeGroup;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.RoutingListener;
import dev.piccolo.engine.autoconfigure.actuate.PiccoloSanitizingAutoConfiguration;
import dev.piccolo.engine.autoconfigure.health.PiccoloHealthContributorAutoConfiguration;
import dev.piccolo.engine.autoconfigure.metrics.PiccoloMetricsAutoConfiguration;
import dev.piccolo.engine.autoconfigure.observation.PiccoloObservationAutoConfiguration;
import dev.piccolo.engine.autoconfigure.web.PiccoloReadYourWritesWebAutoConfiguration;
import dev.piccolo.engine.spring.UseNodeAdvisor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationFilter;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.xa.PGXADataSource;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configurations' wiring, with no database: building the engine connects to nothing, and
 * with start-up checks off its {@code start()} does not either, so a port nobody listens on will do.
 */
class DatabaseFreeAutoConfigurationTests {

    private static final AutoConfigurations ALL = AutoConfigurations.of(PiccoloEngineAutoConfiguration.class,
            PiccoloHealthContributorAutoConfiguration.class, PiccoloMetricsAutoConfiguration.class,
            PiccoloObservationAutoConfiguration.class, PiccoloSanitizingAutoConfiguration.class,
            PiccoloReadYourWritesWebAutoConfiguration.class);

    private static final String[] NOWHERE = { "piccolo.db.config.host=127.0.0.1", "piccolo.db.config.port=1",
            "piccolo.db.config.database=nowhere", "piccolo.db.startup-checks=false",
            "piccolo.db.pool.auto-start=false", "piccolo.db.extra-nodes.read_replica_1.read-only=true" };

    /** No {@code piccolo.db.config}: the engine would take its main node from {@code spring.datasource.url}. */
    private static final String[] DROP_IN = { "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/nowhere",
            "piccolo.db.startup-checks=false", "piccolo.db.pool.auto-start=false" };

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(ALL)
            .withPropertyValues(NOWHERE);

    @Test
    void readYourWritesTurnsOnTheEngineAndInServletApplicationsTheClientTokenFilter() {
        new WebApplicationContextRunner().withConfiguration(ALL).withPropertyValues(NOWHERE)
                .withPropertyValues("piccolo.db.read-your-writes.enabled=true",
                        "piccolo.db.read-your-writes.max-wait=20ms").run(context -> {
                            assertThat(context).hasBean("piccoloConsistencyTokenFilter");
                            assertThat(context.getBean(PostgresEngine.class).readYourWrites().maxWait())
                                    .isEqualTo(Duration.ofMillis(20));
                        });
        new WebApplicationContextRunner().withConfiguration(ALL).withPropertyValues(NOWHERE)
                .run(context -> assertThat(context).doesNotHaveBean("piccoloConsistencyTokenFilter"));
        contextRunner.withPropertyValues("piccolo.db.read-your-writes.enabled=true").run(context -> {
            assertThat(context).doesNotHaveBean("piccoloConsistencyTokenFilter");
            assertThat(context.getBean(PostgresEngine.class).readYourWrites().isEnabled()).isTrue();
        });
    }

    @Test
    void theEngineItsHealthAndItsObservationKeyAreThere() {
        contextRunner.run(context -> {
            assertThat(context).hasSingleBean(PostgresEngine.class).hasSingleBean(ObservationFilter.class);
            assertThat(context.getBean("piccoloHealthContributor", CompositeHealthContributor.class).stream()
                    .map(contributor -> contributor.name())).containsExactly("primary", "read_replica_1");
        });
    }

    @Test
    void nodeGroupsAreReadWithMembersAndInTheShortListForms() {
        contextRunner.withPropertyValues("piccolo.db.node-groups.full.members[0]=read_replica_1",
                "piccolo.db.node-groups.full.balancing=least-borrowed", "piccolo.db.node-groups.full.fallback=primary",
                "piccolo.db.node-groups.full.max-lag=5s", "piccolo.db.node-groups.full.max-lag-bytes=16MB",
                "piccolo.db.extra-nodes.read_replica_1.max-lag-bytes=1KB", "piccolo.db.health-probe.enabled=true",
                "piccolo.db.node-groups.listed[0]=read_replica_1", "piccolo.db.node-groups.listed[1]=primary",
                "piccolo.db.node-groups.commas=read_replica_1, primary").run(context -> {
                    Map<String, NodeGroup> groups = context.getBean(PostgresEngine.class).groups();
                    assertThat(groups.get("full").members()).containsExactly("read_replica_1");
                    assertThat(groups.get("full").balancing()).isEqualTo(NodeGroup.Balancing.LEAST_BORROWED);
                    assertThat(groups.get("full").fallback()).isEqualTo("primary");
                    assertThat(groups.get("full").maxLagBytes()).isEqualTo(16L * 1024 * 1024);
                    assertThat(context.getBean(PostgresEngine.class).node("read_replica_1").config().maxLagBytes())
                            .isEqualTo(1024L);
                    assertThat(groups.get("listed").members()).containsExactly("read_replica_1", "primary");
                    assertThat(groups.get("listed").balancing()).isEqualTo(NodeGroup.Balancing.ROUND_ROBIN);
                    assertThat(groups.get("commas").members()).containsExactly("read_replica_1", "primary");
                });
    }

    @Test
    void groupOptionsWhereVersion01ReadThemFailNamingTheNewPlace() {
        contextRunner.withPropertyValues("piccolo.db.node-groups.replicas=read_replica_1",
                "piccolo.db.node-group-options.replicas.max-lag=10s").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("piccolo.db.node-group-options")
                            .hasMessageContaining("piccolo.db.node-groups.replicas.{members, balancing, fallback, "
                                    + "max-lag}");
                });
    }

    @Test
    void withAMeterRegistryRoutingIsCountedAndHikariMetersAreTaggedByNode() {
        contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasBean("piccoloRoutingCounters").hasSingleBean(MeterFilter.class);
            context.getBean("piccoloRoutingCounters", RoutingListener.class).onJoin("read_replica_1", "primary");
            assertThat(context.getBean(MeterRegistry.class).counter("piccolo.routing.joined", "requested",
                    "read_replica_1", "node", "primary").count()).isEqualTo(1);
        });
    }

    @Test
    void withoutMicrometerOrActuatorTheirPartsStayOut() {
        contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class, ObservationFilter.class,
                CompositeHealthContributor.class, SanitizingFunction.class)).run(context -> {
                    assertThat(context).hasSingleBean(PostgresEngine.class)
                            .doesNotHaveBean("piccoloRoutingCounters").doesNotHaveBean(ObservationFilter.class)
                            .doesNotHaveBean("piccoloHealthContributor").doesNotHaveBean(SanitizingFunction.class);
                });
    }

    @Test
    void whenTheEngineIsOffNothingOfItIsThereButSecretsAreStillMasked() {
        contextRunner.withPropertyValues("piccolo.db.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(PostgresEngine.class).doesNotHaveBean(ObservationFilter.class)
                    .doesNotHaveBean("piccoloHealthContributor").hasSingleBean(SanitizingFunction.class);
        });
    }

    @Test
    void aNonPostgresqlDatasourceUrlWithNoEngineConfigLeavesTheEngineAside() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PiccoloEngineAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:app").run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(PostgresEngine.class);
                });
    }

    @Test
    void anApplicationsOwnDataSourceLeavesTheEngineAsideEvenWithPiccoloDbConfigSet() {
        DataSource own = new PGSimpleDataSource();
        contextRunner.withBean("applicationDataSource", DataSource.class, () -> own).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(PostgresEngine.class).doesNotHaveBean(NodeContext.class)
                    .doesNotHaveBean(UseNodeAdvisor.class).doesNotHaveBean("piccoloHealthContributor");
            assertThat(context.getBean(DataSource.class)).isSameAs(own);
            assertThat(whyTheEngineIsAside(context)).contains("applicationDataSource");
        });
        contextRunner.withBean(XADataSource.class, PGXADataSource::new)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(PostgresEngine.class));
    }

    @Test
    void anApplicationsOwnPrimaryDataSourceIsKeptWhenSpringDatasourceUrlIsPostgresql() {
        DataSource own = new PGSimpleDataSource();
        new ApplicationContextRunner().withConfiguration(ALL).withPropertyValues(DROP_IN)
                .withBean("applicationDataSource", DataSource.class, () -> own,
                        definition -> definition.setPrimary(true))
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(PostgresEngine.class);
                    assertThat(context.getBean(DataSource.class)).isSameAs(own);
                    assertThat(whyTheEngineIsAside(context)).contains("applicationDataSource");
                });
    }

    @Test
    void excludingDataSourceAutoConfigurationLeavesTheEngineAsideWhereItWouldTakeSpringDatasourceUrl() {
        ApplicationContextRunner dropIn = new ApplicationContextRunner().withPropertyValues(DROP_IN);
        dropIn.withUserConfiguration(ExcludesDataSourceAutoConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(PostgresEngine.class).doesNotHaveBean(DataSource.class);
            assertThat(whyTheEngineIsAside(context)).contains("excludes DataSourceAutoConfiguration");
        });
        dropIn.withUserConfiguration(AutoConfigured.class)
                .withPropertyValues("spring.autoconfigure.exclude=" + DataSourceAutoConfiguration.class.getName())
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(PostgresEngine.class)
                        .doesNotHaveBean(DataSource.class));
    }

    @Test
    void theSanitizerMasksOnlyTheEnginesSecretsAndUrlCredentials() {
        contextRunner.run(context -> {
            SanitizingFunction sanitizer = context.getBean(SanitizingFunction.class);

            assertThat(sanitizer.apply(data("piccolo.db.config.password", "s3cr3t")).getValue())
                    .isEqualTo(SanitizableData.SANITIZED_VALUE);
            assertThat(sanitizer.apply(data("piccolo.db.extra-nodes.read_replica_1.config.url",
                    "jdbc:postgresql://h/d?password=s3cr3t")).getValue())
                    .isEqualTo("jdbc:postgresql://h/d?password=******");
            assertThat(sanitizer.apply(data("other.library.password", "theirs")).getValue()).isEqualTo("theirs");
        });
    }

    private static SanitizableData data(String key, String value) {
        return new SanitizableData(null, key, value);
    }

    /** What {@code --debug} shows under {@code PiccoloEngineAutoConfiguration}: the conditions that did not match. */
    private static String whyTheEngineIsAside(AssertableApplicationContext context) {
        return ConditionEvaluationReport.get(context.getBeanFactory()).getConditionAndOutcomesBySource()
                .get(PiccoloEngineAutoConfiguration.class.getName()).stream()
                .map(ConditionEvaluationReport.ConditionAndOutcome::getOutcome).filter(outcome -> !outcome.isMatch())
                .map(ConditionOutcome::getMessage).collect(Collectors.joining("; "));
    }

    /** An application that excludes Boot's {@code DataSource} auto-configuration, as spring-petclinic's tests do. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration(exclude = DataSourceAutoConfiguration.class)
    static class ExcludesDataSourceAutoConfiguration {
    }

    /** An application on every auto-configuration of the class path, for {@code spring.autoconfigure.exclude}. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class AutoConfigured {
    }
}
