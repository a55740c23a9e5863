package dev.piccolo.ecosystem.jdbc;

import dev.piccolo.ecosystem.Applications;
import dev.piccolo.ecosystem.jdbc.JdbcApplication.ReplicaQueries;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(PostgresClusterExtension.class)
class SpringDataJdbcTests {

    private static ConfigurableApplicationContext start(PostgresCluster cluster) {
        return Applications.run(JdbcApplication.class, cluster, "spring.flyway.enabled=true");
    }

    @Test
    void writesOnThePrimaryAndAnnotatedRepositoryMethodsReadFromTheReplica(PostgresCluster cluster) throws Exception {
        try (ConfigurableApplicationContext context = start(cluster)) {
            PersonRepository people = context.getBean(PersonRepository.class);
            Person saved = people.save(new Person(null, "jdbc-" + System.nanoTime()));
            cluster.awaitReplication();

            assertThat(people.findByName(saved.name())).containsExactly(saved);
            assertThat(people.serverPort()).isEqualTo(cluster.primary().port());
            assertThat(people.replicaServerPort()).isEqualTo(cluster.replica(1).port());

            Applications.withReplayPaused(cluster, "read_replica_1", () -> {
                Person unreplicated = people.save(new Person(null, "paused-" + System.nanoTime()));
                assertThat(people.findByName(unreplicated.name())).isEmpty();
                assertThat(people.findById(unreplicated.id())).contains(unreplicated);
            });
        }
    }

    @Test
    void readOnlyRoutingSendsSpringDataDefaultReadMethodsToTheReplicaAndWritesToThePrimary(PostgresCluster cluster)
            throws Exception {
        try (ConfigurableApplicationContext context = Applications.run(JdbcApplication.class, cluster,
                "spring.flyway.enabled=true", "piccolo.db.read-only-transactions=read_replica_1")) {
            PersonRepository people = context.getBean(PersonRepository.class);

            Applications.withReplayPaused(cluster, "read_replica_1", () -> {
                Person unreplicated = people.save(new Person(null, "read-only-" + System.nanoTime()));

                assertThat(people.findById(unreplicated.id())).as("SimpleJdbcRepository's read-only default")
                        .isEmpty();
                assertThat(people.findAll()).doesNotContain(unreplicated);
            });
        }
    }

    @Test
    void typeLevelUseNodeOnARepositoryInterfaceCoversInheritedMethods(PostgresCluster cluster) {
        try (ConfigurableApplicationContext context = start(cluster)) {
            ReplicaPersonRepository replica = context.getBean(ReplicaPersonRepository.class);

            assertThat(replica.serverPort()).isEqualTo(cluster.replica(1).port());
            assertThatExceptionOfType(DataAccessException.class)
                    .isThrownBy(() -> replica.save(new Person(null, "not on a replica")))
                    .withStackTraceContaining("read-only transaction");
        }
    }

    @Test
    void methodInheritedFromAGenericBaseRunsOnTheSubclassNode(PostgresCluster cluster) {
        try (ConfigurableApplicationContext context = start(cluster)) {
            assertThat(context.getBean(ReplicaQueries.class).serverPort()).isEqualTo(cluster.replica(1).port());
        }
    }
}
