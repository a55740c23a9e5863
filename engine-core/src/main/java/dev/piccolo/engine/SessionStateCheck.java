package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.jspecify.annotations.Nullable;

/**
 * Asks the server, in one round trip, whether a session holds state its caller may rely on beyond the
 * transaction: session advisory locks, {@code LISTEN} channels, SQL-level prepared statements, temporary
 * tables, cursors {@code WITH HOLD}, and built-in settings changed for the session. Run only before a
 * swap, on an idle session, so it finds what server functions did that no statement text shows (a lock
 * taken by a procedure, a temporary table made by a function). Custom variables ({@code app.tenant}) set
 * inside a function stay invisible: PostgreSQL lists no placeholder variables, so only the statement text
 * ({@link SessionStateSql}) can tell.
 *
 * <p>Settings the JDBC API itself changes are not counted: the logical connection records them and
 * applies them to whichever server connection serves.
 */
final class SessionStateCheck {

    private static final String QUERY = "SELECT concat_ws(', ', "
            + "CASE WHEN EXISTS (SELECT 1 FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory') "
            + "THEN 'an advisory lock' END, "
            + "CASE WHEN EXISTS (SELECT 1 FROM pg_listening_channels()) THEN 'LISTEN' END, "
            + "CASE WHEN EXISTS (SELECT 1 FROM pg_prepared_statements WHERE from_sql) "
            + "THEN 'a prepared statement (PREPARE)' END, "
            + "CASE WHEN EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = pg_my_temp_schema()) "
            + "THEN 'a temporary table' END, "
            + "CASE WHEN EXISTS (SELECT 1 FROM pg_cursors WHERE is_holdable) THEN 'a cursor WITH HOLD' END, "
            + "(SELECT 'SET ' || string_agg(name, ', ' ORDER BY name) FROM pg_settings WHERE source = 'session' "
            + "AND name NOT IN ('search_path', 'default_transaction_isolation', 'default_transaction_read_only', "
            + "'application_name')))";

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
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(QUERY)) {
            result.next();
            String state = result.getString(1);
            return state == null || state.isEmpty() ? null : state;
        }
    }
}
