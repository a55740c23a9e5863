package dev.piccolo.engine;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

/**
 * Failures that mean the server session ended under the caller: the connection broke (SQLState class
 * {@code 08}) or the server ended it ({@code 57P01} to {@code 57P03}: an administrator's command, a crash,
 * a server not yet accepting connections).
 */
final class ServerGone {

    private ServerGone() {
    }

    static boolean is(SQLException failure) {
        String state = failure.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }

    /**
     * The failure as the caller sees it: naming the node whose server went away, SQLState and cause kept.
     * Batch failures keep their own type, which carries the counts of what ran.
     */
    static SQLException naming(EngineNode node, SQLException failure) {
        return naming(node, failure, "during the unit of work");
    }

    /**
     * A failed commit as the caller sees it: when the server went away, naming the node and saying that
     * the transaction may have committed or not (the server may have gone after writing its commit record).
     */
    static SQLException namingAtCommit(EngineNode node, SQLException failure) {
        return naming(node, failure, "while committing: whether the transaction committed is unknown");
    }

    private static SQLException naming(EngineNode node, SQLException failure, String when) {
        if (!is(failure) || failure instanceof BatchUpdateException) {
            return failure;
        }
        return new SQLException("Node '" + node.name() + "' (" + node.url() + ") went away " + when + ": "
                + failure.getMessage(), failure.getSQLState(), failure.getErrorCode(), failure);
    }
}
