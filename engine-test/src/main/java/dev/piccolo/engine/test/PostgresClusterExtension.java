package dev.piccolo.engine.test;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit Jupiter extension that hands tests a running {@link PostgresCluster}: the JVM's shared
 * cluster for a plain {@code PostgresCluster} parameter, or, for a parameter annotated
 * {@link OwnCluster}, one owned by the test class and closed after it.
 *
 * <pre>{@code
 * @ExtendWith(PostgresClusterExtension.class)
 * class ReplicaTests {
 *     @Test
 *     void readsFromTheReplica(PostgresCluster cluster) { ... }
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class PostgresClusterExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PostgresClusterExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == PostgresCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.findAnnotation(OwnCluster.class)
                .map(own -> ownCluster(own.replicas(), extensionContext))
                .orElseGet(PostgresCluster::shared);
    }

    private static PostgresCluster ownCluster(int replicas, ExtensionContext context) {
        ExtensionContext classContext = context.getTestMethod().isPresent() ? context.getParent().orElseThrow() : context;
        // The store closes AutoCloseable values when the test class's context ends.
        return classContext.getStore(NAMESPACE).computeIfAbsent("cluster-" + replicas,
                key -> PostgresCluster.start(replicas), PostgresCluster.class);
    }
}
