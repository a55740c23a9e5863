package dev.piccolo.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far the primary is known to have written, for read-your-writes: what this engine's writes saw, on
 * the timeline they saw it on, and what the probe read; and the positions tokens claimed that the primary
 * had not reached when it answered. No write lies behind such a claim (a write's token exists only once the
 * primary has passed it), so the same claim is clamped again without asking: a forged header sent with every
 * request costs one question, not one each.
 */
final class PrimaryPositions {

    /** How many claims found beyond the primary are remembered; the most recently added are kept. */
    private static final int FORGED_CLAIMS_KEPT = 256;

    private final ClusterView cluster;

    /** The furthest position a write of this engine reached on {@link #writeTimeline}. */
    private final AtomicLong written = new AtomicLong();

    /** The timeline of this engine's last write, 0 before any. */
    private volatile int writeTimeline;

    private final Set<Long> beyondThePrimary = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                    return size() > FORGED_CLAIMS_KEPT;
                }
            }));

    /** The primary's timeline when {@link #beyondThePrimary} was started. */
    private volatile int claimsTimeline;

    PrimaryPositions(ClusterView cluster) {
        this.cluster = cluster;
    }

    /** Records that the primary has written up to {@code position} on {@code timeline}. */
    void seenAt(long position, int timeline) {
        synchronized (written) {
            // After a failover the new timeline may start below the old one's end: that end is no longer the primary's.
            if (timeline != writeTimeline) {
                written.set(position);
                writeTimeline = timeline;
            }
            else {
                written.accumulateAndGet(position, Math::max);
            }
        }
    }

    /** The timeline of this engine's last write, 0 before any. */
    int writeTimeline() {
        return writeTimeline;
    }

    /** The furthest the primary is known to have written: by the probe, or by this engine's writes on its timeline. */
    long known() {
        long probed = cluster.primaryPosition();
        int current = cluster.primaryTimeline();
        long seen = current == 0 || writeTimeline == 0 || writeTimeline == current ? written.get() : 0;
        return Math.max(probed, seen);
    }

    /**
     * Whether {@code claim} was found beyond the primary before, on the primary's current timeline: asked
     * around a failover, the old primary may have judged a claim of the new one's, so a new timeline starts
     * the record over.
     */
    boolean foundBeyondBefore(long claim) {
        int timeline = cluster.primaryTimeline();
        if (timeline != claimsTimeline) {
            beyondThePrimary.clear();
            claimsTimeline = timeline;
        }
        return beyondThePrimary.contains(claim);
    }

    /** Records that the primary, asked, had not reached {@code claim}. */
    void foundBeyond(long claim) {
        beyondThePrimary.add(claim);
    }
}
