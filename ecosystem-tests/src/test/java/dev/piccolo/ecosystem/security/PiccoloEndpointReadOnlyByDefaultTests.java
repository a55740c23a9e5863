package dev.piccolo.ecosystem.security;

import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.test.PostgresClusterInitializer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code piccolo} endpoint exposed but its access left as it comes (read-only): even the operator, whose
 * role and security would let a write through, reads and changes nothing.
 */
@SpringBootTest(classes = EndpointApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "management.endpoints.web.exposure.include=health,piccolo")
@ContextConfiguration(initializers = PostgresClusterInitializer.class)
@ActiveProfiles("operators")
class PiccoloEndpointReadOnlyByDefaultTests {

    @LocalServerPort
    private int port;

    @Autowired
    private PostgresEngine engine;

    @Test
    void writesAreNotServedUntilTheEndpointsAccessIsUnrestricted() throws Exception {
        EndpointHttp http = new EndpointHttp(port);

        assertThat(http.get("/actuator/piccolo", "operator").statusCode()).isEqualTo(200);
        assertThat(http.post("/actuator/piccolo/read_replica_1", "{\"action\":\"out-of-rotation\"}", "operator")
                .statusCode()).isIn(404, 405);
        assertThat(http.delete("/actuator/piccolo/read_replica_1", "operator").statusCode()).isIn(404, 405);
        assertThat(engine.node("read_replica_1").inRotation()).isTrue();
        assertThat(engine.nodeNames()).contains("read_replica_1");
    }
}
