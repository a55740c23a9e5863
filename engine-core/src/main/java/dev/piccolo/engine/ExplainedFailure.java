package dev.piccolo.engine;

/**
 * A failure the engine explains in two parts, what went wrong and one remedy, kept apart so that an
 * integration can lay them out its own way (Spring Boot's failure analysis shows the remedy as the action).
 * Neither part ever contains a password.
 *
 * @since 0.2
 */
public interface ExplainedFailure {

    /**
     * Returns what went wrong.
     *
     * @return the problem, e.g. "Node 'x' (url) rejected the login: ..."
     */
    String getProblem();

    /**
     * Returns what to check or change.
     *
     * @return the remedy; empty when there is none to give
     */
    String getRemedy();
}
