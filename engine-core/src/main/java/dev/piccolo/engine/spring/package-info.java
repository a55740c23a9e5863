/**
 * The engine's Spring Framework integration, with no Spring Boot: the {@code @UseNode} advisor and
 * interceptor, the attribute source that finds the annotation, and the task decorator that carries a
 * thread's node to another thread. Needs spring-aop and spring-core, optional dependencies of the
 * engine.
 *
 * <p>Nothing is {@code null} unless marked {@code @Nullable}.
 *
 * @since 0.2
 */
@NullMarked
package dev.piccolo.engine.spring;

import org.jspecify.annotations.NullMarked;
