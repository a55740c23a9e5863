package dev.piccolo.engine.spring;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.piccolo.engine.UseNode;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Where {@link UseNode} is read, for every reader of it: the advisor's pointcut, the interceptor on
 * each call and the start-up validator, so a method is routed exactly when the validator checked it.
 * The annotation of a method wins over its type's; a type-level annotation may sit on the target class,
 * its superclasses or any interface it implements (a Spring Data repository interface, whose proxy
 * implements it). Results are cached per method and target class. Thread-safe.
 *
 * @since 0.2
 */
public final class UseNodeAttributeSource {

    private static final String NONE = "";

    private final Map<Key, String> cache = new ConcurrentHashMap<>();

    /**
     * Returns the node or group a method runs on when called on an instance of {@code targetClass}.
     *
     * @param method the invoked method
     * @param targetClass the class of the target object (for a JDK proxy, the proxy class), or {@code null}
     * @return the node name, or empty when no {@code @UseNode} applies
     */
    public Optional<String> nodeFor(Method method, @Nullable Class<?> targetClass) {
        String node = cache.computeIfAbsent(new Key(method, targetClass), key -> find(method, targetClass));
        return node == NONE ? Optional.empty() : Optional.of(node);
    }

    /** Like {@link #nodeFor} without the {@code Optional}, for the per-call path: {@code null} for none. */
    @Nullable String nodeOrNull(Method method, @Nullable Class<?> targetClass) {
        String node = cache.computeIfAbsent(new Key(method, targetClass), key -> find(method, targetClass));
        return node == NONE ? null : node;
    }

    private static String find(Method method, @Nullable Class<?> targetClass) {
        Method specific = targetClass != null && !Proxy.isProxyClass(targetClass)
                ? AopUtils.getMostSpecificMethod(method, targetClass) : method;
        UseNode annotation = AnnotatedElementUtils.findMergedAnnotation(specific, UseNode.class);
        if (annotation == null && specific != method) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(method, UseNode.class);
        }
        if (annotation == null && targetClass != null) {
            annotation = onType(targetClass);
        }
        if (annotation == null) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(method.getDeclaringClass(), UseNode.class);
        }
        return annotation != null ? annotation.value() : NONE;
    }

    /** The type's own annotation, else the first of its interfaces' (a JDK proxy's class carries none itself). */
    private static @Nullable UseNode onType(Class<?> type) {
        UseNode annotation = AnnotatedElementUtils.findMergedAnnotation(type, UseNode.class);
        if (annotation == null) {
            for (Class<?> implemented : type.getInterfaces()) {
                annotation = AnnotatedElementUtils.findMergedAnnotation(implemented, UseNode.class);
                if (annotation != null) {
                    break;
                }
            }
        }
        return annotation;
    }

    /**
     * A method and target class compared by identity: AOP proxies hand the same {@code Method} instance
     * to every call, and {@code Method.equals} (which compares parameter types) cost a measurable part
     * of each advised call. Keyed by the target's own class because Spring Data repository proxies share
     * one implementation class but carry different interfaces, and so annotations.
     */
    private record Key(Method method, @Nullable Class<?> targetClass) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.method == method && key.targetClass == targetClass;
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(method) + System.identityHashCode(targetClass);
        }
    }
}
