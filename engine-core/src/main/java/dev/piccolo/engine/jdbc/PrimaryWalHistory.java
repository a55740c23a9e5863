package dev.piccolo.engine.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

import org.jspecify.annotations.Nullable;

/**
 * The primary's WAL positions as the health probe saw them, each with the time it was first seen, so a
 * replica's lag is the age of the oldest WAL it has not replayed, by the probe's own clock. A standby's
 * own estimate (the age of its last replayed transaction) reads an idle primary's quiet time as lag the
 * moment the next transaction arrives; measured here, an idle primary never does: its position does not
 * move, so nothing is older than the write that moved it. Used by the probe thread only.
 */
public final class PrimaryWalHistory {

    /** Positions kept: with writes at every probe, this many intervals of history. */
    private static final int CAPACITY = 256;

    private final Deque<Sample> samples = new ArrayDeque<>();

    private int timeline;

    /**
     * Records the primary's position seen at {@code at}; a position already recorded keeps its first time.
     * A new timeline starts the history again: a promoted standby may be behind where the old primary was.
     *
     * @param at when the probe read it
     * @param position the primary's WAL position
     * @param timeline the primary's timeline
     */
    public void record(Instant at, long position, int timeline) {
        if (timeline != this.timeline) {
            samples.clear();
            this.timeline = timeline;
        }
        Sample last = samples.peekLast();
        if (last != null && position <= last.position()) {
            return;
        }
        if (samples.size() == CAPACITY) {
            samples.removeFirst();
        }
        samples.addLast(new Sample(at, position));
    }

    /**
     * Returns the lag of a standby that has replayed up to {@code replayPosition}: zero when it has reached
     * the primary's last position, else the time since the primary was first seen past it.
     *
     * @param replayPosition the standby's replay position, or {@code null} when not known
     * @param ownEstimate the standby's own estimate, used when the history cannot tell
     * @param now the time of the standby's reading
     * @return the lag
     */
    public @Nullable Duration lagOf(@Nullable Long replayPosition, @Nullable Duration ownEstimate, Instant now) {
        if (replayPosition == null || samples.isEmpty()) {
            return ownEstimate;
        }
        Sample oldest = samples.peekFirst();
        if (oldest.position() > replayPosition) {
            // Behind since before the history starts: at least that old, maybe older.
            Duration sinceOldest = Duration.between(oldest.at(), now);
            return ownEstimate != null && ownEstimate.compareTo(sinceOldest) > 0 ? ownEstimate : sinceOldest;
        }
        for (Sample sample : samples) {
            if (sample.position() > replayPosition) {
                return Duration.between(sample.at(), now);
            }
        }
        return Duration.ZERO;
    }

    private record Sample(Instant at, long position) {
    }
}
