package dev.piccolo.ecosystem.adoption;

import dev.piccolo.ecosystem.NodePorts;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterInitializer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code @JdbcTest} on the real servers includes the engine, so {@code @UseNode} routes as in the application. */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ContextConfiguration(initializers = PostgresClusterInitializer.class)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class JdbcSliceTests {

    @Autowired
    private ApplicationContext context;

    @Autowired
    private NodePorts ports;

    @Test
    void useNodeRoutesInAJdbcTestSlice() {
        PostgresCluster cluster = PostgresCluster.shared();

        assertThat(context.getBeanNamesForType(PostgresEngine.class)).hasSize(1);
        assertThat(ports.primaryPort()).isEqualTo(cluster.primary().port());
        assertThat(ports.replicaPort()).isEqualTo(cluster.replica(1).port());
    }
}
