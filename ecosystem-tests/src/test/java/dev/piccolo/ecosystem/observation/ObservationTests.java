package dev.piccolo.ecosystem.observation;

import dev.piccolo.ecosystem.Applications;
import dev.piccolo.ecosystem.NodePorts;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** JDBC observations (and so spans) carry the node that served them as {@code piccolo.node}. */
@ExtendWith(PostgresClusterExtension.class)
class ObservationTests {

    @Test
    void jdbcQueryObservationsNameTheNode(PostgresCluster cluster) {
        ObservationApplication.STOPPED.clear();
        try (ConfigurableApplicationContext context = Applications.run(ObservationApplication.class, cluster)) {
            NodePorts reads = context.getBean(NodePorts.class);
            assertThat(reads.replicaPort()).isEqualTo(cluster.replica(1).port());
            assertThat(reads.primaryPort()).isEqualTo(cluster.primary().port());
        }

        assertThat(nodeOfQuery("replica_port")).isEqualTo("read_replica_1");
        assertThat(nodeOfQuery("primary_port")).isEqualTo("primary");
    }

    private static String nodeOfQuery(String marker) {
        Observation.Context query = ObservationApplication.STOPPED.stream()
                .filter(context -> "jdbc.query".equals(context.getName()))
                .filter(context -> context.getAllKeyValues().stream().anyMatch(kv -> kv.getValue().contains(marker)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no jdbc.query observation for " + marker + " among "
                        + ObservationApplication.STOPPED.stream().map(Observation.Context::getName).toList()));
        KeyValue node = query.getLowCardinalityKeyValue("piccolo.node");
        return node != null ? node.getValue() : null;
    }
}
