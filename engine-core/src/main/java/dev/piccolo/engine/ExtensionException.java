package dev.piccolo.engine;

/**
 * Thrown at start-up when an extension cannot be created on a node.
 *
 * @since 0.1
 */
public class ExtensionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String node;

    private final String extension;

    /**
     * Creates the exception.
     *
     * @param node the node
     * @param extension the extension name
     * @param cause the database's error
     */
    public ExtensionException(String node, String extension, Throwable cause) {
        super("Cannot create extension \"" + extension + "\" on node '" + node + "': " + cause.getMessage()
                + ". Install the extension on that server (e.g. the postgresql-contrib package), remove it from the "
                + "node's extensions, or set the extension failure policy to WARN.", cause);
        this.node = node;
        this.extension = extension;
    }

    /**
     * Returns the node.
     *
     * @return the node name
     */
    public String getNode() {
        return node;
    }

    /**
     * Returns the extension.
     *
     * @return the extension name
     */
    public String getExtension() {
        return extension;
    }
}
