package dev.piccolo.engine.autoconfigure.diagnostics;

import java.net.UnknownHostException;

import dev.piccolo.engine.NodeUnavailableException;
import dev.piccolo.engine.autoconfigure.PropertyNames;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains why a node that must be reachable at start-up was not (wrong password, unknown database,
 * unknown host, refused connection) and names the properties to check.
 */
class NodeUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<NodeUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NodeUnavailableException cause) {
        String config = PropertyNames.nodePrefix(cause.getNode()) + ".config";
        return new FailureAnalysis("The Piccolo engine could not connect: " + cause.getMessage(), "Consider the following:\n\t" + remedy(cause, config), cause);
    }

    private static String remedy(NodeUnavailableException cause, String config) {
        String state = cause.getSqlState() != null ? cause.getSqlState() : "";
        if (state.startsWith("28")) {
            return "Check " + config + ".user and " + config + ".password: the server rejected the credentials.";
        }
        if ("3D000".equals(state)) {
            return "Check " + config + ".database: the server has no such database (create it or fix the name).";
        }
        if (hasCause(cause, UnknownHostException.class)) {
            return "Check " + config + ".host: the host name cannot be resolved.";
        }
        return "Check that the server is running and reachable at " + config + ".host and " + config + ".port. "
                + (cause.getNode().equals("primary") ? "The main node must be reachable at start-up."
                        : "Or set " + PropertyNames.nodePrefix(cause.getNode()) + ".fail-fast=false to start without "
                                + "this node.");
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
