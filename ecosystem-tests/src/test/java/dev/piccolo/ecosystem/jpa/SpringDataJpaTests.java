package dev.piccolo.ecosystem.jpa;

import dev.piccolo.ecosystem.Applications;
import dev.piccolo.ecosystem.jpa.JpaApplication.BookService;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresClusterExtension.class)
class SpringDataJpaTests {

    @Test
    void hibernateStartsBeforeThePoolOpensAndRoutesByRepositoryAndService(PostgresCluster cluster) throws Exception {
        try (ConfigurableApplicationContext context = Applications.run(JpaApplication.class, cluster,
                "spring.flyway.enabled=true")) {
            assertThat(context.getBean(PostgresEngine.class).isPoolRunning()).isTrue();
            BookRepository books = context.getBean(BookRepository.class);
            ReplicaBookRepository replicaBooks = context.getBean(ReplicaBookRepository.class);
            BookService service = context.getBean(BookService.class);

            assertThat(books.serverPort()).isEqualTo(cluster.primary().port());
            assertThat(replicaBooks.serverPort()).isEqualTo(cluster.replica(1).port());
            assertThat(service.replicaPortInTransaction()).isEqualTo(cluster.replica(1).port());

            Applications.withReplayPaused(cluster, "read_replica_1", () -> {
                Long id = books.save(new Book("unreplicated")).getId();
                assertThat(books.findById(id)).isPresent();
                assertThat(replicaBooks.findById(id)).as("inherited findById, type-level @UseNode").isEmpty();
                assertThat(service.findOnReplica(id)).as("@UseNode + @Transactional(readOnly = true)").isEmpty();
            });
        }
    }

    @Test
    void readOnlyRoutingSendsSpringDataDefaultReadMethodsToTheReplicaAndWritesToThePrimary(PostgresCluster cluster)
            throws Exception {
        try (ConfigurableApplicationContext context = Applications.run(JpaApplication.class, cluster,
                "spring.flyway.enabled=true", "piccolo.db.read-only-transactions=read_replica_1")) {
            BookRepository books = context.getBean(BookRepository.class);

            Applications.withReplayPaused(cluster, "read_replica_1", () -> {
                Long id = books.save(new Book("read-only routed")).getId();

                assertThat(books.findById(id)).as("SimpleJpaRepository's read-only default").isEmpty();
                assertThat(books.count()).isEqualTo(books.findAll().size());
            });
            assertThat(books.serverPort()).as("a declared query without a transaction").isEqualTo(
                    cluster.primary().port());
        }
    }
}
