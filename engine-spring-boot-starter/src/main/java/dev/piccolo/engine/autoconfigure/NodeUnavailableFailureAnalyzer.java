package dev.piccolo.engine.autoconfigure;

import dev.piccolo.engine.NodeUnavailableException;

/**
 * Explains why a node that must be reachable at start-up was not. The engine classified the failure
 * and named the properties to check (the starter names settings by property), so this only lays it out.
 */
class NodeUnavailableFailureAnalyzer extends ExplainedFailureAnalyzer<NodeUnavailableException> {

    @Override
    String headline() {
        return "The Piccolo engine could not connect: ";
    }

    @Override
    String action(NodeUnavailableException cause) {
        return cause.getRemedy().isEmpty() ? "Check the server of node '" + cause.getNode() + "' and "
                + PropertyNames.nodePrefix(cause.getNode()) + ".config." : cause.getRemedy();
    }
}
