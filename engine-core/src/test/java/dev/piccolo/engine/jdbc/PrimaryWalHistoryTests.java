package dev.piccolo.engine.jdbc;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Lag measured against the primary's positions as the probe saw them, by the probe's clock. */
class PrimaryWalHistoryTests {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final PrimaryWalHistory history = new PrimaryWalHistory();

    @Test
    void aStandbyThatReachedThePrimaryHasNoLag() {
        history.record(START, 100, 1);
        assertThat(history.lagOf(100L, Duration.ofMinutes(10), START.plusSeconds(1))).isZero();
    }

    @Test
    void afterAnIdlePrimaryLagCountsFromTheWriteNotFromTheLastReplay() {
        history.record(START, 100, 1);
        // Idle for ten minutes: the position does not move, and keeps the time it was first seen.
        history.record(START.plusSeconds(600), 100, 1);
        history.record(START.plusSeconds(601), 200, 1);
        Duration standbyOwnEstimate = Duration.ofSeconds(601);
        assertThat(history.lagOf(100L, standbyOwnEstimate, START.plusMillis(601_300)))
                .isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aStandbyBehindEverythingRecordedIsAtLeastAsOldAsTheHistory() {
        history.record(START, 100, 1);
        history.record(START.plusSeconds(5), 200, 1);
        assertThat(history.lagOf(50L, Duration.ZERO, START.plusSeconds(6))).isEqualTo(Duration.ofSeconds(6));
        assertThat(history.lagOf(50L, Duration.ofSeconds(30), START.plusSeconds(6))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void withoutHistoryTheStandbysOwnEstimateStands() {
        assertThat(history.lagOf(100L, Duration.ofSeconds(3), START)).isEqualTo(Duration.ofSeconds(3));
        history.record(START, 100, 1);
        assertThat(history.lagOf(null, Duration.ofSeconds(3), START)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aNewTimelineStartsTheHistoryAgainAlsoBelowTheOldPrimarysPosition() {
        history.record(START, 500, 1);
        // The promoted standby had not replayed all the old primary wrote: its timeline starts lower.
        history.record(START.plusSeconds(10), 400, 2);
        assertThat(history.lagOf(400L, Duration.ofSeconds(9), START.plusSeconds(11))).isZero();
        history.record(START.plusSeconds(12), 450, 2);
        assertThat(history.lagOf(400L, null, START.plusSeconds(13))).isEqualTo(Duration.ofSeconds(1));
    }
}
