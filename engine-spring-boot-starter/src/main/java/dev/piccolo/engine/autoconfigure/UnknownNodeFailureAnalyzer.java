package dev.piccolo.engine.autoconfigure;

import dev.piccolo.engine.UnknownNodeException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains work at start-up that asked for a node the engine does not have. */
class UnknownNodeFailureAnalyzer extends AbstractFailureAnalyzer<UnknownNodeException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnknownNodeException cause) {
        return new FailureAnalysis(cause.getMessage(), "Consider the following:\n\tUse one of "
                + cause.getConfiguredNodes() + ", or configure the node under " + PropertyNames.nodePrefix("<name>")
                + ".config.", cause);
    }
}
