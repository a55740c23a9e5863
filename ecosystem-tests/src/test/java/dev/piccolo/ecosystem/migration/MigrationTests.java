package dev.piccolo.ecosystem.migration;

import dev.piccolo.ecosystem.Applications;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.test.ClusterNode;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migrations run once, on the primary, before the pools open, and can use the extensions the engine
 * created. A replica cannot run DDL, so a migration routed there would fail start-up. Flyway's advisory lock,
 * transaction-level or session-level, is gone once start-up is over: no session the application kept holds it.
 */
@ExtendWith(PostgresClusterExtension.class)
class MigrationTests {

    @Test
    void liquibaseMigratesOnceOnThePrimaryBeforeThePoolOpens(PostgresCluster cluster) {
        MigrationApplication.POOL_RUNNING_AT_START_UP.clear();
        for (int run = 0; run < 2; run++) {
            try (ConfigurableApplicationContext context = Applications.run(MigrationApplication.class, cluster,
                    "spring.liquibase.enabled=true")) {
                JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                assertThat(jdbc.queryForObject("SELECT count(*) FROM databasechangelog WHERE id = 'liquibase-item'",
                        Integer.class)).isEqualTo(1);
                assertThat(jdbc.queryForObject("INSERT INTO liquibase_item (name) VALUES ('x') RETURNING id::text",
                        String.class)).hasSize(36);
            }
        }
        assertThat(MigrationApplication.POOL_RUNNING_AT_START_UP).containsExactly(false, false);
    }

    @Test
    void flywayMigratesOnceOnThePrimaryBeforeThePoolOpens(PostgresCluster cluster) {
        MigrationApplication.POOL_RUNNING_AT_START_UP.clear();
        for (int run = 0; run < 2; run++) {
            try (ConfigurableApplicationContext context = Applications.run(MigrationApplication.class, cluster,
                    "spring.flyway.enabled=true")) {
                assertThat(context.getBean(JdbcTemplate.class).queryForObject(
                        "SELECT count(*) FROM flyway_schema_history WHERE version = '1'", Integer.class)).isEqualTo(1);
            }
        }
        assertThat(MigrationApplication.POOL_RUNNING_AT_START_UP).containsExactly(false, false);
    }

    @ParameterizedTest(name = "spring.flyway.postgresql.transactional-lock={0}")
    @ValueSource(booleans = { true, false })
    void flywayLeavesNoAdvisoryLockHeldOnThePrimary(boolean transactionalLock, PostgresCluster cluster)
            throws Exception {
        String applicationName = PostgresCluster.newApplicationName();
        int poolSize = 2;
        try (ConfigurableApplicationContext context = Applications.run(MigrationApplication.class, cluster,
                "spring.flyway.enabled=true", "spring.flyway.postgresql.transactional-lock=" + transactionalLock,
                "piccolo.db.config.ApplicationName=" + applicationName, "piccolo.db.pool.max-size=" + poolSize)) {
            assertThat(context.getBean(PostgresEngine.class).isPoolRunning()).isTrue();
            // The pool opened after Flyway ran: once its sessions are up, the count below covers them too.
            cluster.awaitConnectionCount(ClusterNode.PRIMARY, applicationName, poolSize);

            assertThat(cluster.queryString(ClusterNode.PRIMARY,
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"))
                    .as("advisory locks on the primary, the application's pooled sessions included").isEqualTo("0");
        }
    }
}
