package dev.piccolo.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.jspecify.annotations.Nullable;

/**
 * The last routing decisions, for an operator asking why work went where it did. Fallbacks, rare and what an
 * operator asks about first, are all kept; every other decision (joins and read-your-writes included, which
 * some applications make at every unit of work) is sampled, one in {@value #SAMPLE_ONE_IN}, so the hot path
 * pays a random draw and nothing else. A ring without locks: writers race only for a slot index.
 */
final class RoutingDecisions {

    /** How many decisions are kept. */
    static final int KEPT = 128;

    /** One ordinary decision in this many is kept. */
    static final int SAMPLE_ONE_IN = 64;

    private final AtomicReferenceArray<RoutingDecision> ring = new AtomicReferenceArray<>(KEPT);

    private final AtomicLong written = new AtomicLong();

    /** Whether the ordinary decision being made now is one to keep. */
    static boolean sampled() {
        return ThreadLocalRandom.current().nextInt(SAMPLE_ONE_IN) == 0;
    }

    void record(String requested, String node, RoutingDecision.Reason reason, @Nullable String detail) {
        long slot = written.getAndIncrement();
        ring.set((int) (slot % KEPT), new RoutingDecision(Instant.now(), requested, node, reason, detail));
    }

    /**
     * Returns the kept decisions, the latest first.
     *
     * @return at most {@value #KEPT} decisions
     */
    List<RoutingDecision> latest() {
        long end = written.get();
        List<RoutingDecision> latest = new ArrayList<>();
        for (long slot = end - 1; slot >= Math.max(0, end - KEPT); slot--) {
            RoutingDecision decision = ring.get((int) (slot % KEPT));
            if (decision != null) {
                latest.add(decision);
            }
        }
        // Writers that raced for neighbouring slots may have filled them out of order.
        latest.sort(Comparator.comparing(RoutingDecision::at).reversed());
        return latest;
    }
}
