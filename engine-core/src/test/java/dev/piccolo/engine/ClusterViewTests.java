package dev.piccolo.engine;

import java.time.Instant;
import java.util.List;

import dev.piccolo.engine.jdbc.ServerReading;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which server the engine takes for the cluster's primary, round by round, from what the probe read and
 * what the HA manager said: the decisions alone, on readings as the probe makes them.
 */
class ClusterViewTests {

    private static final long CLUSTER = 7_000_000_000_000_000_001L;

    private static final Instant STARTED = Instant.parse("2026-12-01T00:00:00Z");

    private final ClusterView view = new ClusterView();

    /** Whether an HA manager is configured, answering or not. */
    private boolean managed;

    @Test
    void aPrimaryThatMissesOneRoundStaysThePrimary() {
        round(null, false, writable("a:1", 1, 1000), standby("b:1", 1, 900, true));
        int epoch = view.epoch();
        round(null, false, standby("b:1", 1, 950, true));
        assertThat(view.primary()).isEqualTo("a:1");
        assertThat(view.epoch()).as("nothing changed role").isEqualTo(epoch);
        assertThat(view.primaryReachable()).isFalse();
    }

    @Test
    void withoutAManagerAnOlderTimelineNeverTakesOverFromAnUnreachableNewerOne() {
        round(null, false, writable("a:1", 1, 1000), writable("b:1", 2, 1100));
        assertThat(view.primary()).isEqualTo("b:1");
        for (int rounds = 0; rounds < 3; rounds++) {
            round(null, false, writable("a:1", 1, 1000), standby("c:1", 2, 1050, false));
            assertThat(view.primary()).as("round " + rounds + " with b unreachable").isNotEqualTo("a:1");
        }
        // The cluster's replication follows a: the newer timeline was discarded, not only unreachable.
        round(null, false, writable("a:1", 1, 1000), standby("c:1", 1, 1000, true));
        assertThat(view.primary()).isEqualTo("a:1");
    }

    @Test
    void whileTheManagerCannotBeAskedItsLastLeaderStaysThePrimaryInASplitBrain() {
        managed = true;
        round("a:1", true, writable("a:1", 1, 1000), standby("b:1", 1, 900, true));
        assertThat(view.primary()).isEqualTo("a:1");
        round(null, false, writable("a:1", 1, 1010), writable("b:1", 2, 1200));
        assertThat(view.primary()).as("not the newer timeline the manager will discard").isEqualTo("a:1");
        assertThat(view.refusal(ServerRole.PRIMARY, new ServerId("b:1", STARTED))).contains("fenced");
    }

    /** A main node that settles for a standby ({@code preferPrimary}) still never writes on a fenced server. */
    @Test
    void aMainNodeThatSettlesForAStandbyRefusesOnlyAFencedServer() {
        round(null, false, writable("a:1", 1, 1000), writable("b:1", 2, 1100), standby("c:1", 2, 1050, true));
        assertThat(view.refusal(ServerRole.NOT_FENCED, new ServerId("b:1", STARTED))).isNull();
        assertThat(view.refusal(ServerRole.NOT_FENCED, new ServerId("c:1", STARTED))).isNull();
        assertThat(view.refusal(ServerRole.NOT_FENCED, new ServerId("a:1", STARTED))).contains("fenced");
        assertThat(ServerRole.of(PostgresEngine.PRIMARY, "preferPrimary")).isEqualTo(ServerRole.NOT_FENCED);
        assertThat(ServerRole.of("read_replica_1", "preferPrimary")).isEqualTo(ServerRole.ANY);
    }

    @Test
    void standbysWhosePositionsSayNothingOfThePrimarysAreNotTrusted() {
        round(null, false, writable("a:1", 2, 1000), standby("ahead:1", 3, 5000, false),
                standby("behind:1", 1, 1200, false), standby("following:1", 2, 990, true));
        assertThat(view.incomparable(new ServerId("ahead:1", STARTED))).as("a demoted split-brain side").isTrue();
        assertThat(view.refusal(ServerRole.STANDBY, new ServerId("ahead:1", STARTED))).contains("timeline 3");
        assertThat(view.incomparable(new ServerId("behind:1", STARTED))).as("still on the old timeline").isTrue();
        assertThat(view.incomparable(new ServerId("following:1", STARTED))).isFalse();
        assertThat(view.incomparable(new ServerId("following:1", STARTED.plusSeconds(5))))
                .as("a run the probe has not read").isTrue();
        assertThat(view.refusal(ServerRole.STANDBY, new ServerId("following:1", STARTED.plusSeconds(5))))
                .contains("restarted");
    }

    private void round(String leader, boolean leaderAsked, ServerReading... readings) {
        List<ServerReading> all = List.of(readings);
        view.observe(all, all, leader, leaderAsked, managed);
    }

    private static ServerReading writable(String server, int timeline, long position) {
        return new ServerReading(new ServerVersion(150000), false, null, position, null, null, server, CLUSTER,
                timeline, STARTED);
    }

    private static ServerReading standby(String server, int timeline, long replayed, boolean streaming) {
        return new ServerReading(new ServerVersion(150000), true, null, null, replayed, streaming, server, CLUSTER,
                timeline, STARTED);
    }
}
