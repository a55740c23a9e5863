package dev.piccolo.engine;

import java.lang.reflect.Method;

import org.springframework.transaction.interceptor.TransactionAttribute;
import org.springframework.transaction.interceptor.TransactionAttributeSource;

/**
 * Sends {@code @Transactional(readOnly = true)} work that has no {@link UseNode} to a node or group
 * (e.g. {@code replicas}); everything else stays on the primary. The node is chosen by the
 * {@link UseNodeInterceptor} before the transaction advice runs, so no connection of the primary is
 * taken first. An explicit {@code @UseNode} always wins, and a read-only method called inside a running
 * transaction joins that transaction where it is.
 *
 * @param target the node or group read-only transactions go to
 * @param transactionAttributes where transaction settings are read from, usually an
 * {@code AnnotationTransactionAttributeSource}
 */
public record ReadOnlyTransactionRouting(String target, TransactionAttributeSource transactionAttributes) {

    /**
     * Returns whether a method starts, or joins, a read-only transaction.
     *
     * @param method the method
     * @param targetClass the target class, or {@code null}
     * @return {@code true} when its transaction attribute is read-only
     */
    public boolean appliesTo(Method method, Class<?> targetClass) {
        TransactionAttribute attribute = transactionAttributes.getTransactionAttribute(method, targetClass);
        return attribute != null && attribute.isReadOnly();
    }
}
