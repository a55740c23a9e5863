/**
 * Ahead-of-time (GraalVM native image) hints.
 *
 * <p>Nothing is {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package dev.piccolo.engine.autoconfigure.aot;

import org.jspecify.annotations.NullMarked;
