package dev.piccolo.engine;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

import dev.piccolo.engine.jdbc.WalPositions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a standby has replayed what a causal session must see, waiting up to {@code max-wait} for it,
 * judged by that server's own position (known from the probe or an earlier look, else asked). Each outcome
 * goes to the routing listener. Thread-safe: what it learns of servers goes to the {@link ClusterView}.
 */
final class StandbyCatchUp {

    /** The logger of read-your-writes, which users filter its messages by. */
    private static final Logger logger = LoggerFactory.getLogger(ReadYourWrites.class);

    /** How long a waiting read sleeps between two looks at a replica, at most. */
    private static final long LONGEST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final ClusterView cluster;

    private final RoutingListener listener;

    private final @Nullable Duration maxWait;

    /** A position as its token, for the log. */
    private final LongFunction<@Nullable ConsistencyToken> tokens;

    StandbyCatchUp(ClusterView cluster, RoutingListener listener, @Nullable Duration maxWait,
            LongFunction<@Nullable ConsistencyToken> tokens) {
        this.cluster = cluster;
        this.listener = listener;
        this.maxWait = maxWait;
        this.tokens = tokens;
    }

    /**
     * Returns whether the server {@code session} reached has replayed what this thread's session must see,
     * waiting up to {@code max-wait} for it: judged by that server's own position (a node may span several
     * servers, and a restarted standby starts over), known from the probe or an earlier look, else asked.
     * Reports the outcome to the listener.
     *
     * @param session a session on the standby chosen for the work, in auto-commit mode
     * @param required what the session must see
     * @return {@code false} when the work must go to the primary
     * @throws SQLException when the standby does not answer
     */
    boolean caughtUp(ServerSession session, long required) throws SQLException {
        EngineNode node = session.node();
        ServerId server = session.serverReached(cluster);
        if (cluster.isPrimary(server)) {
            return true;
        }
        if (cluster.incomparable(server)) {
            listener.onReadYourWrites(node.name(), ReadYourWritesOutcome.PRIMARY);
            return false;
        }
        if (cluster.replayed(server) < required) {
            Long replayed = replayed(session, server);
            if (replayed == null) {
                return writableHasIt(node);
            }
            if (replayed < required) {
                return waitedFor(session, server, required);
            }
        }
        listener.onReadYourWrites(node.name(), ReadYourWritesOutcome.REPLICA);
        return true;
    }

    /**
     * Whether a writable server that is not known as the primary has the session's writes: as far as the
     * engine knows, when the probe has not read the cluster (the node's one server is the primary); never
     * once it has, since the primary is known then and this is another server (fenced, of another cluster).
     */
    private boolean writableHasIt(EngineNode node) {
        if (!cluster.observed()) {
            return true;
        }
        listener.onReadYourWrites(node.name(), ReadYourWritesOutcome.PRIMARY);
        return false;
    }

    private boolean waitedFor(ServerSession session, ServerId server, long required) throws SQLException {
        EngineNode node = session.node();
        long deadline = System.nanoTime() + Objects.requireNonNull(maxWait, "read-your-writes is off").toNanos();
        long pause = TimeUnit.MICROSECONDS.toNanos(200);
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(Math.min(pause, left));
            pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
            Long replayed = replayed(session, server);
            if (replayed == null) {
                return writableHasIt(node);
            }
            if (replayed >= required) {
                listener.onReadYourWrites(node.name(), ReadYourWritesOutcome.WAITED);
                return true;
            }
        }
        logger.debug("Node '{}' ({}) had not replayed {} after {}; the read goes to the primary", node.name(),
                server.address(), tokens.apply(required), maxWait);
        listener.onReadYourWrites(node.name(), ReadYourWritesOutcome.PRIMARY);
        return false;
    }

    /** How far the session's server has replayed, recorded; {@code null} when it is not a standby after all. */
    private @Nullable Long replayed(ServerSession session, ServerId server) throws SQLException {
        Long position = WalPositions.replayed(session.connection());
        if (position == null) {
            if (!cluster.observed() && !session.node().observed().spansServers()) {
                // No probe: the node's one server is writable, and later reads need not ask again.
                session.node().observed().inRecovery(false);
            }
        }
        else {
            cluster.replayed(server, position);
        }
        return position;
    }
}
