package dev.piccolo.engine.autoconfigure;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

import dev.piccolo.engine.NodeContext;
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

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class AsyncWork {

        @Bean
        Worker worker(JdbcTemplate jdbc) {
            return new Worker(jdbc);
        }

        @Bean
        Caller caller(Worker worker) {
            return new Caller(worker);
        }
    }

    static class Worker {

        private final JdbcTemplate jdbc;

        Worker(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Async
        public CompletableFuture<Integer> port() {
            return CompletableFuture.completedFuture(jdbc.queryForObject("SELECT inet_server_port()", Integer.class));
        }
    }

    static class Caller {

        private final Worker worker;

        Caller(Worker worker) {
            this.worker = worker;
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
