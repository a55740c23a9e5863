package dev.piccolo.engine.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a {@code @UseNode} that names a node the engine does not have. */
class UnknownUseNodeFailureAnalyzer extends AbstractFailureAnalyzer<UnknownUseNodeException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnknownUseNodeException cause) {
        return new FailureAnalysis(cause.getMessage(), "Consider the following:\n\tChange the annotation to one of "
                + cause.getConfiguredNodes() + ", or configure the node under " + PropertyNames.nodePrefix("<name>")
                + ".config (names are matched exactly: read_replica_1 is not readReplica1).", cause);
    }
}
