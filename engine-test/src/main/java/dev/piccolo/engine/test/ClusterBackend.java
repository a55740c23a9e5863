package dev.piccolo.engine.test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A way of running the servers of a {@link PostgresCluster}: containers or local binaries.
 *
 * <p>Implementations start every server in {@link #startCluster}, and afterwards stop and start
 * single servers by node name. {@link #close()} stops everything and deletes what was created.
 */
interface ClusterBackend extends AutoCloseable {

    /**
     * Starts a primary and {@code replicas} streaming replicas.
     *
     * @param replicas how many replicas to start
     * @param credentials the user, password and database to create
     * @return the nodes, primary first
     */
    List<ClusterNode> startCluster(int replicas, ClusterCredentials credentials);

    /**
     * Stops one server and waits until it no longer accepts connections.
     *
     * @param node the node name
     */
    void stop(String node);

    /**
     * Starts one stopped server and waits until it accepts connections.
     *
     * @param node the node name
     */
    void start(String node);

    /**
     * Makes a self-signed certificate and its key for one node, readable only by the server.
     *
     * @param node the node name
     * @return the folder, as the server sees it, that holds {@code server.crt} and {@code server.key}
     */
    String createSelfSignedCertificate(String node);

    /**
     * Finds a client program of the PostgreSQL installation the servers run from, runnable on this machine.
     *
     * @param program the program's name, e.g. {@code pgbench}
     * @return its path, or empty when the servers' installation is not this machine's (containers) or lacks it
     */
    Optional<Path> clientProgram(String program);

    /**
     * Returns the folder that holds every file this backend made on this machine, if it made any
     * (containers keep theirs inside).
     *
     * @return the folder, once {@link #startCluster} created it
     */
    default Optional<Path> filesDirectory() {
        return Optional.empty();
    }

    /** Stops every server and deletes its files. */
    @Override
    void close();
}
