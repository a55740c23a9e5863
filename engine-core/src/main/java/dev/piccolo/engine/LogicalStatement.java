package dev.piccolo.engine;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.Statement;

import org.jspecify.annotations.Nullable;

/**
 * A statement of a logical connection: the driver's statement, except that each execution first tells
 * the logical connection (which starts a unit of work when the last one ended, records what the SQL
 * leaves in the session and which node runs it), {@code getConnection()} answers the logical connection,
 * and while it is open its server session stays with the logical connection. A JDK proxy: three methods
 * differ from the driver's, out of some two hundred across the statement interfaces.
 */
final class LogicalStatement implements InvocationHandler {

    private static final Object[] NO_ARGUMENTS = {};

    private final LogicalConnection connection;

    private final ServerSession session;

    private final Statement target;

    /** What the prepared SQL leaves in the session, {@code null} for nothing or a plain statement. */
    private final @Nullable String preparedState;

    private boolean closed;

    private LogicalStatement(LogicalConnection connection, ServerSession session, Statement target,
            @Nullable String preparedState) {
        this.connection = connection;
        this.session = session;
        this.target = target;
        this.preparedState = preparedState;
    }

    /**
     * Wraps a statement the driver made on {@code session} for {@code connection}.
     *
     * @param type the interface the caller asked for: {@code Statement}, {@code PreparedStatement} or
     * {@code CallableStatement}
     * @param sql the prepared SQL, {@code null} for a plain statement
     */
    static <T extends Statement> T wrap(Class<T> type, LogicalConnection connection, ServerSession session, T target,
            @Nullable String sql) {
        session.statementOpened(target);
        LogicalStatement handler = new LogicalStatement(connection, session, target, SessionStateSql.stateSetBy(sql));
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, handler));
    }

    @Override
    public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
        // Null for a method without arguments; one shared empty array, not an allocation per call.
        Object[] arguments = args != null ? args : NO_ARGUMENTS;
        String name = method.getName();
        int arity = method.getParameterCount();
        switch (name) {
            case "close":
                close();
                return null;
            case "isClosed":
                return closed || connection.isClosed() || target.isClosed();
            case "equals":
                return proxy == arguments[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return target.toString();
            default:
                break;
        }
        if (closed || connection.isClosed() || name.startsWith("execute") && target.isClosed()) {
            // As the driver says of a closed statement (closeOnCompletion closes it behind this proxy), or of
            // one whose connection closed.
            throw new SQLException("This statement has been closed.", "55000");
        }
        if ("getConnection".equals(name) && arity == 0) {
            return connection;
        }
        if ("unwrap".equals(name) && ((Class<?>) arguments[0]).isInstance(proxy)) {
            return proxy;
        }
        if ("isWrapperFor".equals(name) && ((Class<?>) arguments[0]).isInstance(proxy)) {
            return true;
        }
        String sql = arity > 0 && arguments[0] instanceof String text ? text : null;
        if (name.startsWith("execute")) {
            connection.executing(session, sql != null ? SessionStateSql.stateSetBy(sql) : preparedState);
        }
        else if ("addBatch".equals(name) && sql != null) {
            String state = SessionStateSql.stateSetBy(sql);
            if (state != null) {
                session.pin(state);
            }
        }
        try {
            return method.invoke(target, args);
        }
        catch (InvocationTargetException ex) {
            throw ex.getCause() instanceof SQLException failure ? ServerGone.naming(session.node(), failure)
                    : ex.getCause();
        }
    }

    private void close() throws SQLException {
        if (!closed) {
            closed = true;
            session.statementClosed(target);
            if (!connection.isClosed()) {
                target.close();
            }
        }
    }
}
