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

    private final Map<InvocationKey, Optional<Choice>> choices = new ConcurrentHashMap<>();

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
        Choice choice = choices.computeIfAbsent(new InvocationKey(method, target != null ? target.getClass() : null),
                key -> choose(method, target)).orElse(null);
        if (choice == null) {
            return invocation.proceed();
        }
        // One look-up of this thread's binding, restored as it was afterwards: this runs on every advised call.
        NodeContext.Binding binding = NodeContext.binding();
        String outer = binding.node;
        if (choice.explicit()) {
            requireNoTransactionOnAnotherNode(choice.node(), outer != null ? outer : PostgresEngine.PRIMARY, method);
        }
        else if (outer != null || transactionHoldsConnection()) {
            return invocation.proceed();
        }
        binding.node = choice.node();
        try {
            return invocation.proceed();
        }
        finally {
            binding.node = outer;
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

    /** Decided once per method and target class; names are checked here, not on every call. */
    private Optional<Choice> choose(Method method, Object target) {
        Class<?> targetClass = target != null ? AopUtils.getTargetClass(target) : null;
        Optional<String> explicit = nodeFor(method, targetClass).or(() -> onProxiedInterfaces(target));
        if (explicit.isPresent()) {
            nodeContext.requireKnown(explicit.get());
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
     * Whether a transaction already holds a connection of the engine. A read-only transaction goes to
     * its node only when it starts one: nothing is bound yet (an explicit {@code @UseNode} outside
     * wins) and no transaction holds a connection (it joins that one).
     */
    private boolean transactionHoldsConnection() {
        return TransactionSynchronizationManager.getResource(routingDataSource) != null;
    }

    /** Where a method's work goes, and whether {@code @UseNode} asked for it or read-only routing did. */
    private record Choice(String node, boolean explicit) {
    }

    /**
     * A method and target class compared by identity: AOP proxies hand the same {@code Method} instance
     * to every call, and {@code Method.equals} (which compares parameter types) cost a measurable part
     * of each advised call. Keyed by the target's own class because Spring Data repository proxies
     * share one implementation class but carry different interfaces, and so annotations.
     */
    private record InvocationKey(Method method, Class<?> targetClass) {

        @Override
        public boolean equals(Object other) {
            return other instanceof InvocationKey key && key.method == method && key.targetClass == targetClass;
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(method) + System.identityHashCode(targetClass);
        }
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

    private void requireNoTransactionOnAnotherNode(String requested, String current, Method method) {
        if (!requested.equals(current) && transactionHoldsConnection()) {
            throw new IllegalStateException("@UseNode(\"" + requested + "\") on " + method.getDeclaringClass()
                    .getName() + "." + method.getName() + "() was entered inside a transaction that already holds a "
                    + "connection of node '" + current + "'; the call would run on '" + current + "', not on '"
                    + requested + "'. Put @UseNode on the method that starts the transaction (or on its class), or "
                    + "start a new transaction for this call with @Transactional(propagation = REQUIRES_NEW).");
        }
    }
}
