package dev.piccolo.engine.autoconfigure;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.piccolo.engine.ConsistencyToken;
import dev.piccolo.engine.NodeContext;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.UseNode;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

import static org.assertj.core.api.Assertions.assertThat;

/** The bound node follows work to @Async methods, task executors, virtual threads and context snapshots. */
@ExtendWith(PostgresClusterExtension.class)
class ContextPropagationTests {

    private static ConfigurableApplicationContext start(PostgresCluster cluster, String... properties) {
        String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of("piccolo.db.context-propagation=true"),
                java.util.Arrays.stream(properties)).toArray(String[]::new);
        return ClusterApplications.start(new Class<?>[] { TestApplication.class, AsyncWork.class }, cluster,
                PostgresCluster.newApplicationName(), all);
    }

    @Test
    void asyncMethodRunsOnTheCallersNodeAndPooledThreadsKeepNothing(PostgresCluster cluster) throws Exception {
        try (ConfigurableApplicationContext context = start(cluster, "spring.task.execution.pool.core-size=1",
                "spring.task.execution.pool.max-size=1")) {
            Caller caller = context.getBean(Caller.class);

            assertThat(caller.asyncFromReplica().get()).isEqualTo(cluster.replica(1).port());
            assertThat(caller.asyncFromNowhere().get()).isEqualTo(cluster.primary().port());
            NodeContext nodes = context.getBean(NodeContext.class);
            assertThat(context.getBean("applicationTaskExecutor", AsyncTaskExecutor.class)
                    .submit(nodes::bound).get()).isEqualTo(Optional.empty());
        }
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void virtualThreadsCarryTheNode(PostgresCluster cluster) throws Exception {
        try (ConfigurableApplicationContext context = start(cluster, "spring.threads.virtual.enabled=true")) {
            assertThat(context.getBean(Caller.class).asyncFromReplica().get()).isEqualTo(cluster.replica(1).port());
        }
    }

    @Test
    void contextSnapshotsCarryTheNodeOnceRegistered(PostgresCluster cluster) throws Exception {
        try (ConfigurableApplicationContext context = start(cluster)) {
            var executor = ContextExecutorService.wrap(Executors.newSingleThreadExecutor(),
                    () -> ContextSnapshotFactory.builder().build().captureAll());
            try {
                NodeContext nodes = context.getBean(NodeContext.class);
                Optional<String> seen = nodes.call("read_replica_1", () -> executor.submit(nodes::bound).get());
                assertThat(seen).contains("read_replica_1");
                assertThat(executor.submit(nodes::bound).get()).isEmpty();
            }
            finally {
                executor.shutdownNow();
            }
        }
    }

    /** Item 7 of issue 24: an @Async read on the replica did not see the write its caller had just made. */
    @Test
    void anAsyncReadOnTheReplicaSeesTheWriteItsCallerJustMade(PostgresCluster cluster) throws Exception {
        try (Connection connection = cluster.connect("primary"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS async_writes (id int PRIMARY KEY)");
        }
        cluster.awaitReplication();
        try (ConfigurableApplicationContext context = start(cluster, "piccolo.db.read-your-writes.enabled=true",
                "piccolo.db.read-your-writes.max-wait=50ms")) {
            Caller caller = context.getBean(Caller.class);
            PostgresEngine engine = context.getBean(PostgresEngine.class);
            try (Connection replica = cluster.connect("read_replica_1"); Statement statement = replica.createStatement()) {
                statement.execute("SELECT pg_wal_replay_pause()");
                try {
                    assertThat(caller.writeThenCountOnTheReplica(engine, ASYNC_IDS.incrementAndGet()).get())
                            .as("rows the @Async read found").isOne();
                    var executor = ContextExecutorService.wrap(Executors.newSingleThreadExecutor(),
                            () -> ContextSnapshotFactory.builder().build().captureAll());
                    try {
                        ConsistencyToken written = engine.readYourWrites().lastWrite();
                        assertThat(written).isNotNull();
                        assertThat(executor.submit(() -> engine.readYourWrites().lastWrite()).get())
                                .as("a context snapshot carries the causal session").isEqualTo(written);
                    }
                    finally {
                        executor.shutdownNow();
                    }
                }
                finally {
                    statement.execute("SELECT pg_wal_replay_resume()");
                }
            }
        }
    }

    private static final AtomicInteger ASYNC_IDS = new AtomicInteger();

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class AsyncWork {

        @Bean
        Worker worker(JdbcTemplate jdbc) {
            return new Worker(jdbc);
        }

        @Bean
        Caller caller(Worker worker, JdbcTemplate jdbc) {
            return new Caller(worker, jdbc);
        }
    }

    static class Worker {

        private final JdbcTemplate jdbc;

        Worker(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Async
        public CompletableFuture<Integer> rows(int id) {
            return CompletableFuture.completedFuture(jdbc.queryForObject(
                    "SELECT count(*)::int FROM async_writes WHERE id = ?", Integer.class, id));
        }

        @Async
        public CompletableFuture<Integer> port() {
            return CompletableFuture.completedFuture(jdbc.queryForObject("SELECT inet_server_port()", Integer.class));
        }
    }

    static class Caller {

        private final Worker worker;

        private final JdbcTemplate jdbc;

        Caller(Worker worker, JdbcTemplate jdbc) {
            this.worker = worker;
            this.jdbc = jdbc;
        }

        /** Writes on the primary, then hands a read of the row to an @Async method bound to the replica. */
        public CompletableFuture<Integer> writeThenCountOnTheReplica(PostgresEngine engine, int id) throws Exception {
            jdbc.update("INSERT INTO async_writes VALUES (?)", id);
            return engine.nodeContext().call("read_replica_1", () -> worker.rows(id));
        }

        @UseNode("read_replica_1")
        public CompletableFuture<Integer> asyncFromReplica() {
            return worker.port();
        }

        public CompletableFuture<Integer> asyncFromNowhere() {
            return worker.port();
        }
    }
}
