package dev.piccolo.engine.autoconfigure;

import dev.piccolo.engine.NodeUnavailableException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains why a node that must be reachable at start-up was not. The engine classified the failure
 * and named the properties to check (the starter names settings by property), so this only lays it out.
 */
class NodeUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<NodeUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NodeUnavailableException cause) {
        String remedy = cause.getRemedy().isEmpty() ? "Check the server of node '" + cause.getNode() + "' and "
                + PropertyNames.nodePrefix(cause.getNode()) + ".config." : cause.getRemedy();
        return new FailureAnalysis("The Piccolo engine could not connect: " + cause.getProblem(),
                "Consider the following:\n\t" + remedy, cause);
    }
}
