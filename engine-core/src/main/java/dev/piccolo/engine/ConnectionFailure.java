package dev.piccolo.engine;

import java.net.UnknownHostException;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * Why a node refused a connection, from the SQLSTATE, and which of its settings to check: a rejected
 * login is not an unreachable server, and a user fixes each in a different place.
 *
 * @param problem e.g. "Node 'x' (url) rejected the login: FATAL: password authentication failed ..."
 * @param remedy e.g. "Check config.user and config.password.", empty when nothing specific helps
 */
record ConnectionFailure(String problem, String remedy) {

    /**
     * Classifies a driver's error.
     *
     * @param node the node's name
     * @param url the node's URL, masked
     * @param ex the driver's error
     * @param names how to name the node's settings
     * @return the problem and its remedy
     */
    static ConnectionFailure of(String node, String url, SQLException ex, SettingNames names) {
        String state = sqlState(ex);
        String driver = driverMessage(ex);
        String prefix = "Node '" + node + "' (" + url + ") ";
        if ("28P01".equals(state) || "28000".equals(state)) {
            return new ConnectionFailure(prefix + "rejected the login: " + driver + ".", "Check "
                    + names.of(node, EngineSetting.CONFIG_USER) + " and "
                    + names.of(node, EngineSetting.CONFIG_PASSWORD) + ".");
        }
        if ("3D000".equals(state)) {
            return new ConnectionFailure(prefix + "has no such database: " + driver + ".", "Check "
                    + names.of(node, EngineSetting.CONFIG_DATABASE) + ", or create the database.");
        }
        if (hasCause(ex, UnknownHostException.class)) {
            return new ConnectionFailure(prefix + "is not reachable: " + driver + ".", "Check "
                    + names.of(node, EngineSetting.CONFIG_HOST) + ": the host name cannot be resolved.");
        }
        if (state != null && state.startsWith("08")) {
            return new ConnectionFailure(prefix + "is not reachable: " + driver + ".", "Check "
                    + names.of(node, EngineSetting.CONFIG_HOST) + " and " + names.of(node, EngineSetting.CONFIG_PORT)
                    + ", and that the server is running.");
        }
        if (state == null) {
            return new ConnectionFailure(prefix + "cannot give a connection: " + driver + ".", "");
        }
        return new ConnectionFailure(prefix + "refused a connection: " + driver + ".", "Check the node's "
                + names.of(node, EngineSetting.CONFIG) + " (host, port, database, user, password).");
    }

    /**
     * Returns the problem and its remedy as one message.
     *
     * @return the message
     */
    String message() {
        return remedy.isEmpty() ? problem : problem + " " + remedy;
    }

    private static @Nullable String sqlState(SQLException ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
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
