package dev.piccolo.engine;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

/**
 * What the engine's {@code DataSource}s have in common: they connect with their nodes' configured
 * users (so {@link #getConnection(String, String)} is refused), log through SLF4J rather than a
 * {@code PrintWriter}, and take their timeouts from the nodes' settings rather than
 * {@link #setLoginTimeout(int)}.
 */
abstract class SingleUserDataSource implements DataSource {

    /**
     * Not supported: every node connects with its configured user.
     *
     * @throws SQLException always
     */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLException(this + " connects with its nodes' configured users; getConnection(user, password) "
                + "is not supported");
    }

    @Override
    public @Nullable PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // Logging goes through SLF4J; a log writer is ignored, as JDBC allows.
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // Each node's connect and pool timeouts apply; a global login timeout is ignored, as JDBC allows.
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("The engine logs through SLF4J, not java.util.logging");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException(this + " does not wrap a " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
