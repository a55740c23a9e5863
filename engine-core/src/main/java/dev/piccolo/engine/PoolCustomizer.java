package dev.piccolo.engine;

import com.zaxxer.hikari.HikariConfig;

/**
 * Adjusts a node's HikariCP configuration just before its pool opens, after the engine's own
 * settings; for metrics registries, health-check registries and the like.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface PoolCustomizer {

    /**
     * Adjusts one node's pool configuration.
     *
     * @param node the node name
     * @param config the pool configuration, named {@code piccolo-<node>}
     */
    void customize(String node, HikariConfig config);
}
