package dev.piccolo.engine.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks {@link PostgresClusterExtension} for a cluster of the test class's own instead of the shared
 * one, for tests that stop, restart or otherwise disturb nodes. The cluster is started before first
 * use and closed after the test class.
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface OwnCluster {

    /**
     * How many replicas the cluster has.
     *
     * @return the number of replicas
     */
    int replicas() default 1;
}
