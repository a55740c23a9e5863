package dev.piccolo.ecosystem.pgjdbc;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import dev.piccolo.ecosystem.CommittedRows;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PgJDBC's COPY API, reached through {@code unwrap(PGConnection.class)} on a connection of the application's
 * DataSource: rows copied in auto-commit mode are committed at once; rows copied inside a Spring transaction are
 * seen by that transaction only and are gone after its rollback. Rows are counted by a connection of the test's
 * own.
 */
@ExtendWith(PostgresClusterExtension.class)
class CopyManagerTests {

    private static final int ROWS = 1000;

    @Test
    void copyInAutoCommitModeCommitsEveryRowAtOnce(PostgresCluster cluster) throws Exception {
        try (ConfigurableApplicationContext context = PgJdbcApplication.start(cluster);
                Connection connection = context.getBean(DataSource.class).getConnection()) {
            assertThat(copyIn(connection, "auto-commit")).isEqualTo(ROWS);

            assertThat(CommittedRows.count(cluster, "copied_row", "label = 'auto-commit'"))
                    .as("committed while the connection is still open").isEqualTo(ROWS);
        }
    }

    @Test
    void copyInsideATransactionIsSeenOnlyByItAndRolledBackWithIt(PostgresCluster cluster) throws Exception {
        try (ConfigurableApplicationContext context = PgJdbcApplication.start(cluster)) {
            DataSource dataSource = context.getBean(DataSource.class);
            TransactionTemplate transaction = new TransactionTemplate(
                    context.getBean(PlatformTransactionManager.class));

            Long seenInside = transaction.execute(status -> {
                status.setRollbackOnly();
                Connection connection = DataSourceUtils.getConnection(dataSource);
                try {
                    copyIn(connection, "rolled-back");
                    assertThat(CommittedRows.count(cluster, "copied_row")).as("seen outside the transaction")
                            .isZero();
                    return count(connection);
                }
                catch (SQLException ex) {
                    throw new IllegalStateException("COPY inside the transaction failed", ex);
                }
                finally {
                    DataSourceUtils.releaseConnection(connection, dataSource);
                }
            });

            assertThat(seenInside).as("seen by the transaction itself").isEqualTo(ROWS);
            assertThat(CommittedRows.count(cluster, "copied_row")).isZero();
        }
    }

    private static long copyIn(Connection connection, String label) throws SQLException {
        StringBuilder rows = new StringBuilder();
        for (int n = 1; n <= ROWS; n++) {
            rows.append(n).append('\t').append(label).append('\n');
        }
        try {
            return connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY copied_row (n, label) FROM STDIN", new StringReader(rows.toString()));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Reading rows from memory failed", ex);
        }
    }

    private static long count(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM copied_row")) {
            result.next();
            return result.getLong(1);
        }
    }
}
