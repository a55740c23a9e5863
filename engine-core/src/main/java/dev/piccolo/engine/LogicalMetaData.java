package dev.piccolo.engine;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.DatabaseMetaData;

import org.jspecify.annotations.Nullable;

/**
 * The {@code DatabaseMetaData} of a logical connection: {@code getConnection()} answers the logical
 * connection, and every other call goes to the metadata of the server session serving at that moment,
 * so metadata kept across units of work never reaches a session that went back to the pool.
 */
final class LogicalMetaData implements InvocationHandler {

    private static final Object[] NO_ARGUMENTS = {};

    private final LogicalConnection connection;

    private LogicalMetaData(LogicalConnection connection) {
        this.connection = connection;
    }

    static DatabaseMetaData of(LogicalConnection connection) {
        return (DatabaseMetaData) Proxy.newProxyInstance(DatabaseMetaData.class.getClassLoader(),
                new Class<?>[] { DatabaseMetaData.class }, new LogicalMetaData(connection));
    }

    @Override
    public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
        // Null for a method without arguments; one shared empty array, not an allocation per call.
        Object[] arguments = args != null ? args : NO_ARGUMENTS;
        switch (method.getName()) {
            case "getConnection":
                return connection;
            case "equals":
                return proxy == arguments[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "LogicalMetaData[" + connection + "]";
            default:
                try {
                    return method.invoke(connection.serverMetaData(), args);
                }
                catch (InvocationTargetException ex) {
                    throw ex.getCause();
                }
        }
    }
}
