package dev.piccolo.ecosystem.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterInitializer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code node-switch-in-transaction: fail} behind datasource-micrometer's proxy: refused, while REQUIRES_NEW still works. */
@SpringBootTest(classes = WebApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "spring.flyway.enabled=true", "piccolo.db.read-only-transactions=read_replica_1",
                "piccolo.db.node-switch-in-transaction=fail" })
@ContextConfiguration(initializers = PostgresClusterInitializer.class)
@ExtendWith(OutputCaptureExtension.class)
class NodeSwitchFailWebTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Test
    void replicaWorkInsideAPrimaryTransactionIsRefusedWithTheReason(CapturedOutput output) throws Exception {
        assertThat(get("/ports/primary-transaction-calling-replica").statusCode()).isEqualTo(500);
        assertThat(output).contains("asked for 'read_replica_1' inside a transaction that is open on node 'primary'");
    }

    @Test
    void newTransactionsStillStartOnTheirOwnNode() throws Exception {
        PostgresCluster cluster = PostgresCluster.shared();
        HttpResponse<String> response = get("/ports/report-with-audit");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("[" + cluster.replica(1).port() + "," + cluster.primary().port() + ","
                + cluster.replica(1).port() + "]");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
