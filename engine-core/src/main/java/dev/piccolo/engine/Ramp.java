package dev.piccolo.engine;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The share of a group's work a node that joined while the application runs takes: none before it is
 * first found usable (by the health probe, or by routing when no probe runs), then a share that grows evenly
 * to a full one over the ramp-up, so that a cold pool
 * and a cold server cache are not handed a full share at once. A node present from the start has no ramp.
 * Thread-safe; the races between pickers only blur the share.
 */
final class Ramp {

    /** No ramp: a full share from the start. */
    static final Ramp NONE = new Ramp(Duration.ZERO);

    private static final long NOT_STARTED = Long.MIN_VALUE;

    private final long nanos;

    private volatile long since = NOT_STARTED;

    /** Once full, picks read one field and draw nothing. */
    private volatile boolean full;

    private Ramp(Duration duration) {
        this.nanos = duration.toNanos();
        this.full = nanos <= 0;
    }

    /** A ramp over {@code duration}, or {@link #NONE} for zero. */
    static Ramp over(Duration duration) {
        return duration.isZero() || duration.isNegative() ? NONE : new Ramp(duration);
    }

    /**
     * Whether this pick of a usable node takes it: always once the ramp is over; before, with a
     * probability equal to the share reached. The first call starts the ramp when the probe has not (it
     * is off).
     */
    boolean admits() {
        if (full) {
            return true;
        }
        long elapsed = elapsedNanos();
        if (elapsed >= nanos) {
            full = true;
            return true;
        }
        return ThreadLocalRandom.current().nextLong(nanos) < elapsed;
    }

    /** Starts the ramp, when not started yet: the health probe found the node usable. */
    void start() {
        if (!full) {
            elapsedNanos();
        }
    }

    /**
     * The share reached, from 0 to 1; 0 until the node was first found usable.
     *
     * @return the share
     */
    double share() {
        if (full) {
            return 1;
        }
        long started = since;
        return started == NOT_STARTED ? 0 : Math.min(1, (double) (System.nanoTime() - started) / nanos);
    }

    private long elapsedNanos() {
        long now = System.nanoTime();
        long started = since;
        if (started == NOT_STARTED) {
            since = now;
            return 0;
        }
        return now - started;
    }
}
