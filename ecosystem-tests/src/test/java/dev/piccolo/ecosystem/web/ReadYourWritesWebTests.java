package dev.piccolo.ecosystem.web;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.piccolo.ecosystem.Applications;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterInitializer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Read-your-writes as a browser and an API client meet it, over real HTTP on Boot's defaults (open-in-view
 * on): a form post that redirects to the new row's page, read through a repository method annotated for
 * the replica, while the replica's replay is paused.
 */
@SpringBootTest(classes = WebApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "spring.flyway.enabled=true", "piccolo.db.read-your-writes.enabled=true" })
@ContextConfiguration(initializers = PostgresClusterInitializer.class)
class ReadYourWritesWebTests {

    private static final String TOKEN_HEADER = "Piccolo-Consistency-Token";

    private final PostgresCluster cluster = PostgresCluster.shared();

    @LocalServerPort
    private int port;

    @Autowired
    private MeterRegistry meters;

    @Test
    void theBrowserFollowingTheRedirectAfterItsPostSeesTheNewRowWhileTheReplicaLags() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        double sentToPrimary = count("primary");
        Applications.withReplayPaused(cluster, "read_replica_1", () -> {
            HttpResponse<String> page = browser.send(post("/owners/new?name=Franklin"),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).isEqualTo("Franklin");
            assertThat(count("primary")).isEqualTo(sentToPrimary + 1);
        });
        double servedByReplica = count("replica") + count("waited");
        HttpResponse<String> created = browser.send(post("/owners/new?name=Davis"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.body()).isEqualTo("Davis");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("replica") + count("waited") > servedByReplica);
    }

    @Test
    void anApiClientSendsTheTokenBackInTheHeader() throws Exception {
        HttpClient api = HttpClient.newHttpClient();
        Applications.withReplayPaused(cluster, "read_replica_1", () -> {
            HttpResponse<String> created = api.send(post("/owners/new?name=Coleman"),
                    HttpResponse.BodyHandlers.ofString());
            String token = created.headers().firstValue(TOKEN_HEADER).orElseThrow();
            String owner = created.headers().firstValue("Location").orElseThrow();

            assertThat(api.send(get(owner).header(TOKEN_HEADER, token).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("Coleman");
            // Read-your-writes is per client: one with no token, or an unreadable one, reads the lagging replica.
            assertThat(api.send(get(owner).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                    .isEqualTo(404);
            assertThat(api.send(get(owner).header(TOKEN_HEADER, "'; DROP TABLE owner; --").build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
        });
    }

    @Test
    void aForgedTokenAheadOfThePrimaryCanOnlySendItsOwnReadsToThePrimary() throws Exception {
        HttpClient api = HttpClient.newHttpClient();
        Applications.withReplayPaused(cluster, "read_replica_1", () -> {
            String owner = api.send(post("/owners/new?name=Escobito"), HttpResponse.BodyHandlers.ofString())
                    .headers().firstValue("Location").orElseThrow();

            HttpResponse<String> forged = api.send(get(owner).header(TOKEN_HEADER, "7FFFFFFF/FFFFFFFF").build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(forged.body()).as("clamped to the primary's position, which the replica has not replayed")
                    .isEqualTo("Escobito");
        });
    }

    private double count(String outcome) {
        Counter counter = meters.find("piccolo.routing.read-your-writes").tags("outcome", outcome).counter();
        return counter != null ? counter.count() : 0;
    }

    private HttpRequest post(String path) {
        return HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
