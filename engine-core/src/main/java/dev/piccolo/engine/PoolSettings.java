package dev.piccolo.engine;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;

/**
 * What a node's running pool was opened with, as HikariCP holds it: the outcome of {@link PoolOptions}, the
 * node's {@code pool.*} settings and a {@link PoolCustomizer}. A read-only view; the pool itself stays the
 * engine's, never handed out to be closed or resized.
 *
 * @param poolName HikariCP's pool name, {@code piccolo-<node>}
 * @param maxSize the most connections the pool holds
 * @param minIdle the idle connections the pool keeps
 * @param connectionTimeout how long a borrower waits for a connection
 * @param idleTimeout how long an idle connection above {@code minIdle} stays
 * @param maxLifetime how long a connection lives before the pool replaces it
 * @since 0.2
 */
public record PoolSettings(String poolName, int maxSize, int minIdle, Duration connectionTimeout,
        Duration idleTimeout, Duration maxLifetime) {

    static PoolSettings of(HikariDataSource pool) {
        return new PoolSettings(pool.getPoolName(), pool.getMaximumPoolSize(), pool.getMinimumIdle(),
                Duration.ofMillis(pool.getConnectionTimeout()), Duration.ofMillis(pool.getIdleTimeout()),
                Duration.ofMillis(pool.getMaxLifetime()));
    }
}
