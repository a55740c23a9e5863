package dev.piccolo.engine.patroni;

/**
 * Whether Patroni's answers can be read here: {@link PatroniRestApi} reads them with Jackson, an optional
 * dependency of the engine. Asked before anything that needs it is made, so that a missing Jackson is a clear
 * configuration error rather than a {@code NoClassDefFoundError} at the first request. This class names no
 * Jackson type, so loading it never fails.
 *
 * @since 0.3
 */
public final class JacksonCheck {

    /** What is wrong when Jackson is missing. */
    public static final String PROBLEM = "Patroni's REST API is configured, but Jackson, which reads its answers, "
            + "is not on the class path.";

    /** What to do about it. */
    public static final String REMEDY = "Add the dependency tools.jackson.core:jackson-databind (Spring Boot "
            + "manages its version).";

    private JacksonCheck() {
    }

    /**
     * Returns whether Jackson is on the class path.
     *
     * @return {@code true} when Patroni's answers can be read
     */
    public static boolean jacksonPresent() {
        try {
            Class.forName("tools.jackson.databind.json.JsonMapper", false, JacksonCheck.class.getClassLoader());
            return true;
        }
        catch (ClassNotFoundException ex) {
            return false;
        }
    }
}
