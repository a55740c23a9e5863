package dev.piccolo.engine.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown at start-up when a {@code @UseNode} on a bean names a node the engine does not have. Lists
 * every such annotation, the unknown names and the configured nodes.
 */
class UnknownUseNodeException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient List<Usage> usages;

    private final List<String> configuredNodes;

    /**
     * Creates the exception.
     *
     * @param usages the annotations that name unknown nodes
     * @param configuredNodes the engine's node names
     */
    UnknownUseNodeException(List<Usage> usages, List<String> configuredNodes) {
        super(usages.stream().map(usage -> "@UseNode(\"" + usage.node() + "\") on " + usage.location())
                .collect(Collectors.joining(", ")) + " names a node the engine does not have. Configured nodes: "
                + configuredNodes + ".");
        this.usages = List.copyOf(usages);
        this.configuredNodes = List.copyOf(configuredNodes);
    }

    /**
     * Returns the annotations that name unknown nodes.
     *
     * @return where each is and what it names
     */
    List<Usage> getUsages() {
        return usages;
    }

    /**
     * Returns the engine's node names.
     *
     * @return the configured nodes
     */
    List<String> getConfiguredNodes() {
        return configuredNodes;
    }

    /**
     * One {@code @UseNode}.
     *
     * @param location the annotated method ({@code com.example.Service.find()}) or type
     * @param node the node it names
     */
    record Usage(String location, String node) {
    }
}
