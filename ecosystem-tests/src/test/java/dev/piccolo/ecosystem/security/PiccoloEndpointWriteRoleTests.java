package dev.piccolo.ecosystem.security;

import java.net.http.HttpResponse;

import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterInitializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code piccolo} endpoint behind the security operators write for actuator endpoints (HTTP Basic, no
 * CSRF token for scripts): a user without the write role reads but changes nothing; the operator takes a
 * node out of rotation and back, adds one and removes it, and routing and health follow.
 */
@SpringBootTest(classes = EndpointApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,piccolo", "management.endpoint.piccolo.access=unrestricted",
        "management.endpoint.health.show-details=always", "piccolo.db.health-probe.enabled=true",
        "piccolo.db.health-probe.interval=200ms" })
@ContextConfiguration(initializers = PostgresClusterInitializer.class)
@ActiveProfiles("operators")
class PiccoloEndpointWriteRoleTests {

    @LocalServerPort
    private int port;

    @Autowired
    private PostgresEngine engine;

    private EndpointHttp http;

    @BeforeEach
    void client() {
        http = new EndpointHttp(port);
    }

    @Test
    void aUserWithoutTheWriteRoleReadsButChangesNothing() throws Exception {
        assertThat(http.get("/actuator/piccolo/read_replica_1", "viewer").statusCode()).isEqualTo(200);

        HttpResponse<String> out = http.post("/actuator/piccolo/read_replica_1", "{\"action\":\"out-of-rotation\"}",
                "viewer");
        HttpResponse<String> removed = http.delete("/actuator/piccolo/read_replica_1", "viewer");

        assertThat(out.statusCode()).isEqualTo(403);
        assertThat(out.body()).contains("PICCOLO_ADMIN");
        assertThat(removed.statusCode()).isEqualTo(403);
        assertThat(engine.node("read_replica_1").inRotation()).isTrue();
        assertThat(engine.nodeNames()).contains("read_replica_1");
    }

    @Test
    void theOperatorTakesANodeOutOfRotationAndPutsItBack() throws Exception {
        HttpResponse<String> out = http.post("/actuator/piccolo/read_replica_1", "{\"action\":\"out-of-rotation\"}",
                "operator");

        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.body()).contains("\"inRotation\":false", "out of rotation");
        assertThat(engine.node("read_replica_1").inRotation()).isFalse();
        assertThat(http.post("/actuator/piccolo/read_replica_1", "{\"action\":\"in-rotation\"}", "operator")
                .statusCode()).isEqualTo(200);
        assertThat(engine.node("read_replica_1").inRotation()).isTrue();
    }

    @Test
    void theOperatorAddsANodeThatServesAndShowsInHealthThenRemovesIt() throws Exception {
        int replicaPort = PostgresCluster.shared().replica(1).port();
        HttpResponse<String> added = http.post("/actuator/piccolo/replica_copy", "{\"action\":\"add\",\"readOnly\":"
                + "true,\"port\":" + replicaPort + "}", "operator");

        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(added.body()).doesNotContain("password");
        Integer served = engine.nodeContext().call("replica_copy", this::serverPort);
        assertThat(served).isEqualTo(replicaPort);
        assertThat(http.get("/actuator/health/piccolo/replica_copy", "operator").body()).contains("\"UP\"");
        assertThat(http.get("/actuator/piccolo", "operator").body()).contains("\"replica_copy\"")
                .doesNotContain(PostgresCluster.shared().primary().password());

        assertThat(http.delete("/actuator/piccolo/replica_copy", "operator").statusCode()).isEqualTo(204);

        assertThat(engine.nodeNames()).doesNotContain("replica_copy");
        assertThat(http.get("/actuator/piccolo/replica_copy", "operator").statusCode()).isEqualTo(404);
        assertThat(http.get("/actuator/health/piccolo/replica_copy", "operator").statusCode()).isEqualTo(404);
    }

    @Test
    void anAddedNodesHostMustBeAPlainHostNameOrAddress() throws Exception {
        HttpResponse<String> refused = http.post("/actuator/piccolo/elsewhere", "{\"action\":\"add\",\"host\":"
                + "\"evil.example:6543/x?sslmode=disable&x=\"}", "operator");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("plain host name or IP address");
        assertThat(engine.nodeNames()).doesNotContain("elsewhere");
    }

    private Integer serverPort() throws Exception {
        try (var connection = engine.getDataSource().getConnection();
                var statement = connection.createStatement();
                var result = statement.executeQuery("SELECT inet_server_port()")) {
            result.next();
            return result.getInt(1);
        }
    }
}
