package dev.piccolo.engine;

/**
 * Thrown when a configuration cannot work: a missing or malformed connection setting, an impossible
 * name or size. It says what is wrong, names the {@link EngineSetting} at fault and gives one remedy;
 * it never contains a password.
 *
 * @since 0.1
 */
public class NodeConfigurationException extends IllegalArgumentException implements ExplainedFailure {

    private static final long serialVersionUID = 1L;

    private final String owner;

    private final EngineSetting setting;

    private final String problem;

    private final String remedy;

    /**
     * Creates the exception.
     *
     * @param owner the node or group whose setting is wrong ({@value PostgresEngine#PRIMARY} for the
     * engine's own settings)
     * @param setting the setting at fault
     * @param problem what is wrong, e.g. "Node 'x' has config.port 0, out of range."
     * @param remedy what to do, e.g. "Set it to the server's TCP port."
     * @since 0.2
     */
    public NodeConfigurationException(String owner, EngineSetting setting, String problem, String remedy) {
        super(problem + " " + remedy);
        this.owner = owner;
        this.setting = setting;
        this.problem = problem;
        this.remedy = remedy;
    }

    /**
     * Returns the node or group whose setting is wrong.
     *
     * @return its name as configured (may be blank when the name itself is wrong)
     */
    public String getNode() {
        return owner;
    }

    /**
     * Returns the setting at fault.
     *
     * @return the setting
     * @since 0.2
     */
    public EngineSetting getSetting() {
        return setting;
    }

    /**
     * Returns what is wrong, without the remedy.
     *
     * @return the problem
     * @since 0.2
     */
    @Override
    public String getProblem() {
        return problem;
    }

    /**
     * Returns the one thing to do about it.
     *
     * @return the remedy
     * @since 0.2
     */
    @Override
    public String getRemedy() {
        return remedy;
    }
}
