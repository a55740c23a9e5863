package dev.piccolo.engine;

/**
 * Thrown when a node's configuration cannot work: a missing or malformed connection setting, an
 * impossible name. The message names the node, the setting and the remedy; it never contains a
 * password.
 */
public class NodeConfigurationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String node;

    private final String setting;

    /**
     * Creates the exception.
     *
     * @param node the node whose configuration is wrong
     * @param setting the setting at fault, as named in the node configuration (e.g. {@code config.port})
     * @param message what is wrong and how to fix it
     */
    public NodeConfigurationException(String node, String setting, String message) {
        super(message);
        this.node = node;
        this.setting = setting;
    }

    /**
     * Returns the node whose configuration is wrong.
     *
     * @return the node name as configured (may be blank when the name itself is wrong)
     */
    public String getNode() {
        return node;
    }

    /**
     * Returns the setting at fault: {@code config.<key>}, {@code extensions}, {@code name} or
     * {@code pool.<option>}.
     *
     * @return the setting
     */
    public String getSetting() {
        return setting;
    }
}
