/**
 * The engine's free JDBC helpers, which know PostgreSQL and PgJDBC but nothing of nodes or routing:
 * connection URLs and the secrets in them, what a server says about itself, WAL positions, a primary's WAL
 * history for lag, connections opened one by one before a pool runs, and a {@code DataSource} base for a
 * single configured user. Engine support, in the manner of HikariCP's {@code util} package: public for the
 * engine's own packages and its starter, with no compatibility promise.
 *
 * <p>Nothing is {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package dev.piccolo.engine.jdbc;

import org.jspecify.annotations.NullMarked;
