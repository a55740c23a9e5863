package dev.piccolo.engine;

/**
 * Thrown at start-up when a node that must be reachable (the main node, or an extra node with
 * {@code failFast}) does not accept a connection. The message names the node and its server, never
 * the password.
 */
public class NodeUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String node;

    /**
     * Creates the exception.
     *
     * @param node the node
     * @param message what failed and what to check
     * @param cause the driver's error
     */
    public NodeUnavailableException(String node, String message, Throwable cause) {
        super(message, cause);
        this.node = node;
    }

    /**
     * Returns the node.
     *
     * @return the node name
     */
    public String getNode() {
        return node;
    }

    /**
     * Returns the SQLSTATE the server or driver gave, e.g. {@code 28P01} for a wrong password.
     *
     * @return the SQLSTATE, or {@code null}
     */
    public String getSqlState() {
        for (Throwable cause = getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
