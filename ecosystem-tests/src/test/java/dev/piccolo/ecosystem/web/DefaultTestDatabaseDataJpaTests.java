package dev.piccolo.ecosystem.web;

import java.sql.Connection;

import javax.sql.DataSource;

import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.test.PostgresClusterInitializer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @DataJpaTest} left at its default, which replaces the application's database with an embedded
 * one: the engine steps aside for Boot's replacement, exactly as if the starter were absent, instead
 * of connecting to the servers the application is configured for.
 */
@DataJpaTest(properties = "spring.jpa.hibernate.ddl-auto=create-drop")
@ContextConfiguration(initializers = PostgresClusterInitializer.class)
class DefaultTestDatabaseDataJpaTests {

    @Autowired
    private ApplicationContext context;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private OwnerRepository owners;

    @Test
    void theEmbeddedTestDatabaseServesAndTheEngineStepsAside() throws Exception {
        owners.save(new Owner("on the embedded database"));

        assertThat(owners.count()).isEqualTo(1);
        assertThat(context.getBeanNamesForType(PostgresEngine.class)).isEmpty();
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("H2");
        }
    }
}
