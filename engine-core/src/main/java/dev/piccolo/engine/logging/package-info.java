/**
 * Query and response logging ({@code log-queries}, {@code log-responses}) through datasource-proxy, the only
 * place the engine uses it. Engine support: public for the engine's own packages, with no compatibility
 * promise.
 *
 * <p>Nothing is {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package dev.piccolo.engine.logging;

import org.jspecify.annotations.NullMarked;
