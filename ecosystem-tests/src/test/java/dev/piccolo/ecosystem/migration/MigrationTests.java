package dev.piccolo.ecosystem.migration;

import dev.piccolo.ecosystem.Applications;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migrations run once, on the primary, before the pools open, and can use the extensions the engine
 * created. A replica cannot run DDL, so a migration routed there would fail start-up.
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
}
