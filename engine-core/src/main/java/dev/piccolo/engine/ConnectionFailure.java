package dev.piccolo.engine;

import java.sql.SQLException;

/**
 * Says why a node refused a connection, from the SQLSTATE, and which of its settings to check: a
 * rejected login is not an unreachable server, and a user fixes each in a different place.
 */
final class ConnectionFailure {

    private ConnectionFailure() {
    }

    /**
     * Describes the failure.
     *
     * @param node the node's name
     * @param url the node's URL, masked
     * @param ex the driver's error
     * @param names how to name the node's settings
     * @return e.g. "Node 'x' (url) rejected the login: FATAL: password authentication failed ... Check ..."
     */
    static String describe(String node, String url, SQLException ex, SettingNames names) {
        String state = sqlState(ex);
        String driver = driverMessage(ex);
        String prefix = "Node '" + node + "' (" + url + ") ";
        if ("28P01".equals(state) || "28000".equals(state)) {
            return prefix + "rejected the login: " + driver + ". Check " + names.of(node, "config.user") + " and "
                    + names.of(node, "config.password") + ".";
        }
        if ("3D000".equals(state)) {
            return prefix + "has no such database: " + driver + ". Check " + names.of(node, "config.database") + ".";
        }
        if (state != null && state.startsWith("08")) {
            return prefix + "is not reachable: " + driver + ". Check " + names.of(node, "config.host") + " and "
                    + names.of(node, "config.port") + ", and that the server is running.";
        }
        if (state == null) {
            return prefix + "cannot give a connection: " + driver;
        }
        return prefix + "refused a connection: " + driver + ". Check the node's " + names.of(node, "config")
                + " (host, port, database, user, password).";
    }

    private static String sqlState(SQLException ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /** The driver's own words, without a prefix the engine added and without a final period. */
    private static String driverMessage(SQLException ex) {
        Throwable innermost = ex;
        while (innermost.getCause() instanceof SQLException cause) {
            innermost = cause;
        }
        String message = String.valueOf(innermost.getMessage());
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }
}
