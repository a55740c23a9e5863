package dev.piccolo.engine;

/**
 * How messages name a setting, so each integration names it the way its users write it: plain Java
 * reads {@code config.password}, the Spring Boot starter
 * {@code piccolo.db.extra-nodes.read_replica_1.config.password}.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface SettingNames {

    /** Names settings by their keys: {@code config.port}, {@code fail-fast}, {@code pool.max-size}. */
    SettingNames PLAIN = (owner, setting) -> setting.key().isEmpty() ? owner : setting.key();

    /**
     * Returns the name users write for a setting.
     *
     * @param owner the node or group the setting belongs to, {@value PostgresEngine#PRIMARY} for the
     * engine's own settings
     * @param setting the setting
     * @return the name to show
     */
    String of(String owner, EngineSetting setting);
}
