package dev.piccolo.ecosystem.jooq;

import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterInitializer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jooq.test.autoconfigure.JooqTest;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code @JooqTest} uses the configured database and includes the engine, so {@code @UseNode} routes. */
@JooqTest
@ContextConfiguration(initializers = PostgresClusterInitializer.class)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class JooqSliceTests {

    @Autowired
    private JooqApplication.Ports ports;

    @Test
    void useNodeRoutesInAJooqTestSlice() {
        PostgresCluster cluster = PostgresCluster.shared();

        assertThat(ports.primary()).isEqualTo(cluster.primary().port());
        assertThat(ports.replica()).isEqualTo(cluster.replica(1).port());
    }
}
