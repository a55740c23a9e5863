package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Before its pool opens a node opens a connection per request, as Piccolo does, but never more than the
 * pool's max-size at once and with the pool's session settings; and a request racing the pool's close
 * gets a connection, not the closing pool's error.
 */
@ExtendWith(PostgresClusterExtension.class)
class UnpooledPhaseTests {

    @Test
    void atMostMaxSizeConnectionsAreOpenAndTheNextWaitsUpToTheConnectionTimeout(PostgresCluster cluster)
            throws Exception {
        String application = PostgresCluster.newApplicationName();
        PoolOptions pool = PoolOptions.builder().maxSize(2).hikari(config -> config.setConnectionTimeout(300)).build();
        try (PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder()
                .config(cluster.primary().config(application)).extensions().pool(pool).build()).build();
                Connection first = physical(engine);
                Connection second = physical(engine)) {
            assertThat(cluster.connectionCount(PostgresEngine.PRIMARY, application)).isEqualTo(2);

            assertThatExceptionOfType(SQLTransientConnectionException.class).isThrownBy(() -> physical(engine))
                    .withMessageContaining("Node 'primary'")
                    .withMessageContaining("max-size")
                    .withMessageContaining("connection-timeout of 300 ms");

            second.close();
            try (Connection third = physical(engine)) {
                assertThat(third.isValid(1)).isTrue();
            }
        }
        cluster.awaitConnectionCount(PostgresEngine.PRIMARY, application, 0);
    }

    @Test
    void unpooledConnectionsGetThePoolsSessionSettings(PostgresCluster cluster) throws Exception {
        PoolOptions pool = PoolOptions.builder().hikari(config -> {
            config.setAutoCommit(false);
            config.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
            config.setConnectionInitSql("SET statement_timeout = '7s'");
        }).build();
        try (PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder()
                .config(cluster.primary().config(PostgresCluster.newApplicationName())).extensions().pool(pool)
                .build()).build();
                Connection connection = physical(engine)) {
            assertThat(connection.getAutoCommit()).isFalse();
            assertThat(connection.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_REPEATABLE_READ);
            try (var statement = connection.createStatement();
                    var result = statement.executeQuery("SHOW statement_timeout")) {
                result.next();
                assertThat(result.getString(1)).isEqualTo("7s");
            }
            connection.rollback();
        }
    }

    @Test
    void requestsRacingThePoolsCloseGetConnections(PostgresCluster cluster) throws Exception {
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try (PostgresEngine engine = TestNodes.engine(cluster, PostgresCluster.newApplicationName()).build()) {
            ExecutorService requests = Executors.newFixedThreadPool(4);
            try {
                for (int round = 0; round < 10; round++) {
                    // A request already waiting inside the closing pool leaves it when its connection-timeout ends.
                    engine.startConnectionPool(PoolOptions.builder().maxSize(4).minSize(0)
                            .hikari(config -> config.setConnectionTimeout(1000)).build());
                    List<Future<?>> running = new ArrayList<>();
                    for (int request = 0; request < 4; request++) {
                        running.add(requests.submit(() -> {
                            for (int i = 0; i < 10; i++) {
                                try (Connection connection = engine.node(PostgresEngine.PRIMARY).dataSource()
                                        .getConnection()) {
                                    connection.isValid(1);
                                }
                                catch (SQLException ex) {
                                    failures.add(ex);
                                }
                            }
                        }));
                    }
                    engine.closeConnectionPool();
                    for (Future<?> request : running) {
                        request.get(30, TimeUnit.SECONDS);
                    }
                }
            }
            finally {
                requests.shutdownNow();
            }
        }
        assertThat(failures).isEmpty();
    }

    /** A connection holding its server connection: the routing DataSource connects at first use. */
    private static Connection physical(PostgresEngine engine) throws SQLException {
        return engine.node(PostgresEngine.PRIMARY).dataSource().getConnection();
    }
}
