/**
 * Discovery: a node group whose members come from the cluster itself while the application runs, beside
 * routing and not inside it. A {@link dev.piccolo.engine.discovery.MemberSource} says which servers there
 * are (Patroni's REST API, a DNS name); {@link dev.piccolo.engine.discovery.GroupDiscovery} asks it on an
 * interval and changes the engine through its public API only ({@code addNode}, {@code removeNode},
 * {@code setGroupMembers}), so routing sees discovered nodes as any others.
 *
 * <p>Nothing is {@code null} unless marked {@code @Nullable}.
 *
 * @since 0.3
 */
@NullMarked
package dev.piccolo.engine.discovery;

import org.jspecify.annotations.NullMarked;
