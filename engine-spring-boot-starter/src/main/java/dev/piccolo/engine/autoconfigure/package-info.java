/**
 * Spring Boot auto-configuration of the engine: {@code piccolo.db.*} properties, the engine bean and
 * the application's routing {@code DataSource}, the {@code @UseNode} advice, pool lifecycle, stepping
 * aside where the engine has nothing to serve, and failure analyzers that name the property to fix.
 *
 * <p>Nothing is {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package dev.piccolo.engine.autoconfigure;

import org.jspecify.annotations.NullMarked;
