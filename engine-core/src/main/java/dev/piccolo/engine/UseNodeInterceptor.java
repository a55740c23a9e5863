package dev.piccolo.engine;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Binds the node named by {@link UseNode} in {@link NodeContext} around a method call, and restores
 * the outer node afterwards, also when the method throws.
 *
 * <p>Ordering contract: this advice must run outside (before) transaction advice, so that the node is
 * chosen before the transaction manager takes a connection; {@link UseNodeAdvisor} is ordered so.
 * Entering a different node while a transaction already holds a connection of the engine's
 * {@code DataSource} fails with an {@link IllegalStateException}, instead of silently running on the
 * transaction's node. Thread-safe.
 */
public final class UseNodeInterceptor implements MethodInterceptor {

    private final NodeContext nodeContext;

    private final DataSource routingDataSource;

    private final ReadOnlyTransactionRouting readOnlyRouting;

    private final Map<MethodClassKey, Optional<Choice>> choices = new ConcurrentHashMap<>();

    /**
     * Creates the interceptor for one engine.
     *
     * @param nodeContext the engine's node context, which checks node names
     * @param routingDataSource the engine's routing data source, the key transactions bind their
     * connection under
     */
    public UseNodeInterceptor(NodeContext nodeContext, DataSource routingDataSource) {
        this(nodeContext, routingDataSource, null);
    }

    /**
     * Creates the interceptor for one engine, also sending read-only transactions to a node or group.
     *
     * @param nodeContext the engine's node context, which checks node names
     * @param routingDataSource the engine's routing data source, the key transactions bind their
     * connection under
     * @param readOnlyRouting where {@code @Transactional(readOnly = true)} work without
     * {@code @UseNode} goes, or {@code null} to leave it on the primary
     */
    public UseNodeInterceptor(NodeContext nodeContext, DataSource routingDataSource,
            ReadOnlyTransactionRouting readOnlyRouting) {
        this.nodeContext = nodeContext;
        this.routingDataSource = routingDataSource;
        this.readOnlyRouting = readOnlyRouting;
        if (readOnlyRouting != null) {
            nodeContext.requireKnown(readOnlyRouting.target());
        }
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Method method = invocation.getMethod();
        // Keyed by the target's own class: Spring Data repository proxies share one implementation class
        // (SimpleJpaRepository) but differ in the interfaces, and so the annotations, they carry.
        Choice choice = choices.computeIfAbsent(new MethodClassKey(method, target != null ? target.getClass() : null),
                key -> choose(method, target)).orElse(null);
        if (choice == null || (!choice.explicit() && !readOnlyRoutingApplies())) {
            return invocation.proceed();
        }
        if (choice.explicit()) {
            requireNoTransactionOnAnotherNode(choice.node(), method);
        }
        try (NodeContext.Scope scope = nodeContext.bind(choice.node())) {
            return invocation.proceed();
        }
    }

    /**
     * Returns the node a method runs on: its own {@link UseNode}, else its class's, else none.
     *
     * @param method the invoked method
     * @param targetClass the class of the target object, or {@code null}
     * @return the node name, or empty when the method has no {@code @UseNode}
     */
    public Optional<String> nodeFor(Method method, Class<?> targetClass) {
        return findAnnotation(method, targetClass).map(UseNode::value);
    }

    private Optional<Choice> choose(Method method, Object target) {
        Class<?> targetClass = target != null ? AopUtils.getTargetClass(target) : null;
        Optional<String> explicit = nodeFor(method, targetClass).or(() -> onProxiedInterfaces(target));
        if (explicit.isPresent()) {
            return Optional.of(new Choice(explicit.get(), true));
        }
        if (readOnlyRouting != null && readOnlyRouting.appliesTo(method, targetClass)) {
            return Optional.of(new Choice(readOnlyRouting.target(), false));
        }
        return Optional.empty();
    }

    /** A type-level {@code @UseNode} on an interface a JDK proxy implements, e.g. a Spring Data repository. */
    private static Optional<String> onProxiedInterfaces(Object target) {
        if (target == null || !AopUtils.isJdkDynamicProxy(target)) {
            return Optional.empty();
        }
        for (Class<?> proxied : AopProxyUtils.proxiedUserInterfaces(target)) {
            UseNode annotation = AnnotatedElementUtils.findMergedAnnotation(proxied, UseNode.class);
            if (annotation != null) {
                return Optional.of(annotation.value());
            }
        }
        return Optional.empty();
    }

    /**
     * A read-only transaction goes to its node only when it starts one: nothing is bound yet (an
     * explicit {@code @UseNode} outside wins) and no transaction holds a connection (it joins that one).
     */
    private boolean readOnlyRoutingApplies() {
        return NodeContext.bound().isEmpty() && TransactionSynchronizationManager.getResource(routingDataSource) == null;
    }

    /** Where a method's work goes, and whether {@code @UseNode} asked for it or read-only routing did. */
    private record Choice(String node, boolean explicit) {
    }

    /**
     * Finds the {@link UseNode} that applies to a method: the most specific method's (also declared on
     * an interface), else the target class's or the declaring class's.
     *
     * @param method the method
     * @param targetClass the target class, or {@code null}
     * @return the annotation, or empty
     */
    static Optional<UseNode> findAnnotation(Method method, Class<?> targetClass) {
        Method specific = targetClass != null ? AopUtils.getMostSpecificMethod(method, targetClass) : method;
        UseNode annotation = AnnotatedElementUtils.findMergedAnnotation(specific, UseNode.class);
        if (annotation == null && specific != method) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(method, UseNode.class);
        }
        if (annotation == null && targetClass != null) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(targetClass, UseNode.class);
        }
        if (annotation == null) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(method.getDeclaringClass(), UseNode.class);
        }
        return Optional.ofNullable(annotation);
    }

    private void requireNoTransactionOnAnotherNode(String requested, Method method) {
        String current = NodeContext.current();
        if (!requested.equals(current) && TransactionSynchronizationManager.getResource(routingDataSource) != null) {
            throw new IllegalStateException("@UseNode(\"" + requested + "\") on " + method.getDeclaringClass()
                    .getName() + "." + method.getName() + "() was entered inside a transaction that already holds a "
                    + "connection of node '" + current + "'; the call would run on '" + current + "', not on '"
                    + requested + "'. Put @UseNode on the method that starts the transaction (or on its class), or "
                    + "start a new transaction for this call with @Transactional(propagation = REQUIRES_NEW).");
        }
    }
}
