package dev.piccolo.ecosystem.adoption;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import javax.sql.DataSource;

import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.test.ClusterNode;
import dev.piccolo.engine.test.PostgresCluster;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Controller;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * spring-petclinic's {@code CrashControllerIntegrationTests} in its shape, with the starter added: a web test
 * whose configuration excludes Boot's DataSource, transaction manager and JPA auto-configurations, Spring Data
 * JPA on the class path, and {@code spring.datasource.*} pointing at PostgreSQL as petclinic's {@code postgres}
 * profile sets them. The exclusion asks for no auto-configured DataSource, so the engine steps aside rather than
 * become one that switches Spring Data JPA's repositories on with no {@code entityManagerFactory} to serve them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.web.error.include-message=ALWAYS")
class CrashControllerIntegrationTests {

    private static final String MESSAGE = "Expected: controller used to showcase what happens when an exception is "
            + "thrown";

    @LocalServerPort
    private int port;

    @Autowired
    private ApplicationContext context;

    @DynamicPropertySource
    static void postgresProfile(DynamicPropertyRegistry registry) {
        ClusterNode primary = PostgresCluster.shared().primary();
        registry.add("spring.datasource.url", primary::jdbcUrl);
        registry.add("spring.datasource.username", primary::user);
        registry.add("spring.datasource.password", primary::password);
    }

    @Test
    void theCrashPageAnswersWithTheErrorAndTheEngineStaysAside() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create("http://localhost:" + port + "/oups")).header("Accept", "application/json")
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains(MESSAGE, "/oups");
        assertThat(context.getBeanNamesForType(PostgresEngine.class)).isEmpty();
        assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();
    }

    // Petclinic's @SpringBootApplication(exclude = ...) minus its component scan and @SpringBootConfiguration: the
    // scan would pick up this package's other applications, and the slice tests here find their one configuration.
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration(exclude = { DataSourceAutoConfiguration.class,
            DataSourceTransactionManagerAutoConfiguration.class, HibernateJpaAutoConfiguration.class })
    @Import(CrashController.class)
    static class TestConfiguration {
    }

    /** Petclinic's {@code CrashController}: a page that always fails. */
    @Controller
    static class CrashController {

        @GetMapping("/oups")
        String triggerException() {
            throw new RuntimeException(MESSAGE);
        }
    }
}
