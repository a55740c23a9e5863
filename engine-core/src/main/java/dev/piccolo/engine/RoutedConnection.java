package dev.piccolo.engine;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logical connection the routing {@code DataSource} hands out: the node is a property of a unit
 * of work on it, not of the connection. It records auto-commit, read-only and isolation as transaction
 * managers set them, and takes its physical connection (from a node's pool, or unpooled) at the first
 * call that needs one, from the request on the thread at that moment ({@link NodeRouter#requested}).
 *
 * <p>A unit of work is a transaction, or one statement outside a transaction. Outside a transaction a
 * held logical connection (an open-in-view {@code EntityManager}, a JPA session kept across calls)
 * follows the current request at each unit of work: it keeps its physical connection while that still
 * serves the request and swaps it for one of the right node otherwise. Inside a transaction it stays on
 * the node where the transaction began, and every statement made for another node's request goes
 * through the {@link NodeSwitchPolicy}. Because all of this happens here, it holds whatever wraps the
 * engine's {@code DataSource} and whichever transaction manager or ORM holds the connection.
 *
 * <p>Statements are the physical connection's own (no wrapping, no cost per execution). Like any JDBC
 * connection, not for concurrent use by several threads.
 */
final class RoutedConnection implements Connection {

    private static final Logger logger = LoggerFactory.getLogger(RoutedConnection.class);

    private final NodeRouter router;

    /** Read-your-writes, {@code null} when it is off. */
    private final ReadYourWrites readYourWrites;

    /**
     * Whether work that may have written ran on the physical connection since the primary's position was
     * last read for read-your-writes: read after a commit, and before auto-commit work's connection goes.
     */
    private boolean mayHaveWritten;

    /**
     * The furthest position a standby had not replayed within max-wait on this connection: later units of
     * work needing no more go to the primary at once, so one request does not wait for it again and again.
     */
    private long sentToPrimaryFor;

    private Connection physical;

    private EngineNode node;

    /** The request the physical connection was chosen for, and its route. */
    private String request;

    private NodeRouter.Route route;

    /** Whether a transaction is open on the physical connection: not auto-commit, and work has started. */
    private boolean inTransaction;

    /** The last request that joined the open transaction, so each is reported once per transaction. */
    private String joined;

    /**
     * Whether a transaction has begun ({@code setAutoCommit(false)}) and runs no statement yet, and
     * what was bound on the thread at that moment: the transaction belongs to the work that began it,
     * not to whatever asks first.
     */
    private boolean begun;

    private String boundAtBegin;

    private boolean autoCommit;

    private boolean readOnly;

    /** Isolation the caller set, {@code null} for the node's own default. */
    private Integer isolation;

    /** What the physical connection is set to, so only changes reach the driver. */
    private boolean physicalAutoCommit;

    private boolean physicalReadOnly;

    private Integer physicalIsolation;

    private boolean closed;

    RoutedConnection(NodeRouter router) {
        this.router = router;
        this.readYourWrites = router.readYourWrites();
        this.autoCommit = router.autoCommitByDefault();
    }

    /**
     * Returns the physical connection for the work about to run: the transaction's while one is open,
     * else one of the node that serves the current request, with the recorded settings applied.
     */
    private Connection target() throws SQLException {
        requireOpen();
        String requested = router.requested(readOnly);
        if (!inTransaction) {
            // The read-only flag is read now, so it may be set before or after auto-commit is switched off.
            startUnitOfWork(begun ? router.requestFor(boundAtBegin, readOnly) : requested);
        }
        if (!requested.equals(request) && !requested.equals(joined)
                && router.switchInTransaction(requested, request, node)) {
            joined = requested;
        }
        if (readYourWrites != null && !mayHaveWritten && mayWrite()) {
            mayHaveWritten = true;
        }
        router.serving(node);
        return physical;
    }

    private void startUnitOfWork(String unitRequest) throws SQLException {
        if (!unitRequest.equals(request)) {
            route = router.route(unitRequest);
            request = unitRequest;
        }
        EngineNode chosen = route.select(node);
        long required = readYourWrites != null ? readYourWrites.required() : 0;
        if (required > 0 && required <= sentToPrimaryFor && chosen.inRecovery() != Boolean.FALSE) {
            chosen = router.primary();
        }
        if (chosen != node || physical == null) {
            attach(chosen);
        }
        if (required > 0 && !readsItsWrites(required)) {
            sentToPrimaryFor = required;
            attach(router.primary());
        }
        if (primaryInRecovery()) {
            throw new SQLException("Node '" + node.name() + "' is read-only now: the health probe found its server in "
                    + "recovery (a standby, after a failover or a demotion), so work that is not read-only would fail "
                    + "there. It runs again once the server is writable; to follow a failover without a restart, list "
                    + "the servers of both roles in the node's config host (host: a,b) with targetServerType=primary.",
                    "25006");
        }
        applySettings();
        inTransaction = !autoCommit;
        begun = false;
    }

    private void attach(EngineNode chosen) throws SQLException {
        release();
        Connection fresh = chosen.dataSource().getConnection();
        physical = fresh;
        node = chosen;
        physicalAutoCommit = fresh.getAutoCommit();
        physicalReadOnly = chosen.isReadOnly();
        physicalIsolation = null;
    }

    /** Whether this unit of work, which may write, asked for the main node while the probe sees its server in recovery. */
    private boolean primaryInRecovery() {
        return node.inRecovery() == Boolean.TRUE && node == router.primary() && !readOnly
                && request.equals(node.name()) && node.status().checkedAt() != null;
    }

    /**
     * Whether the unit of work may write: not read-only, on a writable node it asked for by name. Work
     * for a group, or sent to the primary by a fallback or by read-your-writes, asked for a replica: a read.
     */
    private boolean mayWrite() {
        return !readOnly && request.equals(node.name()) && !node.isReadOnly() && node.inRecovery() != Boolean.TRUE;
    }

    /**
     * Whether the node serves what this thread's causal session wrote: the primary does, a standby once it
     * has replayed it (waiting up to max-wait). Checked in auto-commit mode, so that no transaction's
     * snapshot is taken before the standby has caught up.
     */
    private boolean readsItsWrites(long required) throws SQLException {
        if (node.inRecovery() == Boolean.FALSE) {
            return true;
        }
        autoCommitPhysical();
        return readYourWrites.caughtUp(node, physical, required, router.primary());
    }

    /** Reads the primary's position after work that may have written, for the thread's causal session. */
    private void recordWrite() {
        mayHaveWritten = false;
        try {
            autoCommitPhysical();
            Long position = WalPositions.written(physical);
            node.inRecovery(position == null);
            if (position != null) {
                readYourWrites.written(position);
            }
        }
        catch (SQLException ex) {
            // The connection broke after the work; whatever failed will say so to the caller.
            logger.debug("Could not read the WAL position after work on node '{}'", node.name(), ex);
        }
    }

    /** Between units of work, no transaction is open: switching the driver to auto-commit sends nothing. */
    private void autoCommitPhysical() throws SQLException {
        if (!physicalAutoCommit) {
            physical.setAutoCommit(true);
            physicalAutoCommit = true;
        }
    }

    private void applySettings() throws SQLException {
        if (physicalAutoCommit != autoCommit) {
            physical.setAutoCommit(autoCommit);
            physicalAutoCommit = autoCommit;
        }
        // A node configured read-only stays so whatever the caller asks.
        boolean effectiveReadOnly = readOnly || node.isReadOnly();
        if (physicalReadOnly != effectiveReadOnly) {
            physical.setReadOnly(effectiveReadOnly);
            physicalReadOnly = effectiveReadOnly;
        }
        if (isolation != null && !isolation.equals(physicalIsolation)) {
            physical.setTransactionIsolation(isolation);
            physicalIsolation = isolation;
        }
    }

    private void release() throws SQLException {
        if (mayHaveWritten && !inTransaction) {
            recordWrite();
        }
        Connection releasing = physical;
        physical = null;
        node = null;
        if (releasing != null) {
            releasing.close();
        }
    }

    private void endTransaction() {
        inTransaction = false;
        begun = false;
        joined = null;
    }

    @Override
    public Statement createStatement() throws SQLException {
        return target().createStatement();
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        return target().createStatement(resultSetType, resultSetConcurrency);
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        return target().createStatement(resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return target().prepareStatement(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        return target().prepareStatement(sql, resultSetType, resultSetConcurrency);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        return target().prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return target().prepareStatement(sql, autoGeneratedKeys);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return target().prepareStatement(sql, columnIndexes);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return target().prepareStatement(sql, columnNames);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return target().prepareCall(sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        return target().prepareCall(sql, resultSetType, resultSetConcurrency);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        return target().prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        return target().nativeSQL(sql);
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        requireOpen();
        if (autoCommit && inTransaction) {
            // JDBC: switching auto-commit on commits the open transaction.
            physical.setAutoCommit(true);
            physicalAutoCommit = true;
            endTransaction();
            if (mayHaveWritten) {
                recordWrite();
            }
        }
        else if (!autoCommit && this.autoCommit) {
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
        if (inTransaction) {
            try {
                physical.commit();
            }
            finally {
                endTransaction();
            }
            if (mayHaveWritten) {
                recordWrite();
            }
        }
        else if (autoCommit) {
            throw new SQLException("Cannot commit when autoCommit is enabled.", "25P01");
        }
    }

    @Override
    public void rollback() throws SQLException {
        requireOpen();
        if (inTransaction) {
            try {
                physical.rollback();
            }
            finally {
                endTransaction();
            }
        }
        else if (autoCommit) {
            throw new SQLException("Cannot rollback when autoCommit is enabled.", "25P01");
        }
    }

    @Override
    public void close() throws SQLException {
        if (!closed) {
            closed = true;
            // A transaction left open is rolled back with the connection: nothing of it to record.
            mayHaveWritten &= !inTransaction;
            endTransaction();
            release();
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return target().getMetaData();
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        requireOpen();
        if (inTransaction) {
            // The driver decides whether that is allowed in the middle of the transaction.
            physical.setReadOnly(readOnly || node.isReadOnly());
            physicalReadOnly = readOnly || node.isReadOnly();
        }
        this.readOnly = readOnly;
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        requireOpen();
        return readOnly;
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        target().setCatalog(catalog);
    }

    @Override
    public String getCatalog() throws SQLException {
        return target().getCatalog();
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        requireOpen();
        if (inTransaction) {
            physical.setTransactionIsolation(level);
            physicalIsolation = level;
        }
        this.isolation = level;
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        requireOpen();
        return isolation != null ? isolation : target().getTransactionIsolation();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        requireOpen();
        return physical != null ? physical.getWarnings() : null;
    }

    @Override
    public void clearWarnings() throws SQLException {
        requireOpen();
        if (physical != null) {
            physical.clearWarnings();
        }
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        return target().getTypeMap();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        target().setTypeMap(map);
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        target().setHoldability(holdability);
    }

    @Override
    public int getHoldability() throws SQLException {
        return target().getHoldability();
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return target().setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        return target().setSavepoint(name);
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        target().rollback(savepoint);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        target().releaseSavepoint(savepoint);
    }

    @Override
    public Clob createClob() throws SQLException {
        return target().createClob();
    }

    @Override
    public Blob createBlob() throws SQLException {
        return target().createBlob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return target().createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return target().createSQLXML();
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        return !closed && target().isValid(timeout);
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        clientInfoTarget().setClientInfo(name, value);
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        clientInfoTarget().setClientInfo(properties);
    }

    private Connection clientInfoTarget() throws SQLClientInfoException {
        try {
            return target();
        }
        catch (SQLException ex) {
            throw new SQLClientInfoException(ex.getMessage(), ex.getSQLState(), ex.getErrorCode(), Map.of(), ex);
        }
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        return target().getClientInfo(name);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        return target().getClientInfo();
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        return target().createArrayOf(typeName, elements);
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        return target().createStruct(typeName, attributes);
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        target().setSchema(schema);
    }

    @Override
    public String getSchema() throws SQLException {
        return target().getSchema();
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        if (!closed) {
            closed = true;
            endTransaction();
            if (physical != null) {
                physical.abort(executor);
            }
        }
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        target().setNetworkTimeout(executor, milliseconds);
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return target().getNetworkTimeout();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : target().unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || target().isWrapperFor(type);
    }

    private void requireOpen() throws SQLException {
        if (closed) {
            throw new SQLException("The connection is closed", "08003");
        }
    }

    @Override
    public String toString() {
        return "RoutedConnection[node=" + (node != null ? node.name() : "none yet") + ", inTransaction="
                + inTransaction + ", closed=" + closed + "]";
    }
}
