package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's HikariCP pool while one runs: opened and closed with the engine's pools (or the node's removal),
 * drained on close, and what it tells of its connections. Thread-safe: the running pool is read once per
 * question, and a pool closing meanwhile is never asked again.
 */
final class NodePool {

    /** The node's logger: its pool's opening and closing are the node's, as users filter them. */
    private static final Logger logger = LoggerFactory.getLogger(EngineNode.class);

    private static final Duration DRAIN_POLL_INTERVAL = Duration.ofMillis(10);

    private final String node;

    private final AtomicReference<HikariDataSource> running = new AtomicReference<>();

    private volatile Duration drainTimeout = PoolOptions.DEFAULT_DRAIN_TIMEOUT;

    NodePool(String node) {
        this.node = node;
    }

    /**
     * Opens the pool.
     *
     * @throws RuntimeException HikariCP's, when the pool must connect and cannot
     */
    void open(HikariConfig hikari, Duration drainTimeout) {
        running.set(new HikariDataSource(hikari));
        this.drainTimeout = drainTimeout;
    }

    /** The running pool, {@code null} when none runs; the engine's own, never handed to users to close or resize. */
    @Nullable HikariDataSource running() {
        return running.get();
    }

    /** Whether {@code pool}, read earlier, closed since and no longer serves: the caller asks what serves now. */
    boolean closedSince(HikariDataSource pool) {
        return pool.isClosed() && running.get() != pool;
    }

    Duration drainTimeout() {
        return drainTimeout;
    }

    /**
     * Closes the pool: new requests get connections of their own at once, borrowed connections may finish
     * within the drain timeout, then the pool closes.
     */
    void close() {
        HikariDataSource closing = running.getAndSet(null);
        if (closing == null) {
            return;
        }
        int stillBorrowed = drain(closing);
        if (stillBorrowed > 0) {
            logger.warn("Pool of node '{}': {} connection(s) still borrowed after the {} drain timeout are closed "
                    + "now", node, stillBorrowed, drainTimeout);
        }
        closing.close();
        logger.info("Pool of node '{}' closed", node);
    }

    private int drain(HikariDataSource closing) {
        HikariPoolMXBean bean = closing.getHikariPoolMXBean();
        if (bean == null) {
            return 0;
        }
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (bean.getActiveConnections() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(DRAIN_POLL_INTERVAL.toMillis());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return bean.getActiveConnections();
    }

    /**
     * Borrows one of the pool's connections waiting at most {@code wait}.
     *
     * @return the connection, or {@code null} when no pool runs
     * @throws SQLException when none is free in time
     */
    @Nullable Connection connectionWithin(Duration wait) throws SQLException {
        HikariDataSource pool = running.get();
        if (pool != null && pool.getHikariPoolMXBean() instanceof HikariPool hikari) {
            return hikari.getConnection(Math.max(1, wait.toMillis()));
        }
        return null;
    }

    /** A snapshot of the pool's connections, empty when no pool runs. */
    Optional<PoolStatistics> statistics() {
        HikariDataSource pool = running.get();
        HikariPoolMXBean bean = pool != null ? pool.getHikariPoolMXBean() : null;
        return bean == null ? Optional.empty() : Optional.of(new PoolStatistics(bean.getActiveConnections(),
                bean.getIdleConnections(), bean.getThreadsAwaitingConnection(), bean.getTotalConnections()));
    }

    /** How many of the pool's connections are borrowed now, 0 when no pool runs. */
    int borrowed() {
        HikariDataSource pool = running.get();
        HikariPoolMXBean bean = pool != null ? pool.getHikariPoolMXBean() : null;
        return bean != null ? bean.getActiveConnections() : 0;
    }

    /** The most connections the pool holds, 0 when no pool runs. */
    int size() {
        HikariDataSource pool = running.get();
        return pool != null ? pool.getMaximumPoolSize() : 0;
    }
}
