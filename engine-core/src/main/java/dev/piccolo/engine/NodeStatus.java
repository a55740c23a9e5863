package dev.piccolo.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.piccolo.engine.jdbc.ServerReading;
import org.jspecify.annotations.Nullable;

/**
 * What the health probe last saw of a node.
 *
 * @param up whether the node answered the probe
 * @param lag the replica's replication lag: zero while it has replayed all it received, else the age
 * of its last replayed transaction; {@code null} for a primary or when unknown
 * @param lagBytes how many bytes of the primary's WAL the replica has not replayed; {@code null} when
 * unknown
 * @param streaming whether a replica's WAL receiver is streaming ({@link ServerReading#streaming()});
 * {@code null} for a primary or when unknown
 * @param checkedAt when the probe ran
 * @param error why the probe failed, or {@code null}
 * @param primaryLost whether the probe cannot reach the cluster's primary and this replica has replayed
 * everything the primary was last seen to have: fresh as far as anyone can tell, so not streaming does
 * not exclude it (with the primary gone, replicas are all that is left to read from)
 * @param warnings what is wrong with the node's servers that routing works around, e.g. a server of
 * another cluster or a writable server that is not the primary; empty when nothing is
 *
 * @since 0.1
 */
public record NodeStatus(boolean up, @Nullable Duration lag, @Nullable Long lagBytes, @Nullable Boolean streaming,
        @Nullable Instant checkedAt, @Nullable String error, boolean primaryLost, List<String> warnings) {

    /**
     * Copies the warnings.
     */
    public NodeStatus {
        warnings = List.copyOf(warnings);
    }

    /** The status of a node no probe has looked at: assumed up. */
    static NodeStatus unprobed() {
        return new NodeStatus(true, null, null, null, null, null, false, List.of());
    }

    /** The status of a node that joined while a probe runs, until the probe has looked at it: not usable yet. */
    static NodeStatus pending() {
        return new NodeStatus(false, null, null, null, null, "joined, not probed yet", false, List.of());
    }

    /** The status of a node whose servers did not answer, or none of which may serve it. */
    static NodeStatus down(Instant at, @Nullable String error, List<String> warnings) {
        return new NodeStatus(false, null, null, null, at, error, false, warnings);
    }

    /**
     * Returns whether the node may take work under a lag limit. A replica whose WAL receiver is not
     * streaming is stale under any limit: it has replayed all it received, so its lag reads zero, while
     * it receives nothing more.
     *
     * @param maxLag the limit, or {@code null} for none
     * @return {@code true} when up and, under a limit, streaming (or not known not to be) and not lagging
     * more than the limit
     */
    public boolean usable(@Nullable Duration maxLag) {
        return usable(maxLag, null);
    }

    /**
     * Returns whether the node may take work under lag limits in time and in bytes; a replica that is
     * not streaming is stale under either ({@link #usable(Duration)}).
     *
     * @param maxLag the limit in time, or {@code null} for none
     * @param maxLagBytes the limit in bytes of WAL left to replay, or {@code null} for none
     * @return {@code true} when up and within every limit set
     * @since 0.2
     */
    public boolean usable(@Nullable Duration maxLag, @Nullable Long maxLagBytes) {
        if (!up) {
            return false;
        }
        if (maxLag == null && maxLagBytes == null) {
            return true;
        }
        return (primaryLost || !Boolean.FALSE.equals(streaming)) && (maxLag == null || lag == null || lag.compareTo(maxLag) <= 0)
                && (maxLagBytes == null || lagBytes == null || lagBytes <= maxLagBytes);
    }
}
