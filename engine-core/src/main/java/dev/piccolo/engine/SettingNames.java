package dev.piccolo.engine;

/**
 * How messages name a node's setting, so each integration names it the way its users write it: plain
 * Java reads {@code config.password}, the Spring Boot starter
 * {@code piccolo.db.extra-nodes.read_replica_1.config.password}.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface SettingNames {

    /** Names settings as the engine does: {@code config.port}, {@code fail-fast}, {@code pool.max-size}. */
    SettingNames PLAIN = (node, setting) -> setting;

    /**
     * Returns the name users write for a node's setting.
     *
     * @param node {@code primary} or an extra node's name
     * @param setting the setting, e.g. {@code config.port} or {@code fail-fast}
     * @return the name to show
     */
    String of(String node, String setting);
}
