package dev.piccolo.engine;

import java.sql.SQLException;

import dev.piccolo.engine.spring.UseNodeAdvisor;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionManager;
import org.springframework.transaction.annotation.AnnotationTransactionAttributeSource;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.TransactionInterceptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@ExtendWith(PostgresClusterExtension.class)
class UseNodeInterceptorTests {

    private static PostgresCluster cluster;

    private static PostgresEngine engine;

    @BeforeAll
    static void startEngine(PostgresCluster shared) {
        cluster = shared;
        engine = TestNodes.engine(cluster, PostgresCluster.newApplicationName()).build().start();
        engine.startConnectionPool(PoolOptions.builder().maxSize(2).build());
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    @Test
    void methodAnnotationRoutesToItsNodeAndRestoresNothingBoundAfterwards() {
        Reads reads = proxy(new Reads());

        assertThat(reads.replicaPort()).isEqualTo(cluster.replica(1).port());
        assertThat(reads.defaultPort()).isEqualTo(cluster.primary().port());
        assertThat(engine.nodeContext().bound()).isEmpty();
    }

    @Test
    void methodAnnotationWinsOverTypeAnnotation() {
        ReplicaByDefault service = proxy(new ReplicaByDefault());

        assertThat(service.typeLevelPort()).isEqualTo(cluster.replica(1).port());
        assertThat(service.methodLevelPort()).isEqualTo(cluster.primary().port());
    }

    @Test
    void nestedCallsRestoreTheOuterNodeAlsoWhenTheInnerOneThrows() {
        Reads reads = proxy(new Reads());
        Outer outer = proxy(new Outer(reads));

        assertThat(outer.replicaThenPrimaryThenReplica()).containsExactly(cluster.replica(1).port(),
                cluster.primary().port(), cluster.replica(1).port());
        assertThat(outer.survivesFailingInnerCall()).isEqualTo(cluster.replica(1).port());
        assertThat(engine.nodeContext().bound()).isEmpty();
    }

    @Test
    void transactionStartedInsideTheNodeAdviceRunsOnThatNode() {
        Reads reads = transactionalProxy(new Reads());

        assertThat(reads.transactionalReplicaPort()).isEqualTo(cluster.replica(1).port());
    }

    @Test
    void enteringAnotherNodeInsideATransactionJoinsItOnItsNodeByDefault() {
        Reads reads = proxy(new Reads());
        Outer outer = transactionalProxy(new Outer(reads));

        assertThat(outer.primaryTransactionCallingReplica()).isEqualTo(cluster.primary().port());
    }

    @Test
    void requiresNewInsideATransactionRunsOnTheRequestedNodeInBothDirections() {
        Reads reads = transactionalProxy(new Reads());
        Outer outer = transactionalProxy(new Outer(reads));

        assertThat(outer.primaryTransactionCallingReplicaInNewTransaction())
                .containsExactly(cluster.primary().port(), cluster.replica(1).port(), cluster.primary().port());
        assertThat(outer.replicaTransactionCallingPrimaryInNewTransaction())
                .containsExactly(cluster.replica(1).port(), cluster.primary().port(), cluster.replica(1).port());
    }

    @Test
    void unknownNodeInAnnotationThrowsUnknownNodeException() {
        assertThatExceptionOfType(UnknownNodeException.class).isThrownBy(() -> proxy(new Misconfigured()).call())
                .withMessageContaining("'read_replica_7'");
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(T target) {
        ProxyFactory factory = new ProxyFactory(target);
        factory.setProxyTargetClass(true);
        factory.addAdvisor(UseNodeAdvisor.forEngine(engine));
        return (T) factory.getProxy();
    }

    /** Node advice first, then transaction advice: the order the starter guarantees. */
    @SuppressWarnings("unchecked")
    private static <T> T transactionalProxy(T target) {
        ProxyFactory factory = new ProxyFactory(target);
        factory.setProxyTargetClass(true);
        factory.addAdvisor(UseNodeAdvisor.forEngine(engine));
        TransactionManager transactionManager = new DataSourceTransactionManager(engine.getDataSource());
        factory.addAdvice(new TransactionInterceptor(transactionManager, new AnnotationTransactionAttributeSource()));
        return (T) factory.getProxy();
    }

    private static int port() {
        return new JdbcTemplate(engine.getDataSource()).queryForObject("SELECT inet_server_port()", Integer.class);
    }

    static class Reads {

        @UseNode("read_replica_1")
        public int replicaPort() {
            return port();
        }

        @UseNode("primary")
        public int primaryPort() {
            return port();
        }

        public int defaultPort() {
            return port();
        }

        @UseNode("read_replica_1")
        @Transactional(readOnly = true)
        public int transactionalReplicaPort() {
            return port();
        }

        @UseNode("read_replica_1")
        @Transactional(propagation = Propagation.REQUIRES_NEW, readOnly = true)
        public int replicaPortInNewTransaction() {
            return port();
        }

        @UseNode("primary")
        @Transactional(propagation = Propagation.REQUIRES_NEW)
        public int primaryPortInNewTransaction() {
            return port();
        }

        @UseNode("primary")
        public int failOnPrimary() {
            throw new IllegalStateException("on purpose");
        }
    }

    @UseNode("read_replica_1")
    static class ReplicaByDefault {

        public int typeLevelPort() {
            return port();
        }

        @UseNode("primary")
        public int methodLevelPort() {
            return port();
        }
    }

    static class Outer {

        private final Reads reads;

        Outer(Reads reads) {
            this.reads = reads;
        }

        Outer() {
            this(null);
        }

        @UseNode("read_replica_1")
        public int[] replicaThenPrimaryThenReplica() {
            return new int[] { port(), reads.primaryPort(), port() };
        }

        @UseNode("read_replica_1")
        public int survivesFailingInnerCall() {
            assertThatIllegalStateException().isThrownBy(reads::failOnPrimary);
            return port();
        }

        @Transactional
        public int primaryTransactionCallingReplica() {
            port();
            return reads.replicaPort();
        }

        @Transactional
        public int[] primaryTransactionCallingReplicaInNewTransaction() {
            return new int[] { port(), reads.replicaPortInNewTransaction(), port() };
        }

        @UseNode("read_replica_1")
        @Transactional(readOnly = true)
        public int[] replicaTransactionCallingPrimaryInNewTransaction() {
            return new int[] { port(), reads.primaryPortInNewTransaction(), port() };
        }
    }

    static class Misconfigured {

        @UseNode("read_replica_7")
        public void call() {
        }
    }

    @Test
    void portHelperSeesTheServerThatAnswered() throws SQLException {
        assertThat(port()).isEqualTo(TestNodes.serverPort(engine.node("primary").dataSource()));
    }
}
