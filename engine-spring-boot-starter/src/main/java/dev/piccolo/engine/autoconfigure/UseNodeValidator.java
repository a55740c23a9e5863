package dev.piccolo.engine.autoconfigure;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.UseNode;
import dev.piccolo.engine.spring.UseNodeAdvisor;
import dev.piccolo.engine.spring.UseNodeAttributeSource;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.transaction.interceptor.BeanFactoryTransactionAttributeSourceAdvisor;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Checks, once every singleton exists, that each {@link UseNode} on the context's beans names a node
 * the engine has, that an auto-proxy creator will apply it, and that transaction advice runs inside
 * the node advice, and that no annotated method is one a proxy cannot intercept (private, final,
 * static). Any mistake fails start-up instead of silently running work on the primary. Methods
 * are resolved by the same {@link UseNodeAttributeSource} as the advice, so what routes is what was
 * checked.
 */
final class UseNodeValidator implements SmartInitializingSingleton {

    private final ConfigurableListableBeanFactory beanFactory;

    private final ObjectProvider<PostgresEngine> engineProvider;

    private final UseNodeAttributeSource attributes;

    UseNodeValidator(ConfigurableListableBeanFactory beanFactory, ObjectProvider<PostgresEngine> engineProvider,
            UseNodeAttributeSource attributes) {
        this.beanFactory = beanFactory;
        this.engineProvider = engineProvider;
        this.attributes = attributes;
    }

    @Override
    public void afterSingletonsInstantiated() {
        PostgresEngine engine = engineProvider.getObject();
        List<UnknownUseNodeException.Usage> unknown = new ArrayList<>();
        boolean used = false;
        Set<Class<?>> candidates = annotatedCandidates();
        refuseUnproxyableMethods(candidates);
        for (Class<?> type : candidates) {
            for (UnknownUseNodeException.Usage usage : usages(type)) {
                used = true;
                if (!engine.nodeContext().isKnown(usage.node())) {
                    unknown.add(usage);
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new UnknownUseNodeException(unknown, engine.nodeContext().nodeNames());
        }
        if (used) {
            requireProxying();
        }
    }

    private Set<Class<?>> annotatedCandidates() {
        Set<Class<?>> types = new LinkedHashSet<>();
        for (String name : beanFactory.getBeanDefinitionNames()) {
            Class<?> type = beanFactory.getType(name, false);
            if (type == null) {
                continue;
            }
            Class<?> user = ClassUtils.getUserClass(type);
            types.add(user);
            types.addAll(ClassUtils.getAllInterfacesForClassAsSet(user));
        }
        types.removeIf(type -> type.getName().startsWith("java.") || type.getName().startsWith("org.springframework."));
        return types;
    }

    /**
     * Refuses {@code @UseNode} on methods that no Spring proxy intercepts (private, final, static): their
     * work would run on the primary while the annotation claims otherwise.
     */
    private static void refuseUnproxyableMethods(Set<Class<?>> types) {
        List<String> refused = new ArrayList<>();
        for (Class<?> type : types) {
            ReflectionUtils.doWithLocalMethods(type, method -> {
                int modifiers = method.getModifiers();
                if (AnnotatedElementUtils.hasAnnotation(method, UseNode.class) && (Modifier.isPrivate(modifiers)
                        || Modifier.isFinal(modifiers) || Modifier.isStatic(modifiers))) {
                    refused.add(describe(method) + " is " + Modifier.toString(modifiers
                            & (Modifier.PRIVATE | Modifier.FINAL | Modifier.STATIC)));
                }
            });
        }
        if (!refused.isEmpty()) {
            throw new IllegalStateException("@UseNode cannot apply to " + String.join(", ", refused) + ": Spring's "
                    + "proxies do not intercept private, final or static methods, so the work would run on the "
                    + "primary. Make the method non-private, non-final and non-static, and call it through the bean "
                    + "(not from within its own class).");
        }
    }

    /** Every method of the type that the advice would route, once per annotated method or type. */
    private Set<UnknownUseNodeException.Usage> usages(Class<?> type) {
        Set<UnknownUseNodeException.Usage> usages = new LinkedHashSet<>();
        ReflectionUtils.doWithMethods(type, method -> attributes.nodeFor(method, type).ifPresent(node -> usages.add(
                new UnknownUseNodeException.Usage(AnnotatedElementUtils.hasAnnotation(method, UseNode.class)
                        ? describe(method) : type.getName(), node))),
                method -> method.getDeclaringClass() != Object.class);
        return usages;
    }

    private static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName() + "()";
    }

    private void requireProxying() {
        if (!beanFactory.containsBeanDefinition(AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME)) {
            throw new IllegalStateException("Beans use @UseNode but the context has no auto-proxy creator, so the "
                    + "annotation would be ignored and their work would run on the primary. Enable Spring AOP "
                    + "(spring.aop.auto=true, the default) or @EnableTransactionManagement.");
        }
        for (BeanFactoryTransactionAttributeSourceAdvisor transactions : beanFactory
                .getBeansOfType(BeanFactoryTransactionAttributeSourceAdvisor.class, false, false).values()) {
            int nodeOrder = beanFactory.getBeansOfType(UseNodeAdvisor.class, false, false).values().stream()
                    .mapToInt(UseNodeAdvisor::getOrder).min().orElse(UseNodeAdvisor.DEFAULT_ORDER);
            if (transactions.getOrder() <= nodeOrder) {
                throw new IllegalStateException("Transaction advice has order " + transactions.getOrder()
                        + ", which runs before the @UseNode advice (order " + nodeOrder + "): transactions would take "
                        + "their connection before the node is chosen. Give @EnableTransactionManagement an order "
                        + "greater than " + nodeOrder + " (Spring's default, Ordered.LOWEST_PRECEDENCE, is).");
            }
        }
    }
}
