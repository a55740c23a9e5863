package dev.piccolo.engine.autoconfigure;

import dev.piccolo.engine.NodeConfigurationException;

/**
 * Explains a configuration that cannot work (no host or database, a bad port, an impossible pool size,
 * a misnamed node or group) with the property a user writes and the engine's one remedy.
 */
class NodeConfigurationFailureAnalyzer extends ExplainedFailureAnalyzer<NodeConfigurationException> {

    @Override
    String headline() {
        return "The Piccolo engine's configuration is invalid: ";
    }

    @Override
    String action(NodeConfigurationException cause) {
        return PropertyNames.of(cause.getNode(), cause.getSetting()) + ": " + cause.getRemedy();
    }
}
