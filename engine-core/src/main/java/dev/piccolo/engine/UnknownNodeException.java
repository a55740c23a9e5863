package dev.piccolo.engine;

import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when work asks for a node the engine does not have, or for a blank node name. The message
 * names the requested node and lists the configured ones, whichever path raised it
 * ({@link NodeContext}, {@link UseNode}, {@link PostgresEngine#node(String)} or the routing
 * {@code DataSource}). An unknown name never falls back to the primary.
 *
 * @since 0.1
 */
public class UnknownNodeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final @Nullable String node;

    private final List<String> configuredNodes;

    /**
     * Creates the exception.
     *
     * @param node the requested name (may be {@code null} or blank)
     * @param configuredNodes the names the engine has
     */
    public UnknownNodeException(@Nullable String node, Collection<String> configuredNodes) {
        super(message(node, configuredNodes));
        this.node = node;
        this.configuredNodes = List.copyOf(configuredNodes);
    }

    private static String message(@Nullable String node, Collection<String> configuredNodes) {
        String problem = (node == null || node.isBlank()) ? "A node name is blank" : "Unknown node '" + node + "'";
        return problem + ". Configured nodes: " + configuredNodes + ". Use one of these names, or add the node under "
                + "extra nodes (piccolo.db.extra-nodes.<name> in Spring Boot).";
    }

    /**
     * Returns the requested node name.
     *
     * @return the name as requested, {@code null} when none was
     */
    public @Nullable String getNode() {
        return node;
    }

    /**
     * Returns the nodes the engine has.
     *
     * @return the configured node names, the main node first
     */
    public List<String> getConfiguredNodes() {
        return configuredNodes;
    }
}
