package dev.piccolo.engine.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.zaxxer.hikari.HikariConfig;
import org.jspecify.annotations.Nullable;
import com.zaxxer.hikari.util.UtilityElf;

/**
 * A node's connections while its pool does not run (before it opens and after it closes): each
 * request opens a connection of its own and closing it closes the server connection, as Piccolo does,
 * but at most the pool's {@code max-size} are open at once (a request waits up to the pool's
 * {@code connection-timeout} for one to close) and each gets the pool's session settings: auto-commit,
 * isolation, read-only, catalog, schema and {@code connection-init-sql}. Traffic that starts before the
 * application is ready (web requests, schedulers, listeners) thus cannot exhaust the server's
 * {@code max_connections}, and behaves as it will on pooled connections.
 */
public final class UnpooledConnections {

    private static final Object[] NO_ARGUMENTS = {};

    private final String node;

    private final Connector driver;

    private final HikariConfig settings;

    private final Semaphore permits;

    public UnpooledConnections(String node, Connector driver, HikariConfig settings) {
        this.node = node;
        this.driver = driver;
        this.settings = settings;
        this.permits = new Semaphore(settings.getMaximumPoolSize(), true);
    }

    /** Whether the connections start in auto-commit mode, as the pool's will. */
    public boolean autoCommit() {
        return settings.isAutoCommit();
    }

    public Connection getConnection() throws SQLException {
        acquire();
        Connection connection;
        try {
            connection = driver.connect();
        }
        catch (SQLException | RuntimeException ex) {
            permits.release();
            throw ex;
        }
        try {
            applySettings(connection);
        }
        catch (SQLException | RuntimeException ex) {
            try {
                connection.close();
            }
            catch (SQLException closing) {
                ex.addSuppressed(closing);
            }
            finally {
                permits.release();
            }
            throw ex;
        }
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] { Connection.class }, new PermitReturningHandler(connection));
    }

    private void acquire() throws SQLException {
        long timeout = settings.getConnectionTimeout();
        try {
            if (!permits.tryAcquire(timeout, TimeUnit.MILLISECONDS)) {
                throw new SQLTransientConnectionException("Node '" + node + "' has " + settings.getMaximumPoolSize()
                        + " connection(s) open, its pool's max-size, before its pool runs; none was closed within "
                        + "its connection-timeout of " + timeout + " ms", "08001");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("Interrupted while waiting for a connection to node '" + node
                    + "'", "08001", ex);
        }
    }

    private void applySettings(Connection connection) throws SQLException {
        connection.setAutoCommit(settings.isAutoCommit());
        if (settings.getTransactionIsolation() != null) {
            connection.setTransactionIsolation(UtilityElf.getTransactionIsolation(settings.getTransactionIsolation()));
        }
        if (settings.isReadOnly()) {
            connection.setReadOnly(true);
        }
        if (settings.getCatalog() != null) {
            connection.setCatalog(settings.getCatalog());
        }
        if (settings.getSchema() != null) {
            connection.setSchema(settings.getSchema());
        }
        if (settings.getConnectionInitSql() != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(settings.getConnectionInitSql());
            }
        }
    }

    /** Opens one server connection. */
    @FunctionalInterface
    public interface Connector {

        Connection connect() throws SQLException;
    }

    /** Delegates every call; the first {@code close()} or {@code abort()} also returns the connection's permit. */
    private final class PermitReturningHandler implements InvocationHandler {

        private final Connection target;

        private final AtomicBoolean returned = new AtomicBoolean();

        PermitReturningHandler(Connection target) {
            this.target = target;
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
            // Null for a method without arguments; one shared empty array, not an allocation per call.
            Object[] arguments = args != null ? args : NO_ARGUMENTS;
            boolean closing = "close".equals(method.getName()) && method.getParameterCount() == 0;
            if (closing || "abort".equals(method.getName()) && method.getParameterCount() == 1) {
                try {
                    if (closing) {
                        target.close();
                    }
                    else {
                        target.abort((Executor) arguments[0]);
                    }
                }
                finally {
                    if (returned.compareAndSet(false, true)) {
                        permits.release();
                    }
                }
                return null;
            }
            if ("equals".equals(method.getName()) && method.getParameterCount() == 1) {
                return proxy == arguments[0];
            }
            if ("hashCode".equals(method.getName()) && method.getParameterCount() == 0) {
                return System.identityHashCode(proxy);
            }
            try {
                return method.invoke(target, args);
            }
            catch (InvocationTargetException ex) {
                throw ex.getCause();
            }
        }
    }
}
