package dev.piccolo.engine.autoconfigure.diagnostics;

import dev.piccolo.engine.NodeConfigurationException;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.autoconfigure.PropertyNames;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a node configuration that cannot work (no host or database, a bad port, an impossible pool
 * size, an extra node named {@code primary} or with an empty name) and names the property to set.
 */
class NodeConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<NodeConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NodeConfigurationException cause) {
        String property = PropertyNames.of(cause.getNode(), cause.getSetting());
        return new FailureAnalysis("The Piccolo engine's configuration is invalid: " + cause.getMessage(),
                "Consider the following:\n\t" + remedy(cause, property), cause);
    }

    private static String remedy(NodeConfigurationException cause, String property) {
        return switch (cause.getSetting()) {
            case "name" -> "Rename the extra node under " + property + ": every extra node needs a non-empty name "
                    + "of its own, other than 'primary'.";
            case "config.host" -> "Set " + property + " to the server's host name, or "
                    + PropertyNames.of(cause.getNode(), "config.url") + " to a full jdbc:postgresql:// URL"
                    + (PostgresEngine.PRIMARY.equals(cause.getNode()) ? ", or spring.datasource.url. If this "
                            + "application is not meant to use PostgreSQL here, set " + PropertyNames.PREFIX
                            + ".enabled=false." : ".");
            case "config.database" -> "Set " + property + " to the name of the database to connect to.";
            case "config.port" -> "Set " + property + " to the server's TCP port, 1 to 65535 (PostgreSQL's default "
                    + "is 5432).";
            case "config.url" -> "Set " + property + " to a jdbc:postgresql://host:port/database URL, or remove it "
                    + "and set host, port and database instead.";
            default -> "Correct " + property + ".";
        };
    }
}
