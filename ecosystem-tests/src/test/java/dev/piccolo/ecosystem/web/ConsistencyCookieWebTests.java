package dev.piccolo.ecosystem.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.piccolo.engine.test.PostgresClusterInitializer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token's cookie belongs to one application: by default scoped to its context path, so two
 * applications on one host do not read each other's, and named as configured.
 */
@SpringBootTest(classes = WebApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "spring.flyway.enabled=true", "piccolo.db.read-your-writes.enabled=true",
                "server.servlet.context-path=/shop", "piccolo.db.read-your-writes.cookie.name=shop-consistency" })
@ContextConfiguration(initializers = PostgresClusterInitializer.class)
class ConsistencyCookieWebTests {

    @LocalServerPort
    private int port;

    @Test
    void aWriteSetsTheCookieOnTheApplicationsOwnPathUnderItsConfiguredName() throws Exception {
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/shop/owners/new?name=Schroeder"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(created.headers().allValues("Set-Cookie")).singleElement().asString()
                .startsWith("shop-consistency=").contains("Path=/shop").contains("HttpOnly")
                .contains("SameSite=Lax");
    }
}
