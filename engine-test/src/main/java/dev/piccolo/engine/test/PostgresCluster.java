package dev.piccolo.engine.test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL primary and streaming replicas for tests, on 127.0.0.1 with password
 * authentication.
 *
 * <p>The servers run in Docker through Testcontainers when a Docker daemon answers, and from this
 * machine's PostgreSQL binaries otherwise (see {@link #start(int)}). The primary is the node
 * {@code primary}; replica {@code i} is {@code read_replica_i}. Ordinary tests share one cluster per
 * JVM ({@link #shared()}); a test that stops or restarts nodes starts a cluster of its own and closes
 * it. Methods that change a node's state are thread-safe but not meant to race each other.
 *
 * @since 0.1
 */
public final class PostgresCluster implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(PostgresCluster.class);

    private static final Duration DEFAULT_REPLICATION_WAIT = Duration.ofSeconds(30);

    private static final Duration CONNECTION_COUNT_WAIT = Duration.ofSeconds(10);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    private static PostgresCluster shared;

    private final ClusterBackend backend;

    private final List<ClusterNode> nodes;

    private final Set<String> stopped = ConcurrentHashMap.newKeySet();

    private final boolean isShared;

    private final Thread shutdownHook;

    private PostgresCluster(ClusterBackend backend, List<ClusterNode> nodes, boolean isShared, Thread shutdownHook) {
        this.backend = backend;
        this.nodes = List.copyOf(nodes);
        this.isShared = isShared;
        this.shutdownHook = shutdownHook;
    }

    /**
     * Starts a primary and one replica.
     *
     * @return the running cluster; close it when done
     * @throws IllegalStateException when neither Docker nor PostgreSQL binaries are available, with what to
     * install
     * @throws CancellationException when the JVM began to shut down (Ctrl-C) during the start
     */
    public static PostgresCluster start() {
        return start(1);
    }

    /**
     * Starts a primary and {@code replicas} streaming replicas.
     *
     * @param replicas how many replicas, zero or more
     * @return the running cluster; close it when done
     * @throws IllegalStateException when neither Docker nor PostgreSQL binaries are available, with what to
     * install
     * @throws CancellationException when the JVM began to shut down (Ctrl-C) during the start; what was
     * started is stopped and deleted by then or soon after
     */
    public static PostgresCluster start(int replicas) {
        return start(replicas, false);
    }

    private static PostgresCluster start(int replicas, boolean isShared) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be 0 or more, not " + replicas);
        }
        long startedAt = System.nanoTime();
        ClusterBackend backend = ClusterBackends.choose();
        // Registered before the first server starts: Ctrl-C during a slow start must not leave servers behind.
        Thread shutdownHook = new Thread(backend::close, "piccolo-cluster-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        PostgresCluster cluster;
        try {
            cluster = new PostgresCluster(backend, backend.startCluster(replicas, ClusterCredentials.random()),
                    isShared, shutdownHook);
        }
        catch (RuntimeException ex) {
            if (!removeShutdownHook(shutdownHook)) {
                // Ctrl-C: the servers' programs died with the JVM's signal, and the hook is cleaning up.
                CancellationException stopped = new CancellationException("PostgreSQL test cluster start stopped: the "
                        + "JVM is shutting down");
                stopped.initCause(ex);
                throw stopped;
            }
            throw ex;
        }
        logger.info("PostgreSQL test cluster with {} replica(s) started in {} ms by {}: {}", replicas,
                Duration.ofNanos(System.nanoTime() - startedAt).toMillis(), backend.getClass().getSimpleName(),
                cluster.nodes);
        return cluster;
    }

    /**
     * Returns the cluster shared by every test of this JVM (a primary and one replica), starting it on
     * first use. It is stopped, and its files deleted, when the JVM exits; {@link #close()} on it does
     * nothing. (Every cluster is stopped when the JVM exits, Ctrl-C during its start included.)
     *
     * @return the shared cluster
     */
    public static synchronized PostgresCluster shared() {
        if (shared == null) {
            shared = start(1, true);
        }
        return shared;
    }

    /**
     * Returns the primary's connection settings.
     *
     * @return the primary node
     */
    public ClusterNode primary() {
        return nodes.get(0);
    }

    /**
     * Returns a replica's connection settings.
     *
     * @param index the replica's position, counting from 1
     * @return the node {@code read_replica_<index>}
     * @throws IllegalArgumentException when the cluster has no such replica
     */
    public ClusterNode replica(int index) {
        return node(ClusterNode.replicaName(index));
    }

    /**
     * Returns every node, the primary first.
     *
     * @return the nodes
     */
    public List<ClusterNode> nodes() {
        return nodes;
    }

    /**
     * Returns the replicas in order.
     *
     * @return every node but the primary
     */
    public List<ClusterNode> replicas() {
        return nodes.subList(1, nodes.size());
    }

    /**
     * Returns one node by name.
     *
     * @param name {@code primary} or {@code read_replica_<i>}
     * @return the node
     * @throws IllegalArgumentException when the cluster has no node of that name, listing the names it has
     */
    public ClusterNode node(String name) {
        return nodes.stream()
                .filter(node -> node.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No node '" + name + "' in this cluster; nodes: "
                        + nodes.stream().map(ClusterNode::name).toList()));
    }

    /**
     * Opens a new JDBC connection to a node as the cluster's user.
     *
     * @param name the node name
     * @return a connection the caller closes
     * @throws SQLException when the node does not accept it
     */
    public Connection connect(String name) throws SQLException {
        ClusterNode node = node(name);
        Properties login = new Properties();
        login.setProperty("user", node.user());
        login.setProperty("password", node.password());
        return DriverManager.getConnection(node.jdbcUrl(), login);
    }

    /**
     * Runs a query on a node over a connection of its own and returns the first column of its first row.
     *
     * @param name the node name
     * @param sql a query that returns at least one row
     * @return the value as text ({@code null} for SQL NULL)
     * @throws SQLException when the query fails
     * @throws IllegalStateException when it returns no row
     */
    public String queryString(String name, String sql) throws SQLException {
        try (Connection connection = connect(name);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            if (!result.next()) {
                throw new IllegalStateException("No row from " + name + " for: " + sql);
            }
            return result.getString(1);
        }
    }

    /**
     * Finds a client program, such as {@code pgbench}, of the PostgreSQL installation this cluster's servers
     * run from, so that it measures against the same servers with the same version.
     *
     * @param program the program's name
     * @return its path, or empty when the servers run in containers or their installation lacks it
     * @since 0.2
     */
    public Optional<Path> clientProgram(String program) {
        return backend.clientProgram(program);
    }

    /**
     * Stops one node's server (a fast shutdown: open connections are ended).
     *
     * @param name the node name
     */
    public void stop(String name) {
        node(name);
        backend.stop(name);
        stopped.add(name);
    }

    /**
     * Starts a stopped node's server and waits until it accepts connections.
     *
     * @param name the node name
     */
    public void start(String name) {
        node(name);
        backend.start(name);
        stopped.remove(name);
        awaitAcceptingConnections(name, DEFAULT_REPLICATION_WAIT);
    }

    /**
     * Stops and starts one node's server.
     *
     * @param name the node name
     */
    public void restart(String name) {
        stop(name);
        start(name);
    }

    /**
     * Turns TLS on for one node with a self-signed certificate made now (CN {@code localhost}), so
     * that tests can connect with {@code sslmode=require}. Connections without TLS still work.
     *
     * @param name the node name
     * @throws IllegalStateException when the certificate cannot be made ({@code openssl} missing) or
     * the server does not accept it
     */
    public void enableSsl(String name) {
        String folder = backend.createSelfSignedCertificate(node(name).name());
        try (Connection connection = connect(name); Statement statement = connection.createStatement()) {
            statement.execute("ALTER SYSTEM SET ssl_cert_file = '" + folder + "/server.crt'");
            statement.execute("ALTER SYSTEM SET ssl_key_file = '" + folder + "/server.key'");
            statement.execute("ALTER SYSTEM SET ssl = on");
            statement.execute("SELECT pg_reload_conf()");
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot turn TLS on for " + name, ex);
        }
        awaitSetting(name, "ssl", "on");
    }

    /** The server applies a reloaded configuration a moment after pg_reload_conf() returns. */
    private void awaitSetting(String name, String setting, String expected) {
        long deadline = System.nanoTime() + DEFAULT_REPLICATION_WAIT.toNanos();
        while (true) {
            try (Connection connection = connect(name);
                    Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SHOW " + setting)) {
                if (result.next() && expected.equals(result.getString(1))) {
                    return;
                }
            }
            catch (SQLException ex) {
                throw new IllegalStateException("Cannot read " + setting + " on " + name, ex);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not apply " + setting + " = " + expected);
            }
            Polling.pause(POLL_INTERVAL);
        }
    }

    /**
     * Waits until every running replica has replayed the primary's current WAL position, so that what
     * was committed on the primary before this call can be read on every replica. Stopped replicas are
     * skipped.
     *
     * @throws IllegalStateException when a replica has not caught up within 30 seconds
     */
    public void awaitReplication() {
        awaitReplication(DEFAULT_REPLICATION_WAIT);
    }

    /**
     * Waits, at most {@code timeout}, until every running replica has replayed the primary's current
     * WAL position. Stopped replicas are skipped.
     *
     * @param timeout how long to wait for each replica at most
     * @throws IllegalStateException when a replica has not caught up in time
     */
    public void awaitReplication(Duration timeout) {
        String target = currentWalPosition();
        for (ClusterNode replica : replicas()) {
            if (!stopped.contains(replica.name())) {
                awaitReplay(replica, target, timeout);
            }
        }
    }

    private String currentWalPosition() {
        try (Connection connection = connect(ClusterNode.PRIMARY);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            result.next();
            return result.getString(1);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot read the primary's WAL position", ex);
        }
    }

    private void awaitReplay(ClusterNode replica, String target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection connection = connect(replica.name());
                PreparedStatement replayed = connection.prepareStatement(
                        "SELECT coalesce(pg_last_wal_replay_lsn() >= ?::pg_lsn, false)")) {
            replayed.setString(1, target);
            while (!isTrue(replayed)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(replica.name() + " has not replayed WAL position " + target
                            + " within " + timeout);
                }
                Polling.pause(POLL_INTERVAL);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot read the replay position of " + replica.name(), ex);
        }
    }

    private void awaitAcceptingConnections(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Connection connection = connect(name)) {
                return;
            }
            catch (SQLException ex) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " does not accept connections after " + timeout, ex);
                }
                Polling.pause(POLL_INTERVAL);
            }
        }
    }

    /**
     * Returns an {@code application_name} no other caller uses, so that a test counts only its own
     * connections ({@link #connectionCount}, {@link ClusterNode#config(String)}).
     *
     * @return {@code piccolo-test-} and eight random hexadecimal digits
     * @since 0.2
     */
    public static String newApplicationName() {
        return "piccolo-test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Counts the connections a node's server has open for one {@code application_name}, the
     * connection this method uses excluded.
     *
     * @param name the node name
     * @param applicationName the {@code application_name} to count (PgJDBC's {@code ApplicationName})
     * @return how many of the server's backends carry that name
     */
    public int connectionCount(String name, String applicationName) {
        try (Connection connection = connect(name);
                PreparedStatement count = connection.prepareStatement(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            count.setString(1, applicationName);
            try (ResultSet result = count.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot count the connections of " + name, ex);
        }
    }

    /**
     * Waits, at most 10 seconds, until a node's server has exactly {@code expected} connections for
     * {@code applicationName}; a closed connection leaves {@code pg_stat_activity} a moment later.
     *
     * @param name the node name
     * @param applicationName the {@code application_name} to count
     * @param expected the count to wait for
     * @throws IllegalStateException when the count is still different after 10 seconds, with the count seen
     */
    public void awaitConnectionCount(String name, String applicationName, int expected) {
        long deadline = System.nanoTime() + CONNECTION_COUNT_WAIT.toNanos();
        int seen = connectionCount(name, applicationName);
        while (seen != expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " has " + seen + " connection(s) of '" + applicationName
                        + "', expected " + expected + " within " + CONNECTION_COUNT_WAIT);
            }
            Polling.pause(POLL_INTERVAL);
            seen = connectionCount(name, applicationName);
        }
    }

    private static boolean isTrue(PreparedStatement query) throws SQLException {
        try (ResultSet result = query.executeQuery()) {
            return result.next() && result.getBoolean(1);
        }
    }

    /**
     * Stops every server and deletes the cluster's files. Does nothing on the {@link #shared()} cluster,
     * which the JVM's shutdown closes.
     */
    @Override
    public void close() {
        if (!isShared) {
            shutDown();
        }
    }

    private void shutDown() {
        removeShutdownHook(shutdownHook);
        backend.close();
    }

    /** Returns {@code false} when the JVM is already shutting down, and the hook is running or has run. */
    private static boolean removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            return true;
        }
        catch (IllegalStateException ex) {
            return false;
        }
    }

    /** The folder of this cluster's own files on this machine; none when its servers run in containers. */
    Optional<Path> filesDirectory() {
        return backend.filesDirectory();
    }

    @Override
    public String toString() {
        return "PostgresCluster" + nodes;
    }
}
