/**
 * Actuator endpoint support: masking of the engine's secrets.
 *
 * <p>Nothing is {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package dev.piccolo.engine.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
