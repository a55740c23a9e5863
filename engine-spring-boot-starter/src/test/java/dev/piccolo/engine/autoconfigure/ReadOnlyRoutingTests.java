package dev.piccolo.engine.autoconfigure;

import java.util.List;

import dev.piccolo.engine.UseNode;
import dev.piccolo.engine.test.OwnCluster;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code read-only-transactions: replicas} with a group of two replicas, on a cluster of this class's own. */
@ExtendWith(PostgresClusterExtension.class)
class ReadOnlyRoutingTests {

    private static PostgresCluster cluster;

    @BeforeAll
    static void cluster(@OwnCluster(replicas = 2) PostgresCluster own) {
        cluster = own;
    }

    private static ConfigurableApplicationContext start(String application) {
        return ClusterApplications.start(new Class<?>[] { TestApplication.class, Reads.class }, cluster,
                application, "piccolo.db.node-groups.replicas=read_replica_1,read_replica_2",
                "piccolo.db.read-only-transactions=replicas", "piccolo.db.pool.auto-start=false");
    }

    @Test
    void readOnlyTransactionsGoToTheGroupAndNothingTouchesThePrimaryFirst() {
        String application = PostgresCluster.newApplicationName();
        try (ConfigurableApplicationContext context = start(application)) {
            ReadService reads = context.getBean(ReadService.class);
            List<Integer> replicas = List.of(cluster.replica(1).port(), cluster.replica(2).port());

            ReadService.Seen first = reads.readOnly(cluster, application);
            ReadService.Seen second = reads.readOnly(cluster, application);

            assertThat(List.of(first.port(), second.port())).containsExactlyInAnyOrderElementsOf(replicas);
            assertThat(first.primaryConnections()).isZero();
            assertThat(second.primaryConnections()).isZero();
        }
    }

    @Test
    void writesExplicitNodesAndJoinedTransactionsStayWhereTheyAre() {
        try (ConfigurableApplicationContext context = start(PostgresCluster.newApplicationName())) {
            ReadService reads = context.getBean(ReadService.class);
            int primary = cluster.primary().port();

            assertThat(reads.readWrite()).isEqualTo(primary);
            assertThat(reads.readOnlyOnExplicitPrimary()).isEqualTo(primary);
            assertThat(reads.noTransaction()).isEqualTo(primary);
            assertThat(context.getBean(Writer.class).writeThenReadOnly()).containsExactly(primary, primary);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Reads {

        @Bean
        ReadService readService(JdbcTemplate jdbc) {
            return new ReadService(jdbc);
        }

        @Bean
        Writer writer(JdbcTemplate jdbc, ReadService reads) {
            return new Writer(jdbc, reads);
        }
    }

    static class ReadService {

        private final JdbcTemplate jdbc;

        ReadService(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        /** What the server answered, and how many connections of the application the primary had meanwhile. */
        record Seen(int port, int primaryConnections) {
        }

        @Transactional(readOnly = true)
        public Seen readOnly(PostgresCluster cluster, String application) {
            int port = port();
            return new Seen(port, cluster.connectionCount("primary", application));
        }

        @Transactional
        public int readWrite() {
            return port();
        }

        @UseNode("primary")
        @Transactional(readOnly = true)
        public int readOnlyOnExplicitPrimary() {
            return port();
        }

        public int noTransaction() {
            return port();
        }

        @Transactional(readOnly = true)
        public int joinedReadOnly() {
            return port();
        }

        int port() {
            return jdbc.queryForObject("SELECT inet_server_port()", Integer.class);
        }
    }

    static class Writer {

        private final JdbcTemplate jdbc;

        private final ReadService reads;

        Writer(JdbcTemplate jdbc, ReadService reads) {
            this.jdbc = jdbc;
            this.reads = reads;
        }

        @Transactional
        public int[] writeThenReadOnly() {
            int own = jdbc.queryForObject("SELECT inet_server_port()", Integer.class);
            return new int[] { own, reads.joinedReadOnly() };
        }
    }
}
