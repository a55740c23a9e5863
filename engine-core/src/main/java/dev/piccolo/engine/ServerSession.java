package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.piccolo.engine.jdbc.WalPositions;
import org.jspecify.annotations.Nullable;
import org.postgresql.core.BaseConnection;
import org.postgresql.jdbc.AutoSave;
import org.postgresql.core.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The physical connection a logical connection holds: its node, what the driver knows of the server's
 * transaction, what the connection is set to, and what ties the caller to this server session (open
 * statements, state set through SQL, an unwrapped driver connection). A session that is {@link #held()}
 * must not be swapped or released before the logical connection closes. Not thread-safe: the logical
 * connection serialises access.
 */
final class ServerSession {

    /** {@link #heldBecause()} when only a transaction holds the session. */
    static final String TRANSACTION_OPEN = "a transaction is open";

    private static final Logger logger = LoggerFactory.getLogger(ServerSession.class);

    private final EngineNode node;

    private final Connection connection;

    /** The driver's own connection: its transaction state is a local read, kept from every ReadyForQuery. */
    private final BaseConnection driver;

    private boolean autoCommit;

    private boolean readOnly;

    /**
     * The driver's statements of the caller's that are open. Asked rather than counted: a statement
     * {@code closeOnCompletion()} closes itself behind its proxy.
     */
    private final List<Statement> openStatements = new ArrayList<>(2);

    /** Why the caller's state now lives in this server session, {@code null} while nothing does. */
    private @Nullable String pin;

    /** Whether a statement ran here: a session nothing ran on cannot carry state of the caller's. */
    private boolean used;

    /** What the session had before the caller changed what the pool does not reset; {@code null} until then. */
    private @Nullable Originals originals;

    /** The session's {@code search_path} before the caller set a schema, {@code null} until then. */
    private @Nullable String originalSearchPath;

    /**
     * Set by whichever comes first, the release or an abort: once the connection is back in the pool it may
     * be another borrower's, and an abort from another thread must not reach it.
     */
    private final AtomicBoolean ended = new AtomicBoolean();

    /** The cluster's epoch when this session's server was last found fit for its node, -1 before. */
    private int checkedEpoch = -1;

    private ServerSession(EngineNode node, Connection connection, BaseConnection driver) throws SQLException {
        this.node = node;
        this.connection = connection;
        this.driver = driver;
        this.autoCommit = connection.getAutoCommit();
        this.readOnly = node.isReadOnly();
    }

    /**
     * Borrows a connection of {@code node} on a server that may serve it now: for a node that spans
     * servers, a connection the cluster refuses for the node's role (a standby for the main node, a
     * fenced server, the primary for a node of standbys) or finds beyond the lag limits of the route and the
     * node is ended, so the pool evicts it, and another is borrowed; new connections go to the servers that
     * fit ({@link HostChooser}).
     *
     * @throws SQLException when the node gives none; nothing is left borrowed then
     */
    static ServerSession open(EngineNode node, ClusterView cluster, LagLimits routeLimits) throws SQLException {
        if (!node.judgedByServer()) {
            return open(node);
        }
        String refusal = null;
        // Enough to pass every pooled connection on a server the node may not use now: each is ended, and
        // its replacement goes where the host chooser sends it.
        int attempts = node.probeTargets().size() + 2 + node.poolSize();
        long started = System.nanoTime();
        for (int attempt = 0; attempt < attempts; attempt++) {
            ServerSession session = open(node);
            try {
                refusal = session.refusal(cluster);
                refusal = refusal != null ? refusal : session.lagRefusal(cluster, routeLimits);
            }
            catch (SQLException | RuntimeException ex) {
                session.abort();
                throw ex;
            }
            if (refusal == null) {
                return session;
            }
            if (node.role() == ServerRole.PRIMARY && cluster.primary() == null) {
                // No server qualifies now: another connection would be refused too, and ending this one helps nobody.
                session.release();
                break;
            }
            logger.debug("Node '{}': a connection to a server it may not use now is ended: {}", node.name(), refusal);
            session.abort();
            if (node.openedSince(session.driver(), started)) {
                // A connection the pool opened meanwhile went there too: the next would, until the probe's next round.
                break;
            }
        }
        throw new SQLTransientConnectionException("Node '" + node.name() + "' gave no connection to a server it may "
                + "use now: the last one reached " + refusal + ". Its work runs again once the cluster has a server "
                + "of that role (the health probe follows it).", "08001");
    }

    /**
     * Why the cluster refuses this session's server for its node's role now, or {@code null}; asked of the
     * server once per physical connection, judged again only when a role in the cluster changed.
     */
    @Nullable String refusal(ClusterView cluster) throws SQLException {
        if (!node.judgedByServer() || checkedEpoch == cluster.epoch()) {
            return null;
        }
        int epoch = cluster.epoch();
        String refusal = cluster.refusal(node.role(), serverReached(cluster));
        checkedEpoch = refusal == null ? epoch : checkedEpoch;
        return refusal;
    }

    /**
     * Why this session's server, a standby of a node that spans servers, is too far behind for the route's
     * lag limits or the node's own, or {@code null}: judged at every unit of work, as lag changes.
     */
    @Nullable String lagRefusal(ClusterView cluster, LagLimits routeLimits) throws SQLException {
        LagLimits limits = routeLimits.strictest(node.ownLimits());
        return node.observed().spansServers() && !limits.none() ? cluster.lagRefusal(serverReached(cluster), limits)
                : null;
    }

    /** Borrows a connection of {@code node}, wherever it is. */
    private static ServerSession open(EngineNode node) throws SQLException {
        Connection connection = node.dataSource().getConnection();
        try {
            return new ServerSession(node, connection, connection.unwrap(BaseConnection.class));
        }
        catch (SQLException | RuntimeException ex) {
            connection.close();
            throw ex;
        }
    }

    /**
     * Returns the server run this session's physical connection reached, asking it once per connection in
     * one round trip that also records how far a standby has replayed.
     */
    ServerId serverReached(ClusterView cluster) throws SQLException {
        ServerId known = cluster.knownReach(driver);
        if (known != null) {
            return known;
        }
        autoCommit(true);
        return cluster.askReach(driver, connection, node.name());
    }

    EngineNode node() {
        return node;
    }

    /** The driver's connection, to tell one physical connection from another. */
    BaseConnection driver() {
        return driver;
    }

    Connection connection() {
        return connection;
    }

    /** Whether the server has a transaction open (or failed) on this session, as the driver last heard. */
    boolean inTransaction() {
        return driver.getTransactionState() != TransactionState.IDLE;
    }

    /**
     * Whether the transaction open here can be committed by sending {@code COMMIT} as SQL with other
     * statements: it is open and healthy (a failed one must fail its commit, which SQL's {@code COMMIT}
     * would turn into a silent rollback), and the driver sets no savepoints of its own around statements.
     */
    boolean commitsAsSql() {
        return driver.getTransactionState() == TransactionState.OPEN && driver.getAutosave() == AutoSave.NEVER;
    }

    /** Whether the caller's state lives here: open statements, session state, a transaction the server keeps. */
    boolean held() {
        return pin != null || inTransaction() || openStatements() > 0;
    }

    /** Why the session is held, for logs and errors; a transaction when nothing else holds it. */
    String heldBecause() {
        if (pin != null) {
            return pin;
        }
        int open = openStatements();
        return open > 0 ? open + " statement(s) of it open" : TRANSACTION_OPEN;
    }

    private int openStatements() {
        openStatements.removeIf(ServerSession::isClosed);
        return openStatements.size();
    }

    private static boolean isClosed(Statement statement) {
        try {
            return statement.isClosed();
        }
        catch (SQLException ex) {
            return true;
        }
    }

    void pin(String why) {
        if (pin == null) {
            pin = why;
            logger.debug("The server session on node '{}' holds the caller's state ({}); it stays with its logical "
                    + "connection until that closes", node.name(), why);
        }
    }

    void statementOpened(Statement statement) {
        openStatements.add(statement);
    }

    void statementClosed(Statement statement) {
        openStatements.remove(statement);
    }

    void used() {
        used = true;
    }

    /** Whether a statement ran on this session since it was borrowed. */
    boolean wasUsed() {
        return used;
    }

    /** Sets auto-commit when it differs; switching it on while the server is idle sends nothing. */
    void autoCommit(boolean on) throws SQLException {
        if (autoCommit != on) {
            connection.setAutoCommit(on);
            autoCommit = on;
        }
    }

    void readOnly(boolean on) throws SQLException {
        if (readOnly != on) {
            connection.setReadOnly(on);
            readOnly = on;
        }
    }

    /**
     * Keeps the session's {@code search_path} as it is now, once, to put it back before release: HikariCP
     * resets the schema only when its pool configures one. The path, not the schema: {@code "$user", public}
     * must come back as it was, not as {@code public}.
     */
    void keepOriginalSchema() throws SQLException {
        if (originalSearchPath == null) {
            try (Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SHOW search_path")) {
                result.next();
                originalSearchPath = result.getString(1);
            }
        }
    }

    /**
     * Whether the session's {@code search_path} is the one it had before the caller set a schema (also when
     * the caller set none).
     */
    boolean searchPathAsBorrowed() throws SQLException {
        if (originalSearchPath == null) {
            return true;
        }
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SHOW search_path")) {
            result.next();
            return originalSearchPath.equals(result.getString(1));
        }
    }

    /** The server's schema, from the driver: the pool answers what was last set, even once a rollback undid it. */
    @Nullable String schema() throws SQLException {
        return driver.getSchema();
    }

    /** Keeps client info, type map and holdability as they are now, once, to put them back before release. */
    void keepOriginals() throws SQLException {
        if (originals == null) {
            // Copies: the driver hands out its own live objects.
            Properties clientInfo = new Properties();
            clientInfo.putAll(connection.getClientInfo());
            originals = new Originals(clientInfo, new HashMap<>(connection.getTypeMap()), connection.getHoldability());
        }
    }

    /** Puts back what was kept: the pool would leave it for the next borrower. */
    private void restoreOriginals() throws SQLException {
        if (originalSearchPath != null) {
            try (PreparedStatement statement = connection.prepareStatement("SELECT set_config('search_path', ?, false)")) {
                statement.setString(1, originalSearchPath);
                statement.execute();
            }
            originalSearchPath = null;
        }
        if (originals != null) {
            connection.setClientInfo(originals.clientInfo());
            connection.setTypeMap(originals.typeMap());
            connection.setHoldability(originals.holdability());
            originals = null;
        }
    }

    /**
     * Whether the server is a standby: as last seen, else asked once, in auto-commit mode so that asking
     * begins no transaction.
     *
     * @throws IllegalStateException when the server has a transaction open: switching to auto-commit
     * would commit it
     */
    boolean onStandby() throws SQLException {
        Boolean inRecovery = node.observed().inRecovery();
        if (inRecovery == null) {
            if (inTransaction()) {
                throw new IllegalStateException("Asked on a session with a transaction open");
            }
            autoCommit(true);
            inRecovery = WalPositions.replayed(connection) != null;
            node.observed().inRecovery(inRecovery);
        }
        return inRecovery;
    }

    /**
     * Returns the connection to its pool (or closes it, unpooled), rolling back first a transaction the
     * server still has open (the pool rolls back only what it saw begin, not a {@code BEGIN} sent as SQL in
     * auto-commit mode), then putting back what the caller changed that the pool does not reset and, from a
     * pinned session, dropping its locks, {@code LISTEN}s, cursors and temporary tables: the next borrower
     * must find none of them. A session that cannot be put back is aborted, so the pool evicts it.
     *
     * @throws SQLException when the session could not be put back; it is aborted then
     */
    void release() throws SQLException {
        if (node.retire(driver)) {
            // Its replacement goes to a standby of the node that has no connection (HostChooser.rebalance).
            abort();
            return;
        }
        try {
            resetForNextBorrower();
        }
        catch (SQLException | RuntimeException ex) {
            abort();
            throw ex;
        }
        if (ended.compareAndSet(false, true)) {
            connection.close();
        }
    }

    /** Rolls back the transaction the server has open, if any. */
    void rollBackOpenTransaction() throws SQLException {
        if (inTransaction()) {
            autoCommit(false);
            connection.rollback();
        }
    }

    private void resetForNextBorrower() throws SQLException {
        rollBackOpenTransaction();
        if (connection.isClosed()) {
            return;
        }
        // What follows must begin no transaction; the pool puts auto-commit back as it was anyway.
        autoCommit(true);
        restoreOriginals();
        if (pin != null) {
            SessionStateCheck.cleanUp(connection);
            // Notifications the driver received before UNLISTEN wait in its own queue, for the next borrower.
            driver.getNotifications();
        }
    }

    /**
     * Ends the connection at once: the driver drops the socket, then closing hands the broken connection
     * back, which the pool evicts (it would otherwise keep the slot borrowed forever). Does nothing once the
     * session was released or aborted: a logical connection aborted from another thread may race its own
     * release to it.
     */
    void abort() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        try {
            driver.abort(Runnable::run);
        }
        catch (SQLException ex) {
            logger.debug("Aborting a connection of node '{}' failed", node.name(), ex);
        }
        try {
            connection.close();
        }
        catch (SQLException ex) {
            // Expected: the pool finds the connection closed by the abort and evicts it.
            logger.trace("Closing an aborted connection of node '{}'", node.name(), ex);
        }
    }

    private record Originals(Properties clientInfo, Map<String, Class<?>> typeMap, int holdability) {
    }
}
