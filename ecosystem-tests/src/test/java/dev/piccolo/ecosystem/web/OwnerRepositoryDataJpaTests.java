package dev.piccolo.ecosystem.web;

import dev.piccolo.ecosystem.Applications;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterInitializer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @DataJpaTest} of a repository whose {@code findById} carries {@code @UseNode}: the slice includes
 * the engine (nothing imported by hand) once the test keeps its real database
 * ({@code @AutoConfigureTestDatabase(replace = NONE)}); inside the test-managed transaction the read joins
 * it on the primary (and sees the test's own writes); outside it the read runs on the replica.
 */
// tag::data-jpa-test[]
@DataJpaTest(properties = "spring.flyway.enabled=true")
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ContextConfiguration(initializers = PostgresClusterInitializer.class)
class OwnerRepositoryDataJpaTests {

    @Autowired
    private OwnerRepository owners;

    @Test
    void annotatedReadInsideTheTestTransactionJoinsItAndSeesItsWrites() {
        Long id = owners.saveAndFlush(new Owner("written in the test transaction")).getId();

        assertThat(owners.findById(id)).map(Owner::getName).hasValue("written in the test transaction");
    }

    @Test
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    void annotatedReadOutsideATransactionRunsOnTheReplica() throws Exception {
        PostgresCluster cluster = PostgresCluster.shared();
        Applications.withReplayPaused(cluster, "read_replica_1", () -> {
            Long id = owners.save(new Owner("not replayed yet")).getId();

            assertThat(owners.findById(id)).isEmpty();
            assertThat(owners.existsById(id)).as("unannotated, on the primary").isTrue();
        });
    }
}
// end::data-jpa-test[]
