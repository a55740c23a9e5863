package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

/**
 * What a caller set through the JDBC API on a logical connection beyond auto-commit and read-only:
 * isolation, schema, catalog, network timeout, client info, type map and holdability. Each is passed
 * on at once to the server session serving, recorded, and applied to every later one, so the caller
 * sees one connection whatever node serves. Nothing is recorded when the driver refuses a value.
 *
 * <p>HikariCP resets isolation and network timeout when a connection comes back, and schema and catalog only
 * when its pool configures them; the schema, client info, type map and holdability are put back
 * (by {@link ServerSession#release()}) before a session is released. Catalog is a no-op in PgJDBC.
 */
final class SessionSettings {

    private @Nullable Integer isolation;

    private @Nullable String schema;

    private @Nullable String catalog;

    private @Nullable Executor networkTimeoutExecutor;

    private @Nullable Integer networkTimeout;

    private @Nullable Properties clientInfo;

    private @Nullable Map<String, Class<?>> typeMap;

    private @Nullable Integer holdability;

    /** The isolation the caller set, {@code null} for the node's own default. */
    @Nullable Integer isolation() {
        return isolation;
    }

    void isolation(int level, @Nullable ServerSession session) throws SQLException {
        if (session != null) {
            applyIsolation(level, session);
        }
        else if (level != Connection.TRANSACTION_READ_UNCOMMITTED && level != Connection.TRANSACTION_READ_COMMITTED
                && level != Connection.TRANSACTION_REPEATABLE_READ && level != Connection.TRANSACTION_SERIALIZABLE) {
            throw new SQLException("Transaction isolation level " + level + " not supported.", "0A000");
        }
        isolation = level;
    }

    void schema(@Nullable String schema, ServerSession session) throws SQLException {
        session.keepOriginalSchema();
        session.connection().setSchema(schema);
        this.schema = schema;
    }

    /** After a rollback, which undoes a {@code SET search_path} of its transaction: the server's schema is the truth. */
    void rolledBack(ServerSession session) throws SQLException {
        if (schema != null) {
            if (!session.inTransaction()) {
                // Asking must not begin the next transaction.
                session.autoCommit(true);
            }
            // Back to the path the session had (not to the schema it resolves to): then nothing is set.
            schema = session.searchPathAsBorrowed() ? null : session.schema();
        }
    }

    void catalog(@Nullable String catalog, @Nullable ServerSession session) throws SQLException {
        if (session != null) {
            session.connection().setCatalog(catalog);
        }
        this.catalog = catalog;
    }

    void networkTimeout(Executor executor, int milliseconds, ServerSession session) throws SQLException {
        session.connection().setNetworkTimeout(executor, milliseconds);
        networkTimeoutExecutor = executor;
        networkTimeout = milliseconds;
    }

    void clientInfo(String name, @Nullable String value, ServerSession session) throws SQLException {
        session.keepOriginals();
        session.connection().setClientInfo(name, value);
        Properties recorded = clientInfo != null ? clientInfo : new Properties();
        if (value != null) {
            recorded.setProperty(name, value);
        }
        else {
            recorded.remove(name);
        }
        clientInfo = recorded;
    }

    void clientInfo(Properties properties, ServerSession session) throws SQLException {
        session.keepOriginals();
        session.connection().setClientInfo(properties);
        Properties recorded = new Properties();
        recorded.putAll(properties);
        clientInfo = recorded;
    }

    void typeMap(Map<String, Class<?>> map, ServerSession session) throws SQLException {
        session.keepOriginals();
        session.connection().setTypeMap(map);
        typeMap = map;
    }

    void holdability(int holdability, ServerSession session) throws SQLException {
        session.keepOriginals();
        session.connection().setHoldability(holdability);
        this.holdability = holdability;
    }

    /**
     * Applies what the caller set to a session about to serve.
     *
     * @throws SQLException when the session's server cannot give it (SERIALIZABLE on a standby)
     */
    void applyTo(ServerSession session) throws SQLException {
        Connection connection = session.connection();
        if (isolation != null) {
            applyIsolation(isolation, session);
        }
        if (schema != null) {
            session.keepOriginalSchema();
            connection.setSchema(schema);
        }
        if (catalog != null) {
            connection.setCatalog(catalog);
        }
        if (networkTimeout != null) {
            connection.setNetworkTimeout(networkTimeoutExecutor, networkTimeout);
        }
        if (clientInfo != null || typeMap != null || holdability != null) {
            session.keepOriginals();
        }
        if (clientInfo != null) {
            connection.setClientInfo(clientInfo);
        }
        if (typeMap != null) {
            connection.setTypeMap(typeMap);
        }
        if (holdability != null) {
            connection.setHoldability(holdability);
        }
    }

    private static void applyIsolation(int level, ServerSession session) throws SQLException {
        if (session.inTransaction()) {
            // The driver refuses a change inside a transaction, as it should.
            session.connection().setTransactionIsolation(level);
            return;
        }
        if (level == Connection.TRANSACTION_SERIALIZABLE && session.onStandby()) {
            String node = session.node().name();
            throw new SQLException("Node '" + node + "' is a standby, which cannot run SERIALIZABLE transactions, "
                    + "and this connection's isolation is SERIALIZABLE. Use REPEATABLE READ for work on '" + node
                    + "', or keep serializable work on the primary (a connection of its own, or reset the isolation "
                    + "before the work moves).", "0A000");
        }
        session.connection().setTransactionIsolation(level);
    }
}
