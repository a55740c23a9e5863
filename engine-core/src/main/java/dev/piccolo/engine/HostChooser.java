package dev.piccolo.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

import dev.piccolo.engine.jdbc.ConnectionUrls;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGProperty;
import org.postgresql.core.BaseConnection;
import org.postgresql.util.HostSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order in which the driver tries the hosts of a node that lists several, for each new physical
 * connection, from what the health probe saw of their servers: the cluster's primary first for a node
 * that writes, standbys with the fewest of this node's connections first for a load-balanced node of
 * standbys, and servers the cluster refuses for the node's role last. PgJDBC alone picks by its own
 * memory of roles, which it refreshes only when it connects and which cannot tell a fenced writable
 * server (a split brain's other side) from the primary; and its random choice leaves a standby that
 * rejoins without connections for as long as the pool keeps the ones it has. The driver still checks
 * {@code targetServerType} on the server it reaches. Before the probe has read the cluster, the
 * configured order and the driver's own choice stand. Thread-safe.
 */
final class HostChooser {

    private static final Logger logger = LoggerFactory.getLogger(HostChooser.class);

    private final String node;

    /** The configured {@code host:port} entries, in the configured order. */
    private final List<String> hosts;

    private final ServerRole role;

    /** Whether the node asked the driver to spread its connections ({@code loadBalanceHosts}). */
    private final boolean balanced;

    private final ClusterView cluster;

    /** The strictest lag limits a route to the node applies: new connections avoid standbys beyond them. */
    private final LagLimits strictestLimits;

    /** The server run each host reached at the probe's last round; a host that did not answer has none. */
    private final Map<String, ServerId> servers = new ConcurrentHashMap<>();

    /** The connections of a node that {@link #spreads()}, with the host each reached; closed ones are dropped. */
    private final Queue<Opened> opened = new ConcurrentLinkedQueue<>();

    /** Connections to end when next released, so that their replacements reach a standby that has none. */
    private final Set<BaseConnection> retiring = ConcurrentHashMap.newKeySet();

    HostChooser(String node, List<String> hosts, ServerRole role, boolean balanced, ClusterView cluster,
            LagLimits strictestLimits) {
        this.node = node;
        this.hosts = List.copyOf(hosts);
        this.role = role;
        this.balanced = balanced;
        this.cluster = cluster;
        this.strictestLimits = strictestLimits;
    }

    /**
     * Records what the probe read on {@code host} this round, {@code null} when it did not answer.
     *
     * @param host one of the configured {@code host:port} entries
     * @param server the server run it reached
     */
    void probed(String host, @Nullable ServerId server) {
        if (server == null) {
            servers.remove(host);
        }
        else {
            servers.put(host, server);
        }
    }

    /**
     * Returns the hosts in the order the driver should try them for the next connection.
     *
     * @return every configured host, each once
     */
    List<String> order() {
        if (role == ServerRole.ANY) {
            return hosts;
        }
        Map<String, Integer> counts = spreads() ? liveConnections() : Map.of();
        List<String> ordered = new ArrayList<>(hosts);
        if (balanced) {
            // Ties go in a random order, as the driver's own balancing would, so several applications spread.
            Collections.shuffle(ordered, ThreadLocalRandom.current());
        }
        ordered.sort(Comparator.comparingInt(this::rank).thenComparingInt(host -> counts.getOrDefault(host, 0)));
        return ordered;
    }

    /**
     * Adjusts the driver's properties for a connection made in {@link #order()}'s order: the driver must
     * not shuffle it again.
     *
     * @param properties the node's driver properties, changed in place
     * @return {@code properties}
     */
    Properties inOrder(Properties properties) {
        if (role != ServerRole.ANY) {
            properties.remove(PGProperty.LOAD_BALANCE_HOSTS.getName());
        }
        return properties;
    }

    /**
     * 0: the server the role wants, known; 1: not known; 2: known and refused for the role, or a standby
     * beyond the strictest lag limits of the node's routes.
     */
    private int rank(String host) {
        ServerId server = servers.get(host);
        if (server == null || !cluster.observed()) {
            return 1;
        }
        if (cluster.refusal(role, server) != null || cluster.lagRefusal(server, strictestLimits) != null) {
            return 2;
        }
        return role == ServerRole.PRIMARY && !server.address().equals(cluster.primary()) ? 1 : 0;
    }

    /**
     * Records a physical connection the node just opened, to count it against the host it reached.
     *
     * @param driver the driver's connection
     */
    void opened(BaseConnection driver) {
        if (!spreads()) {
            return;
        }
        // Pruned here too, so that connections closed while nothing asks for the counts are not kept.
        opened.removeIf(entry -> entry.connection().getQueryExecutor().isClosed());
        HostSpec reached = driver.getQueryExecutor().getHostSpec();
        String host = hosts.stream().filter(entry -> hostSpec(entry).equals(reached)).findFirst()
                .orElse(reached.toString());
        opened.add(new Opened(driver, host));
    }

    /** Whether the node's connections are spread evenly over its standbys, and so counted per host. */
    private boolean spreads() {
        return balanced && role == ServerRole.STANDBY;
    }

    /** The node's open connections per host. */
    private Map<String, Integer> liveConnections() {
        opened.removeIf(entry -> entry.connection().getQueryExecutor().isClosed());
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        opened.forEach(entry -> counts.merge(entry.host(), 1, Integer::sum));
        return counts;
    }

    /**
     * Once per probe round, for a load-balanced node of standbys: while the standbys that may serve the
     * node hold uneven shares of its connections (two or more apart, as when one comes back to a pool that
     * kept the others' connections), one connection of the busiest is marked to end at its next release;
     * its replacement goes to the standby with the fewest ({@link #order()}). A rejoined standby thus takes
     * reads within a round or two and its share within a few, without renewing the whole pool.
     */
    void rebalance() {
        if (!spreads() || !cluster.observed()) {
            return;
        }
        Map<String, Integer> counts = liveConnections();
        List<String> serving = hosts.stream().filter(host -> rank(host) == 0).toList();
        Comparator<String> byConnections = Comparator.comparingInt(host -> counts.getOrDefault(host, 0));
        String busiest = serving.stream().max(byConnections).orElse(null);
        String idlest = serving.stream().min(byConnections).orElse(null);
        int moves = busiest == null ? 0 : (counts.getOrDefault(busiest, 0) - counts.getOrDefault(idlest, 0)) / 2;
        retiring.removeIf(connection -> connection.getQueryExecutor().isClosed());
        if (moves == 0) {
            retiring.clear();
            return;
        }
        if (retiring.size() >= moves) {
            // Enough are marked already; the ones idle meanwhile go when next used.
            return;
        }
        opened.stream().filter(entry -> entry.host().equals(busiest) && !retiring.contains(entry.connection()))
                .findFirst().ifPresent(entry -> {
                    logger.debug("Node '{}': a connection to {} is replaced at its next release, so that {} gets its "
                            + "share", node, busiest, idlest);
                    retiring.add(entry.connection());
                });
    }

    /**
     * Whether {@code connection} should end instead of going back to the pool ({@link #rebalance()}).
     *
     * @param connection the driver's connection about to be released
     * @return {@code true} once, for a connection marked
     */
    boolean retire(BaseConnection connection) {
        return !retiring.isEmpty() && retiring.remove(connection);
    }

    /**
     * The driver's form of a configured {@code host:port} entry.
     *
     * @param host {@code host:port}, {@code [v6]:port}, or a host alone (PostgreSQL's default port)
     * @return what the driver calls that host
     */
    static HostSpec hostSpec(String host) {
        int colon = host.lastIndexOf(':');
        return colon > 0 && !host.endsWith("]") ? new HostSpec(host.substring(0, colon),
                Integer.parseInt(host.substring(colon + 1))) : new HostSpec(host, ConnectionUrls.DEFAULT_PORT);
    }

    private record Opened(BaseConnection connection, String host) {
    }
}
