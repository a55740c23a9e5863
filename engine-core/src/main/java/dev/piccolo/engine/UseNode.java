package dev.piccolo.engine;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated method, or every method of the annotated type, on a named node:
 * {@code @UseNode("read_replica_1")}. An annotation on a method wins over one on its type.
 *
 * <p>Applied by {@link dev.piccolo.engine.spring.UseNodeInterceptor} through Spring AOP proxies, so it works on public methods
 * called through the bean (not on {@code this.method()} calls from inside the same object). The node
 * is bound before any transaction advice runs, so {@code @Transactional} on the same method starts
 * its transaction on this node. The name must be one the engine has; an unknown name fails, it never
 * falls back to the primary.
 *
 * @since 0.1
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface UseNode {

    /**
     * The node's name: {@code primary} or an extra node's name exactly as configured.
     *
     * @return the node name
     */
    String value();
}
