package dev.piccolo.engine.spring;

import java.lang.reflect.Method;

import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.UseNode;

import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.Ordered;

/**
 * The Spring AOP advisor that applies {@link UseNode} on beans' methods and types with a
 * {@link UseNodeInterceptor}. Spring AOP only; no AspectJ weaver.
 *
 * <p>Its order, {@link #DEFAULT_ORDER}, is ahead of the transaction advisor's default
 * ({@link Ordered#LOWEST_PRECEDENCE}), so the node is bound before a transaction starts. If the
 * application gives its transaction advice a custom order, keep it after this one.
 *
 * @since 0.1
 */
public final class UseNodeAdvisor extends AbstractPointcutAdvisor {

    /** The advisor's default order: well ahead of transaction, cache and most other advice. */
    public static final int DEFAULT_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    private static final long serialVersionUID = 1L;

    private final transient MethodInterceptor interceptor;

    private final transient Pointcut pointcut;

    /**
     * Creates the advisor that applies {@link UseNode} with one engine's nodes, for {@code ProxyFactory}
     * or an auto-proxy creator. In Spring Boot the starter registers one.
     *
     * @param engine the engine
     * @return a new advisor, ordered {@link #DEFAULT_ORDER}
     */
    public static UseNodeAdvisor forEngine(PostgresEngine engine) {
        UseNodeAttributeSource attributes = new UseNodeAttributeSource();
        return new UseNodeAdvisor(new UseNodeInterceptor(engine.nodeContext(), attributes), attributes);
    }

    /**
     * Creates the advisor for methods with {@link UseNode}.
     *
     * @param interceptor the interceptor that binds the node: a {@link UseNodeInterceptor}, or one that
     * delegates to it (e.g. to create the engine lazily)
     * @param attributes where {@code @UseNode} is read, the same instance the interceptor reads
     */
    public UseNodeAdvisor(MethodInterceptor interceptor, UseNodeAttributeSource attributes) {
        this.interceptor = interceptor;
        this.pointcut = new StaticMethodMatcherPointcut() {

            @Override
            public boolean matches(Method method, Class<?> targetClass) {
                return attributes.nodeFor(method, targetClass).isPresent();
            }
        };
        setOrder(DEFAULT_ORDER);
    }

    @Override
    public Pointcut getPointcut() {
        return pointcut;
    }

    @Override
    public Advice getAdvice() {
        return interceptor;
    }
}
