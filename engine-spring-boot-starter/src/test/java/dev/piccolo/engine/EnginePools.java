package dev.piccolo.engine;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The starter's tests look at the HikariCP pool the engine keeps to itself, to check how the
 * properties were bound onto it. Lives in the engine's package only for that.
 */
public final class EnginePools {

    private EnginePools() {
    }

    /**
     * Returns a node's running pool.
     *
     * @param engine the engine
     * @param node the node's name
     * @return the pool
     * @throws IllegalStateException when the node is unpooled
     */
    public static HikariDataSource pool(PostgresEngine engine, String node) {
        return engine.node(node).pool().orElseThrow(() -> new IllegalStateException("Node '" + node
                + "' has no pool"));
    }
}
