package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.jspecify.annotations.Nullable;

/**
 * Asks the server, in one round trip, whether a session holds state its caller may rely on beyond the
 * transaction: session advisory locks, {@code LISTEN} channels, temporary tables and cursors
 * {@code WITH HOLD}; and drops that state from a pinned session before it goes back to the pool. The check
 * runs only before a swap, on an idle session, so it finds what server functions did that no statement
 * text shows (a lock taken by a procedure, a temporary table made by a function).
 *
 * <p>Settings are not asked for: a pool's {@code connection-init-sql} makes session settings of its own
 * that no query can tell from the caller's, and PostgreSQL lists no custom variables ({@code app.tenant})
 * at all. {@code SET}, {@code set_config(..., false)} and SQL {@code PREPARE} are recognised in the
 * statement text ({@link SessionStateSql}) and stay in the session after it closes, as in any pool.
 */
final class SessionStateCheck {

    private static final String QUERY = "SELECT concat_ws(', ', "
            + "CASE WHEN EXISTS (SELECT 1 FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory') "
            + "THEN 'an advisory lock' END, "
            + "CASE WHEN EXISTS (SELECT 1 FROM pg_listening_channels()) THEN 'LISTEN' END, "
            + "CASE WHEN EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = pg_my_temp_schema()) "
            + "THEN 'a temporary table' END, "
            + "CASE WHEN EXISTS (SELECT 1 FROM pg_cursors WHERE is_holdable) THEN 'a cursor WITH HOLD' END)";

    /** Drops what {@link #QUERY} looks for, so that a released session carries none of it to its next borrower. */
    private static final String CLEAN_UP = "SELECT pg_advisory_unlock_all(); UNLISTEN *; CLOSE ALL; DISCARD TEMP";

    private SessionStateCheck() {
    }

    /**
     * Returns what the session on {@code connection} holds, or {@code null} when nothing.
     *
     * @param connection an idle connection in auto-commit mode, so the check opens no transaction
     * @return a description such as {@code "an advisory lock, SET app.tenant"}
     * @throws SQLException when the server does not answer
     */
    static @Nullable String stateOf(Connection connection) throws SQLException {
        // Prepared: after a few swaps the driver keeps it on the server, and the server keeps its plan.
        try (PreparedStatement statement = connection.prepareStatement(QUERY);
                ResultSet result = statement.executeQuery()) {
            result.next();
            String state = result.getString(1);
            return state == null || state.isEmpty() ? null : state;
        }
    }

    /**
     * Releases the session's advisory locks, stops its {@code LISTEN}s, closes its cursors and drops its
     * temporary tables, in one round trip.
     *
     * @param connection an idle connection in auto-commit mode
     * @throws SQLException when the server does not answer
     */
    static void cleanUp(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(CLEAN_UP);
        }
    }
}
