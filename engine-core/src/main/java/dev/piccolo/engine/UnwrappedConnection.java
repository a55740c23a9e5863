package dev.piccolo.engine;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * What {@code unwrap} returns for a driver interface ({@code PGConnection}, {@code BaseConnection}): the
 * driver's extensions ({@code getCopyAPI()}, {@code getNotifications()}, ...) of the session serving,
 * usable while the logical connection it came from is open and refusing every call once that closed, when
 * its server session is back in the pool and may serve someone else; the methods of {@code Connection}
 * itself are the logical connection's. Unwrapping pins the logical connection to that session, so it never
 * changes under the caller.
 */
final class UnwrappedConnection implements InvocationHandler {

    private static final Object[] NO_ARGUMENTS = {};

    private final Connection connection;

    private final Object target;

    private UnwrappedConnection(Connection connection, Object target) {
        this.connection = connection;
        this.target = target;
    }

    /**
     * Guards {@code target} for {@code connection}. A class rather than an interface cannot be proxied,
     * so it is returned as it is: its caller must stop using it when the logical connection closes.
     */
    static <T> T guard(Class<T> type, Connection connection, T target) {
        if (!type.isInterface()) {
            return target;
        }
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
                new UnwrappedConnection(connection, target)));
    }

    @Override
    public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
        // Null for a method without arguments; one shared empty array, not an allocation per call.
        Object[] arguments = args != null ? args : NO_ARGUMENTS;
        String name = method.getName();
        if ("equals".equals(name) && method.getParameterCount() == 1) {
            return proxy == arguments[0];
        }
        if ("hashCode".equals(name) && method.getParameterCount() == 0) {
            return System.identityHashCode(proxy);
        }
        if (method.getDeclaringClass().isAssignableFrom(Connection.class)) {
            // JDBC's own calls (auto-commit, commit, statements, close) go to the logical connection, which
            // keeps their bookkeeping; only the driver's extensions reach the driver.
            return call(method, connection, args);
        }
        if (connection.isClosed()) {
            throw closed(method);
        }
        return call(method, target, args);
    }

    private static @Nullable Object call(Method method, Object on, Object @Nullable [] args) throws Throwable {
        try {
            return method.invoke(on, args);
        }
        catch (InvocationTargetException ex) {
            throw ex.getCause();
        }
    }

    private static Exception closed(Method method) {
        String message = "This connection has been closed: the logical connection it was unwrapped from is closed, "
                + "and its server connection went back to the pool.";
        return Arrays.asList(method.getExceptionTypes()).contains(SQLException.class)
                ? new SQLException(message, "08003") : new IllegalStateException(message);
    }
}
