package dev.piccolo.ecosystem.mybatis;

import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import dev.piccolo.ecosystem.CommittedRows;
import dev.piccolo.ecosystem.mybatis.MyBatisExecutorApplication.EntryService;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.apache.ibatis.executor.BatchResult;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mybatis.spring.SqlSessionTemplate;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * MyBatis sessions that keep one logical connection across several transactions: a REUSE executor prepares each
 * statement text once per transaction, a BATCH executor sends each round as one JDBC batch, and every commit or
 * rollback ends exactly its own round, on the primary, while the application's other work reaches the replica in
 * between. Sessions of the application's Spring-managed REUSE {@link SqlSessionTemplate} commit and roll back with
 * the Spring transaction. Rows are counted by a connection of the test's own.
 */
@ExtendWith(PostgresClusterExtension.class)
class MyBatisExecutorTests {

    private static final int COMMITTED_ROUNDS = 3;

    private static final int ROLLED_BACK_ROUND = COMMITTED_ROUNDS + 1;

    private static final int ROUND_SIZE = 25;

    @Test
    void reuseSessionCommitsEachRoundOnThePrimaryAndItsRollbackUndoesOnlyTheLast(PostgresCluster cluster)
            throws Exception {
        try (ConfigurableApplicationContext context = MyBatisExecutorApplication.start(cluster)) {
            PortMapper applicationPorts = context.getBean(PortMapper.class);
            try (SqlSession session = mybatisManagedSessions(context).openSession(ExecutorType.REUSE, false)) {
                for (int round = 1; round <= COMMITTED_ROUNDS; round++) {
                    session.getMapper(EntryMapper.class).insertRound(round, ROUND_SIZE);
                    assertThat(session.getMapper(PortMapper.class).primary()).isEqualTo(cluster.primary().port());
                    session.commit();
                    // Between two transactions of the session, the application's other work goes where it asks.
                    assertThat(applicationPorts.replica()).isEqualTo(cluster.replica(1).port());
                }
                session.getMapper(EntryMapper.class).insertRound(ROLLED_BACK_ROUND, ROUND_SIZE);
                session.rollback();
            }
            assertOnlyCommittedRoundsPersisted(cluster);
        }
    }

    @Test
    void batchSessionFlushesEachRoundAsOneBatchAndItsRollbackUndoesOnlyTheLast(PostgresCluster cluster)
            throws Exception {
        try (ConfigurableApplicationContext context = MyBatisExecutorApplication.start(cluster)) {
            PortMapper applicationPorts = context.getBean(PortMapper.class);
            try (SqlSession session = mybatisManagedSessions(context).openSession(ExecutorType.BATCH, false)) {
                for (int round = 1; round <= COMMITTED_ROUNDS; round++) {
                    session.getMapper(EntryMapper.class).insertRound(round, ROUND_SIZE);
                    assertFlushedAsOneBatch(session.flushStatements());
                    session.commit();
                    assertThat(applicationPorts.replica()).isEqualTo(cluster.replica(1).port());
                }
                session.getMapper(EntryMapper.class).insertRound(ROLLED_BACK_ROUND, ROUND_SIZE);
                // Flushed first: a BATCH session's rollback discards batches it never sent.
                assertFlushedAsOneBatch(session.flushStatements());
                session.rollback();
            }
            assertOnlyCommittedRoundsPersisted(cluster);
        }
    }

    @Test
    void springManagedReuseSessionsCommitAndRollBackWithTheTransactionAndUseNodeReadsReachTheReplica(
            PostgresCluster cluster) throws Exception {
        try (ConfigurableApplicationContext context = MyBatisExecutorApplication.start(cluster,
                "mybatis.executor-type=REUSE")) {
            assertThat(context.getBean(SqlSessionTemplate.class).getExecutorType()).isEqualTo(ExecutorType.REUSE);
            EntryService entries = context.getBean(EntryService.class);

            for (int round = 1; round <= COMMITTED_ROUNDS; round++) {
                assertThat(entries.writeRound(round, ROUND_SIZE)).isEqualTo(cluster.primary().port());
            }
            assertThatIllegalStateException()
                    .isThrownBy(() -> entries.writeRoundThenFail(ROLLED_BACK_ROUND, ROUND_SIZE));

            assertThat(context.getBean(PortMapper.class).replica()).isEqualTo(cluster.replica(1).port());
            assertOnlyCommittedRoundsPersisted(cluster);
        }
    }

    /**
     * A session factory over the application's DataSource whose sessions manage their connection themselves
     * (MyBatis' {@code JdbcTransaction}: auto-commit off when the session opens, commit and rollback on the
     * connection), as MyBatis without mybatis-spring does. The application's own factory leaves that to Spring: its
     * sessions' commit and rollback do nothing outside a Spring transaction, their connection being in auto-commit.
     */
    private static SqlSessionFactory mybatisManagedSessions(ConfigurableApplicationContext context) {
        Configuration configuration = new Configuration(
                new Environment("mybatis-managed", new JdbcTransactionFactory(), context.getBean(DataSource.class)));
        configuration.addMapper(EntryMapper.class);
        configuration.addMapper(PortMapper.class);
        return new SqlSessionFactoryBuilder().build(configuration);
    }

    private static void assertFlushedAsOneBatch(List<BatchResult> flushed) {
        assertThat(flushed).hasSize(1);
        assertThat(flushed.get(0).getUpdateCounts()).hasSize(ROUND_SIZE).containsOnly(1);
    }

    private static void assertOnlyCommittedRoundsPersisted(PostgresCluster cluster) throws SQLException {
        assertThat(CommittedRows.count(cluster, "mybatis_entry", "round = " + ROLLED_BACK_ROUND)).isZero();
        assertThat(CommittedRows.count(cluster, "mybatis_entry")).isEqualTo(COMMITTED_ROUNDS * ROUND_SIZE);
    }
}
