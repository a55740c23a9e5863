package dev.piccolo.ecosystem.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import javax.sql.DataSource;

import dev.piccolo.ecosystem.Applications;
import dev.piccolo.engine.EngineNode;
import dev.piccolo.engine.PoolStatistics;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterInitializer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routing in a Spring MVC + Spring Data JPA application over real HTTP, on Boot's defaults (open-in-view
 * on: each request holds one JPA connection across all its transactions), with read-only transactions
 * sent to the replica. Each response carries the port of every server that served; subclasses run the
 * same requests behind different {@code DataSource} wrappers.
 */
@SpringBootTest(classes = WebApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "spring.flyway.enabled=true", "piccolo.db.read-only-transactions=read_replica_1" })
@ContextConfiguration(initializers = PostgresClusterInitializer.class)
abstract class WebStackTests {

    private final HttpClient http = HttpClient.newHttpClient();

    private final PostgresCluster cluster = PostgresCluster.shared();

    private final String primary = Integer.toString(cluster.primary().port());

    private final String replica = Integer.toString(cluster.replica(1).port());

    @LocalServerPort
    private int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    private PostgresEngine engine;

    @Autowired
    private MeterRegistry meters;

    @AfterEach
    void noConnectionIsLeftBorrowed() {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(engine.nodes().stream()
                .map(EngineNode::poolStatistics)
                .mapToInt(statistics -> statistics.map(PoolStatistics::active).orElse(0))
                .sum()).isZero());
    }

    @Test
    void requestThatReadsOnThePrimaryThenCallsAReplicaTransactionRunsItOnTheReplica() throws Exception {
        assertThat(send("GET", "/ports/primary-then-replica").body()).isEqualTo(ports(primary, replica, primary));
    }

    @Test
    void requestThatReadsOnTheReplicaThenWritesWritesOnThePrimary() throws Exception {
        HttpResponse<String> response = send("POST", "/ports/replica-then-write");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(ports(replica, primary, primary));
    }

    @Test
    void auditWriteInANewTransactionInsideAReadOnlyOneRunsOnThePrimary() throws Exception {
        HttpResponse<String> response = send("GET", "/ports/report-with-audit");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(ports(replica, primary, replica));
    }

    @Test
    void notSupportedInsideAPrimaryTransactionRunsOnTheRequestedNode() throws Exception {
        assertThat(send("POST", "/ports/write-then-replica-outside").body())
                .isEqualTo(ports(primary, replica, primary));
    }

    @Test
    void replicaWorkInsideAPrimaryTransactionJoinsItAndIsCounted() throws Exception {
        double before = joinedCount();

        assertThat(send("GET", "/ports/primary-transaction-calling-replica").body()).isEqualTo(ports(primary, primary));
        assertThat(joinedCount()).isEqualTo(before + 1);
    }

    @Test
    void annotatedRepositoryReadServesReadsFromTheReplicaAndJoinsWriteTransactions() throws Exception {
        Applications.withReplayPaused(cluster, "read_replica_1", () -> {
            String id = send("POST", "/owners?name=fresh").body();

            assertThat(send("GET", "/owners/" + id).statusCode()).as("not replayed on the replica yet").isEqualTo(404);
            assertThat(send("PUT", "/owners/" + id + "?name=renamed").statusCode())
                    .as("the write service finds it through the annotated findById, on the primary").isEqualTo(200);
        });
        String id = send("POST", "/owners?name=replayed").body();
        cluster.awaitReplication();
        assertThat(send("GET", "/owners/" + id).body()).isEqualTo("replayed");
    }

    private double joinedCount() {
        var counter = meters.find("piccolo.routing.joined").tags("requested", "read_replica_1", "node", "primary")
                .counter();
        return counter != null ? counter.count() : 0;
    }

    private static String ports(String... ports) {
        return "[" + String.join(",", ports) + "]";
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
