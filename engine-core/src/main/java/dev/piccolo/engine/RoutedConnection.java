package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logical connection the routing {@code DataSource} hands out: the node is a property of a unit
 * of work on it, not of the connection. It takes its server connection (a {@link ServerSession}, from a
 * node's pool or unpooled) at the first call that needs one, from the request on the thread at that
 * moment ({@link NodeRouter#requested}).
 *
 * <p>A unit of work is a transaction, or one statement outside a transaction. It is over when the
 * caller ended it (commit, rollback, auto-commit switched on) and the driver reports the server idle;
 * the next one follows the current request, keeping the server session while that still serves the
 * request and swapping it for one of the right node otherwise. A session is never swapped or released
 * while it holds the caller's state: a transaction the server has open, an open statement, state set
 * through SQL ({@code SET}, advisory locks, temporary tables, {@code LISTEN}, {@code PREPARE}, seen in the
 * statement text or, before a swap, asked of the server) or an unwrapped driver connection. Work that asks
 * for another node meanwhile goes through the {@link NodeSwitchPolicy}, as inside a transaction.
 *
 * <p>Statements and metadata are thin proxies ({@link LogicalStatement}, {@link LogicalMetaData}) so that
 * executions are seen and {@code getConnection()} answers this connection. Settings made through JDBC are
 * recorded ({@link SessionSettings}) and carried to every session that serves. Like any JDBC connection,
 * not for concurrent use; concurrent misuse never leaks a server connection.
 */
final class RoutedConnection extends StatementCreatingConnection implements LogicalConnection {

    private static final Logger logger = LoggerFactory.getLogger(RoutedConnection.class);

    private final NodeRouter router;

    private final CausalTracker causal;

    private final SessionSettings settings = new SessionSettings();

    /** Volatile for {@link #abort}, which another thread calls without waiting for this one. */
    private volatile @Nullable ServerSession session;

    /** The request the session was chosen for. */
    private @Nullable String request;

    /** The last request that joined the open unit, so each is reported once per unit. */
    private @Nullable String joined;

    /** Whether a unit of work in manual-commit mode has started and was not ended by the caller. */
    private boolean inTransaction;

    /**
     * Whether a transaction has begun ({@code setAutoCommit(false)}) and runs nothing yet, and what was
     * bound on the thread at that moment: the transaction belongs to the work that began it, not to
     * whatever asks first.
     */
    private boolean begun;

    private @Nullable String boundAtBegin;

    private boolean autoCommit;

    private boolean readOnly;

    private volatile boolean closed;

    /** Whether {@link #abort} closed the connection: its executor may not have run the abort yet. */
    private volatile boolean abortRequested;

    RoutedConnection(NodeRouter router) {
        this.router = router;
        this.causal = new CausalTracker(router.readYourWrites());
        this.autoCommit = router.autoCommitByDefault();
    }

    @Override
    Connection serverConnection() throws SQLException {
        return current().connection();
    }

    /**
     * Returns the session for the work about to run: the open unit's, else one chosen for the current
     * request, with the recorded settings applied.
     */
    private ServerSession current() throws SQLException {
        requireOpen();
        String requested = router.requested(readOnly);
        ServerSession serving = session;
        if (serving == null || !inTransaction && !serving.inTransaction()) {
            serving = startUnitOfWork(begun ? router.requestFor(boundAtBegin, readOnly) : requested);
        }
        else {
            serving.autoCommit(autoCommit);
        }
        if (!requested.equals(request) && !requested.equals(joined)
                && router.switchInTransaction(requested, Objects.requireNonNull(request, "set by the unit of work"),
                        serving.node(), serving.heldBecause())) {
            joined = requested;
        }
        return serving;
    }

    @Override
    public void executing(ServerSession statementSession, @Nullable String sessionState) throws SQLException {
        ServerSession serving = current();
        if (sessionState != null) {
            statementSession.pin(sessionState);
        }
        serving.used();
        causal.executing(WriteFence.mayWrite(serving.node(), readOnly, request), serving, autoCommit);
        router.serving(serving.node());
    }

    private synchronized ServerSession startUnitOfWork(String unitRequest) throws SQLException {
        requireOpen();
        ServerSession held = session;
        if (held != null && held.held()) {
            // The caller's state lives in this server session: the unit runs here, as work joining a transaction.
            beginUnit(held);
            return held;
        }
        // Looked up for each unit of work, not kept: the topology may have changed since the last one.
        NodeRouter.Route unitRoute = router.route(unitRequest);
        EngineNode routed = unitRoute.select(held != null ? held.node() : null);
        EngineNode chosen = routed;
        if (held != null && chosen != held.node()) {
            // The write is recorded before the requirement is read, so this very unit must see it.
            causal.recordPending(held);
        }
        // The primary is asked (for a deferred write's position, of an untrusted token) before a standby's
        // session is taken, never while one is held: no borrow inside a borrow.
        if (causal.readAfterWrite(chosen)) {
            held = heldWhileThePrimaryIsAsked(held);
            ServerSession onPrimary = held != null && held.node() == router.primary() ? held : null;
            if (held != null && onPrimary == null) {
                // A standby's session that holds the caller's state: the unit runs there, judged below by
                // what is known.
                causal.readOnStandbyHoldingState(held);
            }
            else if (router.primary().status().up()
                    && causal.readAfterWriteOnPrimary(chosen, onPrimary, held == null)) {
                chosen = router.primary();
            }
        }
        long required = causal.required();
        if (causal.untrusted(required, chosen)) {
            held = heldWhileThePrimaryIsAsked(held);
            ServerSession onPrimary = held != null && held.node() == router.primary() ? held : null;
            required = causal.trusted(required, onPrimary, held == null);
        }
        if (causal.primaryAlready(required, chosen)) {
            chosen = router.primary();
        }
        if (held != null && chosen != held.node() && keepsSessionState(held)) {
            beginUnit(held);
            return held;
        }
        request = unitRequest;
        LagLimits limits = unitRoute.limitsFor(chosen);
        ServerSession serving;
        if (held != null && chosen == held.node() && fitsStill(held, limits)) {
            serving = held;
        }
        else {
            try {
                serving = attach(chosen, limits);
            }
            catch (SQLException ex) {
                EngineNode other = chosen == routed && isConnectionFailure(ex) ? unitRoute.instead(chosen) : null;
                if (other == null) {
                    throw ex;
                }
                logger.debug("Node '{}' gave no connection ({}); the unit of work for '{}' runs on '{}'",
                        chosen.name(), ex.getMessage(), unitRequest, other.name());
                routed = other;
                chosen = other;
                limits = unitRoute.limitsFor(chosen);
                serving = attach(chosen, limits);
            }
        }
        if (!causal.readsItsWrites(serving, required)) {
            if (serving == held && keepsSessionState(held)) {
                logger.info("A read on node '{}' may miss this session's own writes: the server session holds {}, "
                        + "so it cannot move to the primary", held.node().name(), held.heldBecause());
            }
            else {
                serving = attach(router.primary(), LagLimits.NONE);
            }
        }
        WriteFence.check(serving.node(), router.primary(), readOnly, unitRequest);
        beginUnit(serving);
        router.decided(unitRequest, routed, serving.node(), readOnly);
        return serving;
    }

    /**
     * The session to keep while the primary is asked something: {@code held} when it is on the primary or
     * holds the caller's state; otherwise it is released first, and {@code null} returned.
     */
    private @Nullable ServerSession heldWhileThePrimaryIsAsked(@Nullable ServerSession held) throws SQLException {
        if (held == null || held.node() == router.primary() || keepsSessionState(held)) {
            return held;
        }
        release();
        return null;
    }

    /**
     * Whether {@code held} may serve the next unit of work on its node: its server still has the role the
     * node wants (a failover may have made a standby of it, or fenced it) and is within the lag limits of
     * the unit's route and of the node. One that no longer fits is left
     * unless the caller's state lives in it; then the unit runs there and the server says what it refuses.
     */
    private boolean fitsStill(ServerSession held, LagLimits limits) throws SQLException {
        String refusal = held.refusal(router.cluster());
        refusal = refusal != null ? refusal : held.lagRefusal(router.cluster(), limits);
        if (refusal == null) {
            return true;
        }
        if (keepsSessionState(held)) {
            logger.warn("Node '{}': this connection's server session holds {}, so it stays on its server, though {}",
                    held.node().name(), held.heldBecause(), refusal);
            return true;
        }
        return false;
    }

    /**
     * Whether the server holds state of the caller's in {@code held}, which is about to be left: then it is
     * pinned. Asked only of a session something ran on, in auto-commit mode so that asking begins nothing.
     */
    private static boolean keepsSessionState(ServerSession held) throws SQLException {
        if (!held.wasUsed()) {
            return false;
        }
        held.autoCommit(true);
        String state = SessionStateCheck.stateOf(held.connection());
        if (state != null) {
            held.pin(state);
        }
        return state != null;
    }

    private void beginUnit(ServerSession serving) throws SQLException {
        serving.autoCommit(autoCommit);
        // A node configured read-only stays so whatever the caller asks.
        serving.readOnly(readOnly || serving.node().isReadOnly());
        inTransaction = !autoCommit;
        begun = false;
    }

    private ServerSession attach(EngineNode chosen, LagLimits limits) throws SQLException {
        release();
        ServerSession fresh = ServerSession.open(chosen, router.cluster(), limits);
        try {
            // Settings go to the session, not into a transaction (a pool with auto-commit off would begin one).
            fresh.autoCommit(true);
            settings.applyTo(fresh);
        }
        catch (SQLException | RuntimeException ex) {
            fresh.release();
            throw ex;
        }
        session = fresh;
        if (closed) {
            // Aborted meanwhile from another thread, which may not have seen this session.
            session = null;
            fresh.abort();
            requireOpen();
        }
        return fresh;
    }

    /**
     * A failure to get a connection at all (SQLSTATE class 08), which another node of a group may not have;
     * not a connection closed under the caller (08003), which is this connection's own.
     */
    private static boolean isConnectionFailure(SQLException ex) {
        String state = ex.getSQLState();
        return state != null && state.startsWith("08") && !"08003".equals(state);
    }

    private void release() throws SQLException {
        ServerSession releasing = session;
        if (releasing == null) {
            return;
        }
        session = null;
        try {
            if (releasing.inTransaction()) {
                // Rolled back first, so that what committed before it is still recorded.
                causal.rolledBack();
                releasing.rollBackOpenTransaction();
            }
            if (!inTransaction) {
                causal.recordPending(releasing);
            }
        }
        finally {
            releasing.release();
        }
    }

    private void endTransaction() {
        inTransaction = false;
        begun = false;
        joined = null;
    }

    @Override
    <T extends Statement> T statement(Class<T> type, @Nullable String sql, StatementFactory<T> factory)
            throws SQLException {
        ServerSession serving = current();
        return LogicalStatement.wrap(type, this, serving, factory.create(serving.connection()), sql);
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        requireOpen();
        if (autoCommit == this.autoCommit) {
            return;
        }
        if (autoCommit) {
            ServerSession serving = session;
            if (serving != null) {
                // JDBC: switching auto-commit on commits what is open; the driver does so from its own state.
                serving.autoCommit(false);
                serving.autoCommit(true);
            }
            endTransaction();
            if (serving != null) {
                causal.recordPending(serving);
            }
        }
        else {
            begun = true;
            boundAtBegin = router.bound();
        }
        this.autoCommit = autoCommit;
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        requireOpen();
        return autoCommit;
    }

    @Override
    public void commit() throws SQLException {
        requireOpen();
        if (autoCommit) {
            throw new SQLException("Cannot commit when autoCommit is enabled.", "25P01");
        }
        ServerSession serving = session;
        try {
            if (serving != null) {
                serving.autoCommit(false);
                if (!causal.committedWithPosition(serving)) {
                    serving.connection().commit();
                }
            }
        }
        catch (SQLException ex) {
            throw ServerGone.namingAtCommit(serving.node(), ex);
        }
        finally {
            endTransaction();
        }
        if (serving != null) {
            causal.recordPending(serving);
            serving.autoCommit(false);
        }
    }

    @Override
    public void rollback() throws SQLException {
        requireOpen();
        if (autoCommit) {
            throw new SQLException("Cannot rollback when autoCommit is enabled.", "25P01");
        }
        ServerSession serving = session;
        try {
            if (serving != null) {
                if (serving.inTransaction()) {
                    causal.rolledBack();
                }
                rollBack(serving);
            }
        }
        finally {
            endTransaction();
        }
    }

    /**
     * Rolls back on {@code serving}. When its server went away the transaction went with it: the server
     * never commits the transaction of a session that ended, so the rollback has happened, and failing here
     * would hide the failure that ended it behind the transaction manager's "rollback failed". The broken
     * session is ended; the next unit of work takes a new one.
     */
    private void rollBack(ServerSession serving) throws SQLException {
        try {
            serving.autoCommit(false);
            serving.connection().rollback();
        }
        catch (SQLException ex) {
            // The pool closes its side once it saw a fatal error, and says so without an SQLState.
            if (!ServerGone.is(ex) && !serving.connection().isClosed()) {
                throw ex;
            }
            logger.debug("Node '{}': the server session ended before the rollback; its transaction ended with it",
                    serving.node().name(), ex);
            session = null;
            serving.abort();
            return;
        }
        settings.rolledBack(serving);
        serving.autoCommit(false);
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        ServerSession serving = current();
        serving.connection().rollback(savepoint);
        settings.rolledBack(serving);
    }

    @Override
    public synchronized void close() throws SQLException {
        if (!closed) {
            closed = true;
            endTransaction();
            release();
        }
        else if (abortRequested) {
            // The executor may never have run the abort; closing ends the session now (once, whoever is first).
            ServerSession aborting = session;
            if (aborting != null) {
                aborting.abort();
            }
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /**
     * Ends the connection at once, from any thread: without waiting for the thread using it, which may be
     * stuck in a borrow or a query. The server session is aborted through {@code executor}, or here when
     * that refuses the task; its pool evicts it.
     */
    @Override
    public void abort(Executor executor) throws SQLException {
        if (executor == null) {
            throw new SQLException("The executor is null", "22004");
        }
        if (closed) {
            return;
        }
        abortRequested = true;
        closed = true;
        ServerSession aborting = session;
        if (aborting != null) {
            try {
                executor.execute(aborting::abort);
            }
            catch (RuntimeException ex) {
                aborting.abort();
                throw ex;
            }
        }
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        requireOpen();
        return LogicalMetaData.of(this);
    }

    @Override
    public DatabaseMetaData serverMetaData() throws SQLException {
        return serverConnection().getMetaData();
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        requireOpen();
        ServerSession serving = session;
        if (serving != null && serving.inTransaction()) {
            // The driver refuses any change once the transaction ran a statement, even to the same value.
            serving.connection().setReadOnly(readOnly || serving.node().isReadOnly());
        }
        else if (serving != null && inTransaction) {
            serving.readOnly(readOnly || serving.node().isReadOnly());
        }
        this.readOnly = readOnly;
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        requireOpen();
        return readOnly;
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        requireOpen();
        ServerSession serving = session;
        if (serving != null && !inTransaction && !serving.held() && level == TRANSACTION_SERIALIZABLE
                && serving.onStandby()) {
            // Left from the last unit of work; the next one may run elsewhere and is checked when it starts.
            release();
            serving = null;
        }
        settings.isolation(level, serving);
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        requireOpen();
        Integer isolation = settings.isolation();
        return isolation != null ? isolation : serverConnection().getTransactionIsolation();
    }

    @Override
    public @Nullable String getSchema() throws SQLException {
        return current().schema();
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        // The driver sends SET search_path at once, which begins the transaction in manual-commit mode.
        settings.schema(schema, current());
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        requireOpen();
        settings.catalog(catalog, session);
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        settings.networkTimeout(executor, milliseconds, current());
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        settings.typeMap(map, current());
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        settings.holdability(holdability, current());
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        try {
            settings.clientInfo(name, value, current());
        }
        catch (SQLClientInfoException ex) {
            throw ex;
        }
        catch (SQLException ex) {
            throw new SQLClientInfoException(ex.getMessage(), ex.getSQLState(), ex.getErrorCode(), Map.of(), ex);
        }
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        try {
            settings.clientInfo(properties, current());
        }
        catch (SQLClientInfoException ex) {
            throw ex;
        }
        catch (SQLException ex) {
            throw new SQLClientInfoException(ex.getMessage(), ex.getSQLState(), ex.getErrorCode(), Map.of(), ex);
        }
    }

    @Override
    public @Nullable SQLWarning getWarnings() throws SQLException {
        requireOpen();
        ServerSession serving = session;
        return serving != null ? serving.connection().getWarnings() : null;
    }

    @Override
    public void clearWarnings() throws SQLException {
        requireOpen();
        ServerSession serving = session;
        if (serving != null) {
            serving.connection().clearWarnings();
        }
    }

    /**
     * Whether the connection can serve: {@code false} once closed; with a server session, whether that
     * answers within {@code timeout}. Takes no connection and never throws for a node's state.
     */
    @Override
    public boolean isValid(int timeout) throws SQLException {
        if (timeout < 0) {
            throw new SQLException("Invalid timeout (" + timeout + "<0).", "22023");
        }
        ServerSession serving = session;
        if (closed) {
            return false;
        }
        try {
            return serving == null || serving.connection().isValid(timeout);
        }
        catch (SQLException ex) {
            return false;
        }
    }

    /**
     * Returns this connection, or the driver's connection (say {@code PGConnection}) of the session serving
     * now, which stays this connection's until it closes (the session is pinned) and refuses calls after.
     */
    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        ServerSession serving = current();
        T unwrapped = serving.connection().unwrap(type);
        serving.pin("unwrapped to " + type.getName());
        // What the caller does with the driver's connection goes unseen: count each unit's end as a write.
        causal.unwrapped(WriteFence.mayWrite(serving.node(), readOnly, request));
        return UnwrappedConnection.guard(type, this, unwrapped);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || serverConnection().isWrapperFor(type);
    }

    private void requireOpen() throws SQLException {
        if (closed) {
            throw new SQLException("This connection has been closed.", "08003");
        }
    }

    @Override
    public String toString() {
        ServerSession serving = session;
        return "RoutedConnection[node=" + (serving != null ? serving.node().name() : "none yet") + ", inTransaction="
                + inTransaction + ", closed=" + closed + "]";
    }
}
