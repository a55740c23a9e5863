package dev.piccolo.engine;

/**
 * What happened to a read that had a position to see on a replica, as {@link RoutingListener} is told.
 *
 * @since 0.2
 */
public enum ReadYourWritesOutcome {

    /** The replica had replayed the position already. */
    REPLICA,

    /** The replica reached the position within {@code max-wait}. */
    WAITED,

    /** The replica did not reach it in time; the primary served the read. */
    PRIMARY
}
