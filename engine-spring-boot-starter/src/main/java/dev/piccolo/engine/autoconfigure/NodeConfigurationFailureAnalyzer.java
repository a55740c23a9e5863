package dev.piccolo.engine.autoconfigure;

import dev.piccolo.engine.NodeConfigurationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a configuration that cannot work (no host or database, a bad port, an impossible pool size,
 * a misnamed node or group) with the property a user writes and the engine's one remedy.
 */
class NodeConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<NodeConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NodeConfigurationException cause) {
        return new FailureAnalysis("The Piccolo engine's configuration is invalid: " + cause.getProblem(),
                "Consider the following:\n\t" + PropertyNames.of(cause.getNode(), cause.getSetting()) + ": "
                        + cause.getRemedy(), cause);
    }
}
