package dev.piccolo.engine.spring;

import dev.piccolo.engine.NodeContext;
import dev.piccolo.engine.NodeRoutingDataSource;
import dev.piccolo.engine.NodeSwitchPolicy;
import dev.piccolo.engine.UseNode;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * Binds the node named by {@link UseNode} in the engine's {@link NodeContext} around a method call, and
 * restores the outer binding afterwards, also when the method throws.
 *
 * <p>It only binds: the node is decided where the work starts, at the connection (see
 * {@link NodeRoutingDataSource}), so the advice is right whatever the transaction propagation, whatever
 * wraps the {@code DataSource}, and whether or not a transaction is already open (then
 * {@link NodeSwitchPolicy} applies). Ordered before transaction advice by {@link UseNodeAdvisor}, so a
 * transaction started by the same method starts on the node. Thread-safe.
 *
 * @since 0.1
 */
public final class UseNodeInterceptor implements MethodInterceptor {

    private final NodeContext nodeContext;

    private final UseNodeAttributeSource attributes;

    /**
     * Creates the interceptor for one engine.
     *
     * @param nodeContext the engine's node context, which checks node names
     * @param attributes where {@code @UseNode} is read, shared with the advisor's pointcut
     */
    public UseNodeInterceptor(NodeContext nodeContext, UseNodeAttributeSource attributes) {
        this.nodeContext = nodeContext;
        this.attributes = attributes;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        String node = attributes.nodeOrNull(invocation.getMethod(), target != null ? target.getClass() : null);
        if (node == null) {
            return invocation.proceed();
        }
        try (NodeContext.Scope scope = nodeContext.bind(node)) {
            return invocation.proceed();
        }
    }
}
