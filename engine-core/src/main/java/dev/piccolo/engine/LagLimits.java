package dev.piccolo.engine;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How far behind the primary a replica may be and still take work: in time, in bytes of WAL left to
 * replay, either or both unset. A node's own, a group's, or the strictest of several.
 *
 * @param maxLag the limit in time, {@code null} for none
 * @param maxLagBytes the limit in bytes, {@code null} for none
 */
record LagLimits(@Nullable Duration maxLag, @Nullable Long maxLagBytes) {

    static final LagLimits NONE = new LagLimits(null, null);

    /** Whether no limit is set. */
    boolean none() {
        return maxLag == null && maxLagBytes == null;
    }

    /** Whether a replica in {@code status} is within these limits ({@link NodeStatus#usable(Duration, Long)}). */
    boolean admit(NodeStatus status) {
        return status.usable(maxLag, maxLagBytes);
    }

    /** The stricter of these limits and {@code other}'s, each kind on its own. */
    LagLimits strictest(LagLimits other) {
        Duration lag = maxLag == null ? other.maxLag : other.maxLag == null || maxLag.compareTo(other.maxLag) <= 0
                ? maxLag : other.maxLag;
        Long bytes = maxLagBytes == null ? other.maxLagBytes : other.maxLagBytes == null
                ? maxLagBytes : Long.valueOf(Math.min(maxLagBytes, other.maxLagBytes));
        return new LagLimits(lag, bytes);
    }
}
