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
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code piccolo} endpoint exposed, writes turned on, behind Spring Security's defaults (the user Boot
 * configures, form login and HTTP Basic, CSRF protection): reading needs a login; no write gets through,
 * whoever asks.
 */
@SpringBootTest(classes = EndpointApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,piccolo", "management.endpoint.piccolo.access=unrestricted",
        "spring.security.user.name=operator", "spring.security.user.password=" + EndpointApplication.PASSWORD,
        "spring.security.user.roles=PICCOLO_ADMIN" })
@ContextConfiguration(initializers = PostgresClusterInitializer.class)
class PiccoloEndpointDefaultSecurityTests {

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
    void readingNeedsALoginAndShowsEveryNodeWithoutItsPassword() throws Exception {
        assertThat(http.get("/actuator/piccolo", null).statusCode()).isEqualTo(401);

        HttpResponse<String> read = http.get("/actuator/piccolo", "operator");

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).contains("\"primary\"", "\"read_replica_1\"", "\"decisions\"", "\"inRotation\":true")
                .doesNotContain(PostgresCluster.shared().primary().password());
    }

    @Test
    void writesAreRefusedEvenToAUserWithTheWriteRole() throws Exception {
        HttpResponse<String> out = http.post("/actuator/piccolo/read_replica_1", "{\"action\":\"out-of-rotation\"}",
                "operator");
        HttpResponse<String> removed = http.delete("/actuator/piccolo/read_replica_1", "operator");

        // CSRF protection refuses both: the request carries no token, as no script's does.
        assertThat(out.statusCode()).isIn(401, 403);
        assertThat(removed.statusCode()).isIn(401, 403);
        assertThat(engine.node("read_replica_1").inRotation()).isTrue();
        assertThat(engine.nodeNames()).contains("read_replica_1");
    }
}
