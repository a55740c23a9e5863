package dev.piccolo.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterInitializer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives the sample over HTTP against a real primary and replica. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,metrics,env,configprops",
        "management.endpoint.env.show-values=always", "management.endpoint.configprops.show-values=always" })
@ContextConfiguration(initializers = PostgresClusterInitializer.class)
class SampleApplicationEndToEndTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Test
    void itemWrittenOnThePrimaryIsReadBackThroughTheReplica() throws Exception {
        PostgresCluster cluster = PostgresCluster.shared();

        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/items"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"written over HTTP\"}")));
        assertThat(created.statusCode()).isEqualTo(201);
        String id = (String) json(created.body()).get("id");
        cluster.awaitReplication();

        List<Object> items = JsonParserFactory.getJsonParser().parseList(get("/items"));
        assertThat(items).contains(Map.of("id", id, "name", "written over HTTP",
                "createdAt", json(created.body()).get("createdAt")));

        Map<String, Object> read = json(get("/served-by/read"));
        assertThat(read).containsEntry("node", "read_replica_1").containsEntry("inRecovery", true);
        assertThat(((Number) read.get("serverPort")).intValue()).isEqualTo(cluster.replica(1).port());
        Map<String, Object> write = json(get("/served-by/write"));
        assertThat(write).containsEntry("node", "primary").containsEntry("inRecovery", false);
        assertThat(((Number) write.get("serverPort")).intValue()).isEqualTo(cluster.primary().port());
    }

    @Test
    @SuppressWarnings("unchecked")
    void healthIsUpWithBothNodesAndPoolMetricsAreExposedPerNode() throws Exception {
        Map<String, Object> health = json(get("/actuator/health"));
        assertThat(health).containsEntry("status", "UP");
        Map<String, Object> piccolo = (Map<String, Object>) ((Map<String, Object>) health.get("components"))
                .get("piccolo");
        Map<String, Object> nodes = (Map<String, Object>) piccolo.get("components");
        assertThat(nodes).containsOnlyKeys("primary", "read_replica_1");
        assertThat((Map<String, Object>) nodes.get("read_replica_1")).containsEntry("status", "UP");

        String metric = get("/actuator/metrics/hikaricp.connections?tag=node:read_replica_1");
        assertThat(json(metric)).containsEntry("name", "hikaricp.connections");
    }

    @Test
    void envAndConfigpropsMaskThePasswordEvenWhenShowingValues() throws Exception {
        String password = PostgresCluster.shared().primary().password();

        String env = get("/actuator/env/piccolo.db.config.password");
        String configprops = get("/actuator/configprops/piccolo.db");

        assertThat(env).doesNotContain(password).contains("******");
        assertThat(configprops).doesNotContain(password).contains("\"password\":\"******\"");
        assertThat(get("/actuator/env")).doesNotContain(password);
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).GET());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static Map<String, Object> json(String body) {
        return JsonParserFactory.getJsonParser().parseMap(body);
    }
}
