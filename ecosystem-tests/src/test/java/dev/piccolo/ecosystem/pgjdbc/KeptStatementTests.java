package dev.piccolo.ecosystem.pgjdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import dev.piccolo.ecosystem.CommittedRows;
import dev.piccolo.ecosystem.NodePorts;
import dev.piccolo.engine.NodeContext;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A prepared statement kept open across the transactions of its connection keeps working. After five executions
 * PgJDBC runs it as a named server-side statement (its {@code prepareThreshold}) that only that server session
 * knows, so the logical connection must keep the session: across commits, across a rollback, and while
 * read_replica_1 is bound, when the statement joins its session on the primary
 * ({@code node-switch-in-transaction: join}, the default) instead of moving to a replica that cannot run it.
 * Rows are counted by a connection of the test's own.
 */
@ExtendWith(PostgresClusterExtension.class)
class KeptStatementTests {

    private static final int COMMITTED_ROUNDS = 3;

    private static final int ROLLED_BACK_ROUND = COMMITTED_ROUNDS + 1;

    private static final int LAST_ROUND = ROLLED_BACK_ROUND + 1;

    /** More executions than PgJDBC's default prepareThreshold (5), so that the statement is named on the server. */
    private static final int ROUND_SIZE = 10;

    @Test
    void statementKeptAcrossCommitsKeepsWritingOnThePrimaryAndARollbackUndoesOnlyItsRound(PostgresCluster cluster)
            throws Exception {
        try (ConfigurableApplicationContext context = PgJdbcApplication.start(cluster);
                Connection connection = context.getBean(DataSource.class).getConnection()) {
            NodePorts ports = context.getBean(NodePorts.class);
            NodeContext nodes = context.getBean(NodeContext.class);
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO kept_row (round, item) VALUES (?, ?)")) {
                for (int round = 1; round <= COMMITTED_ROUNDS; round++) {
                    insertRound(insert, round);
                    connection.commit();
                    assertThat(ports.replicaPort()).as("other work between two transactions")
                            .isEqualTo(cluster.replica(1).port());
                }
                assertThat(nodes.call("read_replica_1", () -> insertRound(insert, ROLLED_BACK_ROUND)))
                        .as("rows inserted while read_replica_1 is bound").isEqualTo(ROUND_SIZE);
                connection.rollback();
                insertRound(insert, LAST_ROUND);
                connection.commit();
            }

            for (int round = 1; round <= LAST_ROUND; round++) {
                assertThat(CommittedRows.count(cluster, "kept_row", "round = " + round)).as("rows of round %d", round)
                        .isEqualTo(round == ROLLED_BACK_ROUND ? 0 : ROUND_SIZE);
            }
        }
    }

    /** Inserts items 1 to {@link #ROUND_SIZE} of {@code round}; returns how many rows the server inserted. */
    private static int insertRound(PreparedStatement insert, int round) throws SQLException {
        int inserted = 0;
        for (int item = 1; item <= ROUND_SIZE; item++) {
            insert.setInt(1, round);
            insert.setInt(2, item);
            inserted += insert.executeUpdate();
        }
        return inserted;
    }
}
