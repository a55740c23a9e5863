/**
 * Actuator health of the engine's nodes.
 *
 * <p>Nothing is {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package dev.piccolo.engine.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
