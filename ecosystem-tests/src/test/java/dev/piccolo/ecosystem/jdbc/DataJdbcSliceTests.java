package dev.piccolo.ecosystem.jdbc;

import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterInitializer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jdbc.test.autoconfigure.DataJdbcTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code @DataJdbcTest} on the real servers includes the engine: an annotated repository reads on the replica. */
@DataJdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ContextConfiguration(initializers = PostgresClusterInitializer.class)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class DataJdbcSliceTests {

    @Autowired
    private ReplicaPersonRepository people;

    @Test
    void annotatedRepositoryRunsOnTheReplicaInADataJdbcTest() {
        assertThat(people.serverPort()).isEqualTo(PostgresCluster.shared().replica(1).port());
    }
}
