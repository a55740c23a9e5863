package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import ch.qos.logback.classic.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(PostgresClusterExtension.class)
class PoolLifecycleTests {

    @Test
    void unpooledConnectionsAreOpenedPerRequestAndClosedAfterUse(PostgresCluster cluster) throws Exception {
        String application = PostgresCluster.newApplicationName();
        try (PostgresEngine engine = TestNodes.engine(cluster, application).build().start()) {
            TestNodes.awaitConnections(cluster, "primary", application, 0);
            try (Connection first = engine.getDataSource().getConnection();
                    Connection second = engine.getDataSource().getConnection()) {
                assertThat(ping(first)).isTrue();
                assertThat(ping(second)).isTrue();
                assertThat(TestNodes.connectionsOf(cluster, "primary", application)).isEqualTo(2);
            }
            TestNodes.awaitConnections(cluster, "primary", application, 0);
        }
    }

    @Test
    void oneCallOpensEveryNodesPoolAndOneCallClosesThemLeavingNoConnection(PostgresCluster cluster) {
        String application = PostgresCluster.newApplicationName();
        try (PostgresEngine engine = TestNodes.engine(cluster, application).build().start()) {
            engine.startConnectionPool(PoolOptions.builder().maxSize(3).minSize(2).build());

            assertThat(engine.isPoolRunning()).isTrue();
            assertThat(engine.nodes()).allSatisfy(node -> {
                assertThat(node.isPooled()).isTrue();
                assertThat(node.pool()).hasValueSatisfying(pool -> {
                    assertThat(pool.getMaximumPoolSize()).isEqualTo(3);
                    assertThat(pool.getPoolName()).isEqualTo("piccolo-" + node.name());
                });
            });
            TestNodes.awaitConnections(cluster, "primary", application, 2);
            TestNodes.awaitConnections(cluster, "read_replica_1", application, 2);
            assertThat(engine.node("read_replica_1").poolStatistics())
                    .hasValueSatisfying(stats -> assertThat(stats.total()).isEqualTo(2));

            engine.closeConnectionPool();

            assertThat(engine.nodes()).noneMatch(EngineNode::isPooled);
            TestNodes.awaitConnections(cluster, "primary", application, 0);
            TestNodes.awaitConnections(cluster, "read_replica_1", application, 0);
        }
    }

    @Test
    void startingTwiceWarnsAndClosingWhenNotRunningWarns(PostgresCluster cluster) {
        try (LogCapture logs = new LogCapture();
                PostgresEngine engine = TestNodes.engine(cluster, PostgresCluster.newApplicationName()).build().start()) {
            engine.closeConnectionPool();
            engine.startConnectionPool(PoolOptions.builder().maxSize(1).build());
            var pool = engine.node("primary").pool().orElseThrow();
            engine.startConnectionPool(PoolOptions.builder().maxSize(5).build());

            assertThat(engine.node("primary").pool()).containsSame(pool);
            assertThat(logs.messages(PostgresEngine.class.getName(), Level.WARN))
                    .containsExactly("No pool is running.", "A pool already exists - close it first");
        }
    }

    @Test
    void poolOpeningAndClosingIsLoggedOncePerNode(PostgresCluster cluster) {
        try (LogCapture logs = new LogCapture();
                PostgresEngine engine = TestNodes.engine(cluster, PostgresCluster.newApplicationName()).build().start()) {
            engine.startConnectionPool(PoolOptions.builder().maxSize(1).build());
            engine.closeConnectionPool();

            assertThat(logs.messages(EngineNode.class.getName(), Level.INFO)).hasSize(4)
                    .anyMatch(line -> line.startsWith("Pool of node 'primary' opened"))
                    .anyMatch(line -> line.startsWith("Pool of node 'read_replica_1' opened"))
                    .contains("Pool of node 'primary' closed", "Pool of node 'read_replica_1' closed");
        }
    }

    @Test
    void closingLetsABorrowedConnectionFinishWhileNewRequestsGoUnpooled(PostgresCluster cluster) throws Exception {
        String application = PostgresCluster.newApplicationName();
        try (PostgresEngine engine = TestNodes.engine(cluster, application).build().start()) {
            engine.startConnectionPool(PoolOptions.builder().maxSize(2).minSize(1)
                    .drainTimeout(Duration.ofSeconds(30)).build());
            Connection borrowed = engine.getDataSource().getConnection();
            assertThat(ping(borrowed)).as("takes its pooled connection").isTrue();

            CompletableFuture<Void> closing = CompletableFuture.runAsync(engine::closeConnectionPool);
            await().atMost(Duration.ofSeconds(10)).until(() -> !engine.node("primary").isPooled());

            assertThat(closing).isNotDone();
            try (Statement statement = borrowed.createStatement()) {
                assertThat(statement.execute("SELECT pg_sleep(0.01)")).isTrue();
            }
            assertThat(TestNodes.serverPort(engine.getDataSource())).isEqualTo(cluster.primary().port());
            borrowed.close();
            closing.get();

            TestNodes.awaitConnections(cluster, "primary", application, 0);
        }
    }

    @Test
    void engineIsUsableUnpooledAfterThePoolCloses(PostgresCluster cluster) throws Exception {
        String application = PostgresCluster.newApplicationName();
        try (PostgresEngine engine = TestNodes.engine(cluster, application).build().start()) {
            engine.startConnectionPool(PoolOptions.defaults());
            engine.closeConnectionPool();

            int port = engine.nodeContext().call("read_replica_1", () -> TestNodes.serverPort(engine.getDataSource()));

            assertThat(port).isEqualTo(cluster.replica(1).port());
            TestNodes.awaitConnections(cluster, "read_replica_1", application, 0);
        }
    }

    @Test
    void nodeWithPoolOptionsOfItsOwnUsesThem(PostgresCluster cluster) {
        String application = PostgresCluster.newApplicationName();
        NodeConfig replica = NodeConfig.builder().config(cluster.replica(1).config(application))
                .pool(PoolOptions.builder().maxSize(7).minSize(0).build()).build();
        try (PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder()
                .config(cluster.primary().config(application)).build())
                .extraNode("read_replica_1", replica)
                .poolCustomizer((node, config) -> config.setConnectionTimeout(1234))
                .build().start()) {
            engine.startConnectionPool(PoolOptions.builder().maxSize(2).build());

            assertThat(engine.node("read_replica_1").pool().orElseThrow().getMaximumPoolSize()).isEqualTo(7);
            assertThat(engine.node("primary").pool().orElseThrow().getMaximumPoolSize()).isEqualTo(2);
            assertThat(engine.node("primary").pool().orElseThrow().getConnectionTimeout()).isEqualTo(1234);
        }
    }

    /** Runs a statement, which takes a server connection (isValid does not). */
    private static boolean ping(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return statement.execute("SELECT 1");
        }
    }
}
