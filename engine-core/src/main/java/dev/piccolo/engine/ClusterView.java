package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.HashMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.piccolo.engine.jdbc.ServerAddresses;
import dev.piccolo.engine.jdbc.ServerReading;
import org.jspecify.annotations.Nullable;
import org.postgresql.core.BaseConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine knows of the PostgreSQL cluster behind its nodes: which cluster the main node's
 * servers belong to ({@code system_identifier}), the newest timeline seen in it, which server is its
 * primary now, and per server run ({@link ServerId}) how far it has replayed. The health probe feeds it
 * once per round ({@link #observe}); routing reads it lock-free. A server is the primary when it is
 * writable, of the cluster and on the newest timeline of its writable servers (the last primary's
 * counting while it does not answer); when the cluster's HA manager was asked, only when it is the
 * leader the manager names, since under a manager the leader's data is what survives a split brain,
 * not the newest timeline's. Thread-safe.
 */
final class ClusterView {

    private static final Logger logger = LoggerFactory.getLogger(ClusterView.class);

    private static final String IDENTITY = "SELECT coalesce(host(inet_server_addr()) || ':' || inet_server_port(), "
            + "'local'), pg_postmaster_start_time(), (pg_last_wal_replay_lsn() - '0/0')::bigint";

    private final Map<String, ServerState> servers = new ConcurrentHashMap<>();

    /** Per standby of a node that spans servers, how far behind it was at the probe's last round. */
    private final Map<String, NodeStatus> standbyLag = new ConcurrentHashMap<>();

    /** The server run each physical connection reached, asked once per connection; weak, so closed ones go. */
    private final Map<BaseConnection, ServerId> reached = Collections.synchronizedMap(new WeakHashMap<>());

    /** The cluster of the main node's servers, 0 before the first reading. */
    private volatile long systemIdentifier;

    /** The newest timeline a primary of the cluster was seen on, 0 before any. */
    private volatile int newestTimeline;

    /** The timeline of the primary now (or last, while none qualifies), 0 before any. */
    private volatile int primaryTimeline;

    /** The first position seen of the primary on its timeline: a token of an older one counts up to here. */
    private volatile long primaryTimelineStart;

    /** The address of the primary now, {@code null} when no server qualifies (or none was read yet). */
    private volatile @Nullable String primary;

    /**
     * The last server that was the primary, kept while it does not answer: without an HA manager, a
     * server of an older timeline must not take over from one that is only unreachable.
     */
    private @Nullable String lastPrimary;

    private int lastPrimaryTimeline;

    /** Whether the cluster's HA manager has answered since the engine started. */
    private boolean managerAnswered;

    private volatile boolean observed;

    /** Bumped when the primary changes or a server changes role: held sessions are judged again. */
    private volatile int epoch;

    private volatile boolean primaryReachable = true;

    /** The primary's last position the probe read, 0 before any. */
    private final AtomicLong primaryPosition = new AtomicLong();

    /** The writable servers last reported together, so the warning is said once per split. */
    private Set<String> reportedWritable = Set.of();

    /**
     * Takes in one probe round: every server read (of every node), and what the HA manager said.
     *
     * @param readings the servers that answered
     * @param mainReadings those of them read for the main node
     * @param leader the address of the leader the HA manager names; {@code null} when it names none or
     * was not asked
     * @param leaderAsked whether an HA manager answered this round
     * @param authorityConfigured whether an HA manager is configured (asked or not this round)
     */
    synchronized void observe(Collection<ServerReading> readings, Collection<ServerReading> mainReadings,
            @Nullable String leader, boolean leaderAsked, boolean authorityConfigured) {
        if (systemIdentifier == 0 && !mainReadings.isEmpty()) {
            systemIdentifier = mainReadings.iterator().next().systemIdentifier();
        }
        boolean changed = false;
        // This round's readings, by server: the map of states may gain a state without a reading meanwhile.
        Map<String, ServerReading> read = new HashMap<>();
        Map<String, ServerReading> writable = new TreeMap<>();
        for (ServerReading reading : readings) {
            if (reading.server() == null) {
                continue;
            }
            ServerState last = servers.get(reading.server());
            ServerState state = last != null && last.startedAt.equals(reading.startedAt()) ? last
                    : new ServerState(reading.startedAt());
            ServerReading before = last != null ? last.reading : null;
            changed |= before != null && before.inRecovery() != reading.inRecovery();
            state.reading = reading;
            if (reading.replayPosition() != null) {
                state.replayed(reading.replayPosition());
            }
            servers.put(reading.server(), state);
            read.put(reading.server(), reading);
            if (!reading.inRecovery()) {
                // A standby's lag stops counting once it is promoted.
                standbyLag.remove(reading.server());
            }
            if (ofCluster(reading) && !reading.inRecovery()) {
                writable.put(reading.server(), reading);
            }
        }
        liftGuard(writable, read);
        managerAnswered |= leaderAsked;
        // A manager that never answered since start has named nobody: the servers' own readings decide till then.
        String now = authorityConfigured && managerAnswered ? managersPrimary(writable, read, leader, leaderAsked)
                : primaryOf(writable, read);
        changed |= !Objects.equals(now, primary);
        reportSplit(writable.keySet(), now);
        ServerReading primaryReading = now != null ? writable.get(now) : null;
        primaryReachable = primaryReading != null;
        if (primaryReading != null) {
            lastPrimary = now;
            lastPrimaryTimeline = primaryReading.timeline();
            // Its timeline before its address: a routing thread that sees the new primary judges by its timeline.
            followTimeline(primaryReading);
        }
        primary = now;
        // A round that read no server (all down, or the probe cannot log in) says nothing to judge by.
        observed |= !read.isEmpty();
        if (changed) {
            epoch++;
        }
    }

    /** The primary's timeline and position: a new timeline starts where it is first seen. */
    private void followTimeline(ServerReading primaryReading) {
        int timeline = primaryReading.timeline();
        Long position = primaryReading.walPosition();
        if (timeline > newestTimeline && newestTimeline > 0) {
            logger.info("The cluster is on timeline {} now (was {}): a promotion happened", timeline, newestTimeline);
        }
        newestTimeline = Math.max(newestTimeline, timeline);
        if (position != null) {
            if (timeline != primaryTimeline || primaryTimelineStart == 0) {
                primaryTimelineStart = position;
            }
            primaryPosition.set(position);
        }
        primaryTimeline = timeline;
    }

    /**
     * The primary as the HA manager decides: the leader it names, once writable; the same primary while it
     * only did not answer this round. While the manager cannot be asked, the primary it named last stays
     * (writable, or unreachable) and no other server takes over: in a split brain the newest timeline is
     * the side the manager discards.
     */
    private @Nullable String managersPrimary(Map<String, ServerReading> writable, Map<String, ServerReading> read,
            @Nullable String leader, boolean leaderAsked) {
        if (leaderAsked && leader != null && writable.containsKey(leader)) {
            return leader;
        }
        boolean keep = primary != null && (!leaderAsked || primary.equals(leader))
                && (writable.containsKey(primary) || !read.containsKey(primary));
        return keep ? primary : null;
    }

    /**
     * The primary without an HA manager: a writable server of the cluster on the newest timeline of them,
     * never older than the last primary's while that does not answer (a server of an older timeline must
     * not take over from one that is only unreachable), the current primary first; the current primary
     * still while it only did not answer this round and no other qualifies. A split brain once resolved
     * leaves one writable server, on whichever timeline the cluster's manager kept.
     */
    private @Nullable String primaryOf(Map<String, ServerReading> writable, Map<String, ServerReading> read) {
        int timeline = lastPrimary != null ? lastPrimaryTimeline : 0;
        for (ServerReading reading : writable.values()) {
            timeline = Math.max(timeline, reading.timeline());
        }
        String candidate = null;
        for (Map.Entry<String, ServerReading> server : writable.entrySet()) {
            if (server.getValue().timeline() == timeline) {
                if (server.getKey().equals(primary)) {
                    return primary;
                }
                candidate = candidate == null ? server.getKey() : candidate;
            }
        }
        if (candidate == null && primary != null && !read.containsKey(primary)) {
            return primary;
        }
        return candidate;
    }

    /**
     * Ends the guard of the last primary's timeline: when that server answers (whatever it is now, the
     * probe sees it), or when a standby of the cluster streams on the timeline of a writable server (the
     * cluster's replication follows that one: the last primary was discarded, not only unreachable).
     */
    private void liftGuard(Map<String, ServerReading> writable, Map<String, ServerReading> read) {
        if (lastPrimary == null) {
            return;
        }
        boolean followed = read.values().stream().anyMatch(reading -> reading.inRecovery() && ofCluster(reading)
                && Boolean.TRUE.equals(reading.streaming()) && writable.values().stream()
                        .anyMatch(server -> server.timeline() == reading.timeline()));
        if (read.containsKey(lastPrimary) || followed) {
            lastPrimary = null;
        }
    }

    private void reportSplit(Set<String> writable, @Nullable String now) {
        if (writable.size() > 1 && !writable.equals(reportedWritable)) {
            logger.error("Two writable servers in one cluster (a split brain): {}. Writes go only to {}; what another "
                    + "accepts is lost when the cluster resolves it", writable, now != null ? now : "none until one "
                    + "is the primary");
        }
        reportedWritable = writable.size() > 1 ? writable : Set.of();
    }

    private boolean ofCluster(ServerReading reading) {
        return systemIdentifier == 0 || reading.systemIdentifier() == systemIdentifier;
    }

    /**
     * Returns why work for {@code role} may not run on {@code server} now, or {@code null} when it may.
     * Nothing is refused before the probe has read the cluster.
     */
    @Nullable String refusal(ServerRole role, ServerId server) {
        if (!observed) {
            return null;
        }
        if (role == ServerRole.PRIMARY && server.address().equals(primary)) {
            return null;
        }
        ServerState state = servers.get(server.address());
        ServerReading reading = state != null ? state.reading : null;
        if (state != null && reading != null && !state.startedAt.equals(server.startedAt())) {
            return "it restarted and the probe has not read it since";
        }
        if (reading == null) {
            // A server the probe has not read: a node that writes takes only the primary it knows.
            return role == ServerRole.PRIMARY ? "it is not the cluster's primary (" + (primary != null ? primary
                    : "none now") + " is)" : null;
        }
        if (diverged(reading)) {
            return "it is a standby on timeline " + reading.timeline() + ", ahead of the primary's " + primaryTimeline
                    + ": it holds writes the cluster discarded (a split brain's other side) until it is rebuilt";
        }
        if (role == ServerRole.ANY) {
            return null;
        }
        if (role == ServerRole.NOT_FENCED) {
            return fenced(reading) ? "it is writable but not the cluster's primary (" + (primary != null ? primary
                    : "none now") + " is): fenced, its writes would be lost" : null;
        }
        if (role == ServerRole.STANDBY) {
            // A writable server of another cluster (a logical subscriber) is the driver's to judge.
            return reading.inRecovery() || !ofCluster(reading) ? null
                    : "it is writable (a primary now), and the node wants standbys";
        }
        if (!ofCluster(reading)) {
            return "it belongs to another cluster (system identifier " + reading.systemIdentifier() + ")";
        }
        if (reading.inRecovery()) {
            return "it is a standby now";
        }
        return "it is writable but not the cluster's primary (" + (primary != null ? primary : "none now")
                + " is): fenced, its writes would be lost";
    }

    /**
     * Whether {@code reading} is of a standby of the cluster on a timeline ahead of the primary's: it was
     * promoted once (by hand, or by a manager that then kept another leader) and wrote what the primary
     * never had, so its positions cannot be compared with the primary's.
     */
    boolean diverged(ServerReading reading) {
        return reading.inRecovery() && ofCluster(reading) && primary != null && reading.timeline() > primaryTimeline;
    }

    /**
     * Whether {@code server}'s replay positions say nothing about the primary's: a server of another
     * cluster, a standby that {@link #diverged}, one still on an older timeline than the primary's (it may
     * hold what the old primary wrote past the new timeline's start), or, once the probe has read the
     * cluster, a run it has not read.
     */
    boolean incomparable(ServerId server) {
        ServerState state = servers.get(server.address());
        ServerReading reading = state != null ? state.reading : null;
        if (state == null || reading == null || !state.startedAt.equals(server.startedAt())) {
            return observed && state != null;
        }
        return !ofCluster(reading) || diverged(reading)
                || reading.inRecovery() && primary != null && reading.timeline() < primaryTimeline;
    }

    /** Records how far behind the standby {@code server} was at this probe round. */
    void standbyLag(String server, NodeStatus status) {
        standbyLag.put(server, status);
    }

    /**
     * Returns why {@code server}, a standby of a node that spans servers, is too far behind for
     * {@code limits}, or {@code null} when it is not (or nothing is known of it).
     */
    @Nullable String lagRefusal(ServerId server, LagLimits limits) {
        NodeStatus status = limits.none() || isPrimary(server) ? null : standbyLag.get(server.address());
        if (status == null || limits.admit(status)) {
            return null;
        }
        return Boolean.FALSE.equals(status.streaming()) && !status.primaryLost() ? "it is not streaming WAL"
                : "it lags " + status.lag() + (status.lagBytes() != null ? ", " + status.lagBytes() + " bytes of WAL"
                        : "") + ", beyond " + limits;
    }

    /** Whether {@code server} is the cluster's primary now. */
    boolean isPrimary(ServerId server) {
        return server.address().equals(primary);
    }

    /** Whether the probe read {@code server} as a server of another cluster than the main node's. */
    boolean ofAnotherCluster(ServerId server) {
        ServerState state = servers.get(server.address());
        ServerReading reading = state != null ? state.reading : null;
        return reading != null && !ofCluster(reading);
    }

    /** Whether {@code reading} is of a server of another cluster than the main node's. */
    boolean ofAnotherCluster(ServerReading reading) {
        return !ofCluster(reading);
    }

    /** Whether {@code reading}'s server is writable but not the primary now (a split brain's other side). */
    boolean fenced(ServerReading reading) {
        return observed && ofCluster(reading) && !reading.inRecovery() && reading.server() != null
                && !reading.server().equals(primary);
    }

    /** The server run a physical connection reached, when it was asked already; {@code null} otherwise. */
    @Nullable ServerId knownReach(BaseConnection driver) {
        return reached.get(driver);
    }

    /**
     * Asks a physical connection's server which run it is, in one round trip that also records how far a
     * standby has replayed, and remembers the answer for the connection's life. The connection must be in
     * auto-commit, so that the question opens no transaction of the caller's.
     *
     * @param node the node's name, which stands for the server over a Unix socket
     */
    ServerId askReach(BaseConnection driver, Connection connection, String node) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(IDENTITY);
                ResultSet result = statement.executeQuery()) {
            result.next();
            String address = result.getString(1);
            ServerId id = new ServerId("local".equals(address) ? "local:" + node : ServerAddresses.normalize(address),
                    result.getTimestamp(2).toInstant());
            long replay = result.getLong(3);
            if (!result.wasNull()) {
                replayed(id, replay);
            }
            reached.put(driver, id);
            return id;
        }
    }

    /** How far the run {@code server} is seen to have replayed, 0 when nothing is known of that run. */
    long replayed(ServerId server) {
        ServerState state = servers.get(server.address());
        ServerReading reading = state != null ? state.reading : null;
        if (state == null || !state.startedAt.equals(server.startedAt()) || reading != null && diverged(reading)) {
            return 0;
        }
        return state.replayed.get();
    }

    /**
     * Records that the run {@code server} has replayed up to {@code position}; an older reading changes
     * nothing. A run other than the one the probe read is not recorded: the probe's reading says what the
     * server is, and must not give way to a state without one.
     */
    void replayed(ServerId server, long position) {
        ServerState state = servers.compute(server.address(), (address, last) -> last == null
                || !last.startedAt.equals(server.startedAt()) && last.reading == null
                        ? new ServerState(server.startedAt()) : last);
        if (state.startedAt.equals(server.startedAt())) {
            state.replayed(position);
        }
    }

    /** Takes the main node's cluster as read from its server, when the probe has not read it yet. */
    synchronized void learned(long systemIdentifier) {
        if (this.systemIdentifier == 0) {
            this.systemIdentifier = systemIdentifier;
        }
    }

    /** The primary's position at the probe's last reading, 0 before any. */
    long primaryPosition() {
        return primaryPosition.get();
    }

    /** Whether the last probe round reached the primary (true before any round). */
    boolean primaryReachable() {
        return primaryReachable;
    }

    /** Whether the probe has read the cluster at least once. */
    boolean observed() {
        return observed;
    }

    /** The main node's cluster, 0 while unknown. */
    long systemIdentifier() {
        return systemIdentifier;
    }

    /** The timeline of the primary now (or last), 0 before any. */
    int primaryTimeline() {
        return primaryTimeline;
    }

    /** Where the primary's timeline was first seen: no server of it has less of an older one. */
    long primaryTimelineStart() {
        return primaryTimelineStart;
    }

    int epoch() {
        return epoch;
    }

    /** The primary's address now, {@code null} when none qualifies or the probe has not read the cluster. */
    @Nullable String primary() {
        return primary;
    }

    /** One server: its last reading, and the furthest it replayed in this run. */
    private static final class ServerState {

        private final Instant startedAt;

        private final AtomicLong replayed = new AtomicLong();

        /** {@code null} for a server only read-your-writes has looked at so far. */
        private volatile @Nullable ServerReading reading;

        private ServerState(Instant startedAt) {
            this.startedAt = startedAt;
        }

        private void replayed(long position) {
            // A plain read first: most readings are not newer, and need no compare-and-set.
            if (position > replayed.get()) {
                replayed.accumulateAndGet(position, Math::max);
            }
        }
    }
}
