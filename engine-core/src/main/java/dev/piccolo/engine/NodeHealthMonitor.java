package dev.piccolo.engine;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.piccolo.engine.jdbc.PrimaryWalHistory;
import dev.piccolo.engine.jdbc.ServerReading;
import org.jspecify.annotations.Nullable;
import org.postgresql.hostchooser.GlobalHostStatusTracker;
import org.postgresql.hostchooser.HostStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background health probe: every interval, each server of each node (every host its config lists,
 * read on its own, all at once on daemon threads) answers a cheap query over a connection of its own
 * bounded by the probe timeout, and the cluster's HA manager, when configured, names its leader. The readings feed
 * the {@link ClusterView} (which server is the primary, the timelines, how far each standby replayed)
 * and give each node its status ({@link EngineNode#status()}): up when a server that may serve it answered,
 * and a replica's lag against the primary's WAL positions ({@link PrimaryWalHistory}). A change of state
 * is logged once and reported to the {@link RoutingListener}; the driver is told each server's role, so
 * that new connections pick by what the probe saw rather than by what the driver remembers. Thread-safe.
 */
final class NodeHealthMonitor implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(NodeHealthMonitor.class);


    /** The engine's nodes now, the main node first: the topology may change between rounds. */
    private final Supplier<List<EngineNode>> nodes;

    private final HealthProbeOptions options;

    private final RoutingListener listener;

    private final ClusterView cluster;

    private final @Nullable ClusterAuthority authority;

    private final PrimaryWalHistory primaryHistory = new PrimaryWalHistory();

    /** Per node, what its servers' roles were at the last round, to say a change once. */
    private final Map<EngineNode, Map<String, Boolean>> lastRoles = new HashMap<>();

    /** Per node, the warnings already logged, so each is said once while it lasts. */
    private final Map<EngineNode, Set<String>> warned = new HashMap<>();

    private boolean authorityFailing;

    private volatile boolean closed;

    /** Whether {@link #start()} has run its first round: rounds run one at a time on the scheduler after it. */
    private volatile boolean started;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            daemon("piccolo-health-probe"));

    /** Reads the servers of a round at once: a host that does not answer costs one timeout, not one per host. */
    private final ExecutorService readers = Executors.newCachedThreadPool(daemon("piccolo-health-probe-reader"));

    NodeHealthMonitor(Supplier<List<EngineNode>> nodes, HealthProbeOptions options, RoutingListener listener,
            ClusterView cluster, @Nullable ClusterAuthority authority) {
        this.nodes = nodes;
        this.options = options;
        this.listener = listener;
        this.cluster = cluster;
        this.authority = authority;
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Probes every node once now, then every interval in the background. */
    void start() {
        probeAll();
        started = true;
        scheduler.scheduleWithFixedDelay(this::probeAll, options.interval().toMillis(), options.interval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void probeAll() {
        try {
            probeRound();
        }
        catch (RuntimeException ex) {
            // Thrown out of a scheduled task, it would cancel every later round: roles would no longer be followed.
            if (!closed) {
                logger.warn("A health probe round failed; the next one runs as planned", ex);
            }
        }
    }

    /** Runs a round soon, outside the schedule: a node joined and waits for its first status. */
    void probeSoon() {
        if (!started) {
            // Not started: the first round, at the start, looks at every node there is then.
            return;
        }
        try {
            scheduler.execute(this::probeAll);
        }
        catch (RejectedExecutionException ex) {
            // Closed meanwhile: no round is wanted any more.
        }
    }

    private void probeRound() {
        List<EngineNode> nodes = this.nodes.get();
        // What was remembered of nodes removed since: nothing more is said of them.
        lastRoles.keySet().retainAll(nodes);
        warned.keySet().retainAll(nodes);
        Map<EngineNode, List<CompletableFuture<Probe>>> pendingProbes = new LinkedHashMap<>();
        for (EngineNode node : nodes) {
            pendingProbes.put(node, node.probeTargets().stream()
                    .map(host -> CompletableFuture.supplyAsync(() -> probe(node, host), readers)).toList());
        }
        Map<EngineNode, List<Probe>> probes = new LinkedHashMap<>();
        List<ServerReading> readings = new ArrayList<>();
        // Each probe is bounded by the probe timeout (connecting and reading) and never throws.
        pendingProbes.forEach((node, pending) -> {
            List<Probe> ofNode = pending.stream().map(CompletableFuture::join).toList();
            probes.put(node, ofNode);
            ofNode.stream().map(Probe::reading).filter(read -> read != null).forEach(readings::add);
        });
        List<ServerReading> main = Objects.requireNonNull(probes.get(nodes.get(0)), "every node is probed").stream().map(Probe::reading)
                .filter(reading -> reading != null).toList();
        if (closed) {
            // Closing interrupted the round: what it read of the servers says nothing about them.
            return;
        }
        askAuthorityAndObserve(readings, main);
        String primary = cluster.primary();
        for (ServerReading reading : readings) {
            if (reading.server() != null && reading.server().equals(primary) && reading.walPosition() != null) {
                primaryHistory.record(Instant.now(), reading.walPosition(), reading.timeline());
                break;
            }
        }
        // No pool is renewed when a role changes: each connection's server is judged when it is next used,
        // and the host chooser sends new ones where they belong.
        probes.forEach((node, ofNode) -> {
            tellDriver(ofNode);
            tellChooser(node, ofNode);
            record(node, status(node, ofNode));
        });
    }

    private void askAuthorityAndObserve(List<ServerReading> readings, List<ServerReading> main) {
        if (authority == null) {
            cluster.observe(readings, main, null, false, false);
            return;
        }
        try {
            String leader = authority.leader(options.timeout());
            if (authorityFailing) {
                authorityFailing = false;
                logger.info("{} answers again: writes go only to the leader it names", authority);
            }
            cluster.observe(readings, main, leader, true, true);
        }
        catch (IOException ex) {
            if (!authorityFailing) {
                authorityFailing = true;
                logger.warn("{} cannot be asked for the leader ({}); until it answers, the primary it named last "
                        + "stays the primary, and no other server takes writes", authority, ex.getMessage());
            }
            cluster.observe(readings, main, null, false, true);
        }
    }

    private Probe probe(EngineNode node, String host) {
        Instant now = Instant.now();
        try (Connection connection = node.openProbeConnection(host, options.timeout())) {
            return new Probe(host, now, ServerReading.read(connection, options.timeout()), null);
        }
        catch (SQLException | RuntimeException ex) {
            return new Probe(host, now, null, ex.getMessage());
        }
    }

    /**
     * The node's status from its servers': with one server, what it said; with several, the servers that
     * may serve the node's role now, the node's lag the worst of theirs (what its health and metrics show).
     * Each server's own status goes to the node and the cluster too: routing takes the node while one of
     * them is within a lag limit, and a unit of work under the limit avoids the others connection by
     * connection ({@link ClusterView#lagRefusal}).
     */
    private NodeStatus status(EngineNode node, List<Probe> probes) {
        List<String> warnings = warnings(node, probes);
        followRoles(node, probes);
        node.observed().serverReadings(probes.stream().map(Probe::reading).filter(Objects::nonNull).toList());
        List<ServerReading> serving = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        Instant at = probes.get(0).at();
        boolean judgedByServer = probes.size() > 1 || node.role() == ServerRole.STANDBY;
        for (Probe probe : probes) {
            ServerReading reading = probe.reading();
            if (reading == null) {
                refused.add(probe.host() + " is down (" + probe.error() + ")");
                continue;
            }
            String refusal = judgedByServer && reading.server() != null
                    ? cluster.refusal(node.role(), new ServerId(reading.server(), reading.startedAt())) : null;
            if (refusal == null) {
                serving.add(reading);
            }
            else {
                refused.add(probe.host() + ": " + refusal);
            }
        }
        ServerReading only = probes.size() == 1 ? probes.get(0).reading() : null;
        boolean writes = node.role() == ServerRole.PRIMARY || node.role() == ServerRole.NOT_FENCED;
        node.observed().writeRefusal(only != null && writes && cluster.fenced(only)
                ? "is writable but not the cluster's primary (" + (cluster.primary() != null ? cluster.primary()
                        : "none now") + " is): fenced, its writes would be lost" : null);
        if (serving.isEmpty()) {
            return NodeStatus.down(at, probes.size() == 1 && probes.get(0).reading() == null ? probes.get(0).error()
                    : "no server of the node may serve it now: " + String.join("; ", refused), warnings);
        }
        // An extra node with any standby among its servers has its reads judged server by server; the main
        // node is read-only only when all its servers are standbys.
        node.observed().inRecovery(NodeNames.PRIMARY.equals(node.name()) ? serving.stream().allMatch(ServerReading::inRecovery)
                : serving.stream().anyMatch(ServerReading::inRecovery));
        List<NodeStatus> servers = new ArrayList<>();
        List<NodeStatus> standbys = new ArrayList<>();
        for (ServerReading reading : serving) {
            NodeStatus own = reading.inRecovery() ? standbyStatus(reading, at, warnings)
                    : new NodeStatus(true, null, null, null, at, null, false, warnings);
            if (reading.inRecovery()) {
                standbys.add(own);
                if (probes.size() > 1 && reading.server() != null) {
                    cluster.standbyLag(reading.server(), own);
                }
            }
            servers.add(own);
        }
        node.observed().serverStatuses(probes.size() > 1 ? servers : List.of());
        return worstOf(standbys, standbys.size() == servers.size(), at, warnings);
    }

    /**
     * The node's status from its standbys' own: the worst lag, streaming only when all stream, the primary
     * lost only when every server is a standby that counts it lost.
     */
    private static NodeStatus worstOf(List<NodeStatus> standbys, boolean onlyStandbys, Instant at,
            List<String> warnings) {
        Duration lag = null;
        Long lagBytes = null;
        Boolean streaming = null;
        boolean primaryLost = onlyStandbys;
        for (NodeStatus standby : standbys) {
            lag = standby.lag() != null && (lag == null || standby.lag().compareTo(lag) > 0) ? standby.lag() : lag;
            lagBytes = standby.lagBytes() != null && (lagBytes == null || standby.lagBytes() > lagBytes)
                    ? standby.lagBytes() : lagBytes;
            streaming = standby.streaming() == null ? streaming
                    : streaming == null ? standby.streaming() : streaming && standby.streaming();
            primaryLost &= standby.primaryLost();
        }
        return new NodeStatus(true, lag, lagBytes, streaming, at, null, primaryLost, warnings);
    }

    /**
     * A standby's own status: its lag against the primary's positions; with the primary unreachable, a
     * standby that replayed everything the primary was last seen to have is fresh ({@link NodeStatus#primaryLost()}).
     */
    private NodeStatus standbyStatus(ServerReading reading, Instant at, List<String> warnings) {
        boolean caughtUp = reading.replayPosition() != null && cluster.primaryPosition() > 0
                && reading.replayPosition() >= cluster.primaryPosition();
        boolean primaryLost = !cluster.primaryReachable() && caughtUp;
        Duration lag = primaryLost ? Duration.ZERO : primaryHistory.lagOf(reading.replayPosition(), reading.lag(), at);
        Long bytes = reading.bytesBehind(cluster.primaryPosition() > 0 ? cluster.primaryPosition() : null);
        return new NodeStatus(true, lag, bytes, reading.streaming(), at, null, primaryLost, warnings);
    }

    /** What is wrong with the node's servers, logged once when it starts. */
    private List<String> warnings(EngineNode node, List<Probe> probes) {
        List<String> warnings = new ArrayList<>();
        for (Probe probe : probes) {
            ServerReading reading = probe.reading();
            if (reading == null) {
                continue;
            }
            if (cluster.ofAnotherCluster(reading)) {
                warnings.add(probe.host() + " belongs to another cluster (system identifier "
                        + reading.systemIdentifier() + ", the main node's is " + cluster.systemIdentifier()
                        + "): its lag is not measured against the primary and read-your-writes cannot judge it");
            }
            else if (cluster.fenced(reading)) {
                warnings.add(probe.host() + " is writable but not the cluster's primary ("
                        + (cluster.primary() != null ? cluster.primary() : "none now") + " is): no work that may "
                        + "write runs there");
            }
            else if (cluster.diverged(reading)) {
                warnings.add(probe.host() + " is a standby on timeline " + reading.timeline() + ", ahead of the "
                        + "primary's: it holds writes the cluster discarded, and serves nothing until it is rebuilt");
            }
            else if (probes.size() > 1 && Boolean.FALSE.equals(reading.streaming()) && cluster.primaryReachable()) {
                warnings.add(probe.host() + " is not streaming WAL: work under a lag limit avoids it");
            }
        }
        Set<String> said = warned.computeIfAbsent(node, key -> new HashSet<>());
        for (String warning : warnings) {
            if (said.add(warning)) {
                logger.warn("Node '{}': {}", node.name(), warning);
            }
        }
        said.retainAll(warnings);
        return warnings;
    }

    /** The driver keeps its own idea of each host's role for a while; the probe's is newer. */
    private void tellDriver(List<Probe> probes) {
        if (probes.size() < 2) {
            return;
        }
        for (Probe probe : probes) {
            ServerReading reading = probe.reading();
            if (reading != null) {
                boolean secondary = reading.inRecovery() || cluster.fenced(reading)
                        || cluster.ofAnotherCluster(reading);
                GlobalHostStatusTracker.reportHostStatus(HostChooser.hostSpec(probe.host()),
                        secondary ? HostStatus.Secondary : HostStatus.Primary);
            }
        }
    }

    /** The node's host chooser learns which server each host reached, then evens out its connections. */
    private static void tellChooser(EngineNode node, List<Probe> probes) {
        node.hostChooser().ifPresent(chooser -> {
            for (Probe probe : probes) {
                ServerReading reading = probe.reading();
                chooser.probed(probe.host(), reading != null && reading.server() != null
                        ? new ServerId(reading.server(), reading.startedAt()) : null);
            }
            chooser.rebalance();
        });
    }

    /** A server that enters or leaves recovery is said once; one host reaching several servers marks the node. */
    private void followRoles(EngineNode node, List<Probe> probes) {
        Map<String, Boolean> roles = new HashMap<>();
        for (Probe probe : probes) {
            if (probe.reading() != null && probe.reading().server() != null) {
                roles.put(probe.reading().server(), probe.reading().inRecovery());
            }
        }
        Map<String, Boolean> last = lastRoles.put(node, roles);
        if (last == null) {
            return;
        }
        if (probes.size() == 1 && !roles.isEmpty() && !last.isEmpty() && !last.keySet().equals(roles.keySet())) {
            node.observed().spansServers(true);
        }
        roles.forEach((server, inRecovery) -> {
            Boolean before = last.get(server);
            if (Boolean.FALSE.equals(before) && inRecovery) {
                logger.warn("Node '{}': server {} is in recovery now (a standby, after a failover or a demotion); "
                        + "work on it that may write goes elsewhere or fails until a primary serves", node.name(),
                        server);
            }
            else if (Boolean.TRUE.equals(before) && !inRecovery) {
                logger.info("Node '{}': server {} left recovery (promoted)", node.name(), server);
            }
        });
    }

    private void record(EngineNode node, NodeStatus status) {
        NodeStatus previous = node.status();
        node.observed().status(status);
        if (status.up() && !Boolean.FALSE.equals(status.streaming())) {
            node.seenServing();
        }
        logStreamingChange(node, previous, status);
        if (previous.up() == status.up() && previous.checkedAt() != null) {
            return;
        }
        if (previous.checkedAt() == null && status.up()) {
            return;
        }
        if (status.up()) {
            logger.info("Node '{}' is up", node.name());
        }
        else {
            logger.warn("Node '{}' is down: {}", node.name(), status.error());
        }
        listener.onStatusChange(node.name(), status);
    }

    /** A replica that stops or resumes streaming is said once, not at every probe. */
    private static void logStreamingChange(EngineNode node, NodeStatus previous, NodeStatus status) {
        if (status.streaming() == null || status.streaming().equals(previous.streaming())) {
            return;
        }
        if (!status.streaming()) {
            logger.warn("Node '{}' is not streaming WAL from its primary: it serves ever older rows, and a lag limit "
                    + "excludes it until it streams again{}", node.name(), status.primaryLost()
                            ? " (or, while the primary cannot be reached, once it is behind what the primary was "
                                    + "last seen to have)" : "");
        }
        else if (Boolean.FALSE.equals(previous.streaming())) {
            logger.info("Node '{}' is streaming WAL again", node.name());
        }
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        readers.shutdownNow();
    }

    private record Probe(String host, Instant at, @Nullable ServerReading reading, @Nullable String error) {
    }
}
