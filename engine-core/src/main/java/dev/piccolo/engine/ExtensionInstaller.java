package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a node's extensions at start-up with {@code CREATE EXTENSION IF NOT EXISTS}, the name quoted
 * as an identifier so that no name can inject SQL.
 *
 * <p>A node in recovery (a replica) or configured read-only is skipped with an info line. Missing
 * privileges (SQLSTATE 42501) give a warning with the statement to run by hand. Any other failure
 * fails start-up with an {@link ExtensionException}, or warns under {@link ExtensionFailurePolicy#WARN}.
 */
final class ExtensionInstaller {

    private static final Logger logger = LoggerFactory.getLogger(ExtensionInstaller.class);

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private final ExtensionFailurePolicy failurePolicy;

    ExtensionInstaller(ExtensionFailurePolicy failurePolicy) {
        this.failurePolicy = failurePolicy;
    }

    void install(EngineNode node, List<String> extensions) throws SQLException {
        if (extensions.isEmpty()) {
            return;
        }
        try (Connection connection = node.dataSource().getConnection()) {
            if (node.isReadOnly() || isReadOnlyServer(connection)) {
                logger.info("Node '{}' is read-only or in recovery: extensions {} are not created there", node.name(),
                        extensions);
                return;
            }
            for (String extension : extensions) {
                create(node, connection, extension);
            }
        }
    }

    private void create(EngineNode node, Connection connection, String extension) {
        String sql = createStatement(extension);
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            if (INSUFFICIENT_PRIVILEGE.equals(ex.getSQLState())) {
                logger.warn("Node '{}': the user may not create extension \"{}\". Ask a superuser to run: {}",
                        node.name(), extension, sql);
            }
            else if (failurePolicy == ExtensionFailurePolicy.WARN) {
                logger.warn("Node '{}': cannot create extension \"{}\": {}", node.name(), extension, ex.getMessage());
            }
            else {
                throw new ExtensionException(node.name(), extension, ex);
            }
        }
    }

    /**
     * Returns the statement that creates an extension, its name quoted as an identifier.
     *
     * @param extension the extension's name, as given
     * @return {@code CREATE EXTENSION IF NOT EXISTS "name"}, with any quote in the name doubled
     */
    static String createStatement(String extension) {
        return "CREATE EXTENSION IF NOT EXISTS \"" + extension.replace("\"", "\"\"") + "\"";
    }

    private static boolean isReadOnlyServer(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on'")) {
            result.next();
            return result.getBoolean(1);
        }
    }
}
