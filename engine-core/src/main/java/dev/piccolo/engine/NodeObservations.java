package dev.piccolo.engine;

import java.util.List;

import dev.piccolo.engine.jdbc.ServerReading;
import org.jspecify.annotations.Nullable;

/**
 * What has been seen of a node's servers, as opposed to what was configured: the health probe's status,
 * the server version, whether the server is in recovery, why writes are refused, and whether one name
 * reaches several servers. Written by the probe and by sessions that learn something on the way; read by
 * routing. Every field is volatile: writers and readers are different threads.
 */
final class NodeObservations {

    private volatile @Nullable ServerVersion serverVersion;

    private volatile NodeStatus status = NodeStatus.unprobed();

    /** Whether the server was last seen in recovery; {@code null} until first seen. */
    private volatile @Nullable Boolean inRecovery;

    /** Why work that may write must not run on this node's one server now (fenced), {@code null} when it may. */
    private volatile @Nullable String writeRefusal;

    /** Whether this node reaches more than one server: its config lists several, or the probe saw one name do so. */
    private volatile boolean spansServers;

    NodeObservations(boolean severalHosts) {
        this.spansServers = severalHosts;
    }

    /** What the probe read of each of the node's servers that answered at its last round. */
    private volatile List<ServerReading> serverReadings = List.of();

    List<ServerReading> serverReadings() {
        return serverReadings;
    }

    void serverReadings(List<ServerReading> readings) {
        this.serverReadings = List.copyOf(readings);
    }

    /** Each of its servers' own status at the probe's last round, for a node that lists several; else empty. */
    private volatile List<NodeStatus> serverStatuses = List.of();

    @Nullable ServerVersion serverVersion() {
        return serverVersion;
    }

    void serverVersion(ServerVersion version) {
        this.serverVersion = version;
    }

    /** What the health probe last saw of the node; up when no probe runs. */
    NodeStatus status() {
        return status;
    }

    void status(NodeStatus status) {
        this.status = status;
    }

    /** Whether the server was last seen in recovery (a standby); {@code null} when not known yet. */
    @Nullable Boolean inRecovery() {
        return inRecovery;
    }

    void inRecovery(boolean inRecovery) {
        this.inRecovery = inRecovery;
    }

    @Nullable String writeRefusal() {
        return writeRefusal;
    }

    void writeRefusal(@Nullable String why) {
        this.writeRefusal = why;
    }

    /**
     * Whether a new connection of this node may reach another server than the last: its config lists
     * several hosts, or the probe saw one name reach several servers. Its connections are then judged one
     * by one ({@link ClusterView#refusal}).
     */
    boolean spansServers() {
        return spansServers;
    }

    /** Records that the name reaches several servers; once seen, it stays so. */
    void spansServers(boolean spans) {
        this.spansServers |= spans;
    }

    /** Each of the node's servers' own status, for a node that lists several hosts; empty otherwise. */
    List<NodeStatus> serverStatuses() {
        return serverStatuses;
    }

    void serverStatuses(List<NodeStatus> statuses) {
        this.serverStatuses = List.copyOf(statuses);
    }
}
