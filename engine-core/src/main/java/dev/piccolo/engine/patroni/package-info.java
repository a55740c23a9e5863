/**
 * Patroni's REST API as the engine reads it: {@code GET /cluster}, its members with their roles, states and
 * addresses. Engine support for the health probe (which member leads) and for discovery (which members a
 * group has), in the manner of HikariCP's {@code util} package: public for the engine's own packages, with
 * no compatibility promise. Needs Jackson on the class path.
 *
 * <p>Nothing is {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package dev.piccolo.engine.patroni;

import org.jspecify.annotations.NullMarked;
