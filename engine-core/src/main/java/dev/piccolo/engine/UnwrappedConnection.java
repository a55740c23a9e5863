package dev.piccolo.engine;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * What {@code unwrap} returns for a driver interface ({@code PGConnection}, {@code BaseConnection}): the
 * driver's connection, usable while the logical connection it came from is open and refusing every call
 * once that closed, when its server session is back in the pool and may serve someone else. Unwrapping
 * pins the logical connection to that session, so it never changes under the caller.
 */
final class UnwrappedConnection implements InvocationHandler {

    private final RoutedConnection connection;

    private final Object target;

    private UnwrappedConnection(RoutedConnection connection, Object target) {
        this.connection = connection;
        this.target = target;
    }

    /**
     * Guards {@code target} for {@code connection}. A class rather than an interface cannot be proxied,
     * so it is returned as it is: its caller must stop using it when the logical connection closes.
     */
    static <T> T guard(Class<T> type, RoutedConnection connection, T target) {
        if (!type.isInterface()) {
            return target;
        }
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
                new UnwrappedConnection(connection, target)));
    }

    @Override
    public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
        switch (method.getName()) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "isClosed":
                if (connection.isClosed()) {
                    return true;
                }
                break;
            default:
                if (connection.isClosed()) {
                    throw closed(method);
                }
        }
        try {
            return method.invoke(target, args);
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
