package dev.piccolo.engine;

/**
 * A snapshot of one node's pool.
 *
 * @param active connections borrowed right now
 * @param idle connections waiting in the pool
 * @param waiting threads waiting for a connection
 * @param total connections the pool holds, active and idle
 *
 * @since 0.1
 */
public record PoolStatistics(int active, int idle, int waiting, int total) {
}
