/**
 * Micrometer observation support: the node of JDBC work as a key-value.
 *
 * <p>Nothing is {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package dev.piccolo.engine.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
