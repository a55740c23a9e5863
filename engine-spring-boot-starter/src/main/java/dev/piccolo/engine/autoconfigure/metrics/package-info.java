/**
 * Micrometer metrics of the engine's pools.
 *
 * <p>Nothing is {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package dev.piccolo.engine.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
