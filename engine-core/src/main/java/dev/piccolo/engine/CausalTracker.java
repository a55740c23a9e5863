package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

import dev.piccolo.engine.jdbc.WalPositions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-your-writes for one logical connection: notes that work which may write ran, reads the primary's
 * WAL position once that work is over (after its commit, or before its auto-commit session is left), and
 * sends a unit of work to a standby only when it has replayed what the thread's causal session must
 * see. Does nothing when read-your-writes is off. Not thread-safe, like the connection.
 */
final class CausalTracker {

    private static final Logger logger = LoggerFactory.getLogger(CausalTracker.class);

    private final @Nullable ReadYourWrites readYourWrites;

    /** Whether work that may have written was committed (or ran in auto-commit) since the position was last read. */
    private boolean pending;

    /** Whether work that may have written ran in the transaction open now: a rollback forgets it, a commit keeps it. */
    private boolean pendingInTransaction;

    /**
     * Whether the caller holds the driver's own connection on a writable node: what it runs there (a
     * {@code COPY}, say) goes unseen, so every end of a unit of work counts as a write.
     */
    private boolean writesUnseen;

    /**
     * The furthest position a standby had not replayed within max-wait on this connection: later units of
     * work needing no more go to the primary at once, so one request does not wait for it again and again.
     */
    private long sentToPrimaryFor;

    CausalTracker(@Nullable ReadYourWrites readYourWrites) {
        this.readYourWrites = readYourWrites;
    }

    /**
     * Read-your-writes, on the paths only its being on leads to: a pending write is only noted, and a
     * requirement or a read after a write only found, when it is.
     */
    private ReadYourWrites on() {
        return Objects.requireNonNull(readYourWrites, "read-your-writes is off");
    }

    /**
     * Notes that a statement runs on {@code session} that may write (not read-only, on a writable node it
     * asked for by name), in auto-commit mode or in a transaction.
     */
    void executing(boolean mayWrite, ServerSession session, boolean autoCommit) {
        if (readYourWrites == null) {
            return;
        }
        if (!session.inTransaction()) {
            // The server ended the transaction before this statement: a COMMIT sent as SQL, say. Kept to be safe.
            committed();
        }
        if (mayWrite) {
            if (autoCommit) {
                pending = true;
            }
            else {
                pendingInTransaction = true;
            }
        }
    }

    /** Notes that the caller took the driver's connection, on which work that may write goes unseen. */
    void unwrapped(boolean mayWrite) {
        writesUnseen |= mayWrite && readYourWrites != null;
    }

    /** Forgets the work of the transaction just rolled back; what committed before stays to be recorded. */
    void rolledBack() {
        pendingInTransaction = false;
    }

    private void committed() {
        pending |= pendingInTransaction;
        pendingInTransaction = false;
    }

    /**
     * Commits the transaction open on {@code session} and, when it may have written, reads the primary's
     * position in the same round trip (one round trip where a commit and a separate read took two). The
     * driver then has no transaction to commit, and tells the pool so without a word to the server.
     *
     * @return {@code false} when it did not commit: read-your-writes is off, the transaction wrote
     * nothing, or it cannot be committed as SQL ({@link ServerSession#commitsAsSql()}); the caller commits
     */
    boolean committedWithPosition(ServerSession session) throws SQLException {
        if (readYourWrites == null || !pendingInTransaction || !session.commitsAsSql()) {
            return false;
        }
        // Committed or refused, this transaction's writes need no other reading.
        pendingInTransaction = false;
        WalPositions.Written written = WalPositions.commitThenWritten(session.connection());
        session.connection().commit();
        pending = false;
        try {
            record(session, written);
        }
        catch (SQLException ex) {
            // Committed: what failed after it must not read as a failed commit.
            logger.debug("Could not record the position of a commit on node '{}'", session.node().name(), ex);
        }
        return true;
    }

    /**
     * Reads the primary's position after work that may have written on {@code session}, which must have
     * no transaction open, leaving the session in auto-commit mode; or leaves the reading to a later read
     * or token that needs it ({@link ReadYourWrites.AfterWrite}), without a word to the server.
     */
    void recordPending(ServerSession session) {
        committed();
        if (!pending && !writesUnseen) {
            return;
        }
        pending = false;
        if (on().deferred(session)) {
            return;
        }
        try {
            session.autoCommit(true);
            record(session, WalPositions.writtenOnTimeline(session.connection()));
        }
        catch (SQLException ex) {
            // The connection broke after the work; whatever failed will say so to the caller.
            logger.debug("Could not read the WAL position after work on node '{}'", session.node().name(), ex);
        }
    }

    private void record(ServerSession session, WalPositions.@Nullable Written written) throws SQLException {
        if (!session.node().observed().spansServers()) {
            session.node().observed().inRecovery(written == null);
        }
        if (written != null) {
            on().written(session, written);
        }
    }

    /** What the thread's causal session must see, 0 for nothing: read after {@link #recordPending}. */
    long required() {
        return readYourWrites != null ? readYourWrites.required() : 0;
    }

    /**
     * Whether what the thread's session asks for must be checked with the primary before a standby may be
     * asked to wait for it: it is beyond anything the primary was seen to write (a token from elsewhere).
     */
    boolean untrusted(long required, EngineNode chosen) {
        return required > 0 && chosen.observed().inRecovery() != Boolean.FALSE && !on().trusts(required);
    }

    /** What an untrusted requirement is worth ({@link ReadYourWrites#trusted}). */
    long trusted(long required, @Nullable ServerSession onPrimary, boolean mayBorrow) throws SQLException {
        return on().trusted(required, inAutoCommit(onPrimary), mayBorrow);
    }

    /** The connection of a session on the primary, put in auto-commit mode to ask it something; {@code null} for none. */
    private static @Nullable Connection inAutoCommit(@Nullable ServerSession onPrimary) throws SQLException {
        if (onPrimary == null) {
            return null;
        }
        onPrimary.autoCommit(true);
        return onPrimary.connection();
    }

    /**
     * Whether the unit, on {@code chosen}, is a read the thread's causal session owes the primary or that
     * needs the position of a write not read yet ({@link ReadYourWrites.AfterWrite}).
     */
    boolean readAfterWrite(EngineNode chosen) {
        return readYourWrites != null && chosen.observed().inRecovery() != Boolean.FALSE
                && readYourWrites.afterWrite() != ReadYourWrites.AfterWrite.SETTLED;
    }

    /**
     * Whether a read after a write goes to the primary: the first read after the write does, without a
     * word to any server; a later one that needs the write's position reads it, over {@code onPrimary}
     * when the caller holds a session there, else over a borrowed connection when {@code mayBorrow}, and
     * goes to the primary only when that fails.
     */
    boolean readAfterWriteOnPrimary(EngineNode chosen, @Nullable ServerSession onPrimary, boolean mayBorrow)
            throws SQLException {
        ReadYourWrites on = on();
        if (on.afterWrite() != ReadYourWrites.AfterWrite.PRIMARY_READ_POSITION_UNREAD) {
            on.readOnPrimary(chosen);
            return true;
        }
        if (on.readUnreadPosition(inAutoCommit(onPrimary), mayBorrow)) {
            return false;
        }
        on.readOnPrimary(chosen);
        return true;
    }

    /**
     * Notes that a read after a write stays on {@code held}, a standby's session that holds the caller's
     * state: it may miss a write whose position is not read yet, which cannot be asked for while that
     * session is held.
     */
    void readOnStandbyHoldingState(ServerSession held) {
        if (on().afterWrite().positionUnread()) {
            logger.info("A read on node '{}' may miss this session's own writes: the server session holds {}, so "
                    + "the primary cannot be asked how far they reach", held.node().name(), held.heldBecause());
        }
    }

    /** Whether a unit needing {@code required} goes straight to the primary: a standby gave up on it already. */
    boolean primaryAlready(long required, EngineNode chosen) {
        return required > 0 && required <= sentToPrimaryFor && chosen.observed().inRecovery() != Boolean.FALSE;
    }

    /**
     * Whether {@code session}'s server serves what the causal session wrote: the primary does, a standby
     * once it has replayed it (waiting up to max-wait). Checked in auto-commit mode, so that no
     * transaction's snapshot is taken before the standby has caught up.
     */
    boolean readsItsWrites(ServerSession session, long required) throws SQLException {
        EngineNode node = session.node();
        // Only a node that takes nothing but the primary (connection by connection when it spans servers)
        // skips the check; any other writable server is judged by the server the connection reached.
        if (required == 0 || node.observed().inRecovery() == Boolean.FALSE && (node.role() == ServerRole.PRIMARY
                || !node.observed().spansServers() && node.status().checkedAt() == null)) {
            return true;
        }
        session.autoCommit(true);
        if (on().caughtUp(session, required)) {
            return true;
        }
        sentToPrimaryFor = required;
        return false;
    }
}
