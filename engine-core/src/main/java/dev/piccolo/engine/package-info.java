/**
 * The engine: {@link dev.piccolo.engine.PostgresEngine} and its builder, nodes and their configuration,
 * node groups, the routing {@code DataSource}, the per-thread {@link dev.piccolo.engine.NodeContext}, the
 * {@link dev.piccolo.engine.UseNode} annotation, health probing and query logging. Plain Java: nothing
 * here uses Spring. Routing internals (the router, the logical connection, the unpooled phase) are
 * package-private; what is public is the API.
 *
 * <p>Nothing is {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package dev.piccolo.engine;

import org.jspecify.annotations.NullMarked;
