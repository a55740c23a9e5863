/**
 * The engine's free helpers, which know PostgreSQL and PgJDBC but nothing of nodes or routing (they use
 * the engine's value types, such as {@code ServerVersion}): connection URLs and the secrets in them, a
 * server's address in one form, what a server says about itself, WAL positions, a primary's WAL history for
 * lag, and connections opened one by one before a pool runs. Engine support, in the manner of HikariCP's
 * {@code util} package: public for the engine's own packages and its starter, with no compatibility promise.
 *
 * <p>Nothing is {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package dev.piccolo.engine.jdbc;

import org.jspecify.annotations.NullMarked;
