package dev.piccolo.engine;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at start-up when a node that must be reachable (the main node, or an extra node with
 * {@code fail-fast}) does not accept a connection, or when a node's pool cannot open. It says what
 * failed and gives one remedy naming the settings to check; it never contains the password.
 *
 * @since 0.1
 */
public class NodeUnavailableException extends RuntimeException implements ExplainedFailure {

    private static final long serialVersionUID = 1L;

    private final String node;

    private final String problem;

    private final String remedy;

    /**
     * Creates the exception.
     *
     * @param node the node
     * @param problem what failed, e.g. "Node 'x' (url) rejected the login: ..."
     * @param remedy what to check or change
     * @param cause the driver's error
     * @since 0.2
     */
    public NodeUnavailableException(String node, String problem, String remedy, @Nullable Throwable cause) {
        super(remedy.isEmpty() ? problem : problem + " " + remedy, cause);
        this.node = node;
        this.problem = problem;
        this.remedy = remedy;
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
     * Returns what failed, without the remedy.
     *
     * @return the problem
     * @since 0.2
     */
    @Override
    public String getProblem() {
        return problem;
    }

    /**
     * Returns the one thing to check or change, naming the settings involved.
     *
     * @return the remedy, empty when the failure has no known remedy
     * @since 0.2
     */
    @Override
    public String getRemedy() {
        return remedy;
    }
}
