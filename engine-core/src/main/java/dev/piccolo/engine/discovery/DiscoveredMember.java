package dev.piccolo.engine.discovery;

/**
 * A server a {@link MemberSource} found.
 *
 * @param name a name for it, unique within its source, made of what identifies it (Patroni's member name,
 * the address and port), which the node's name is made of
 * @param host the server's host name or address
 * @param port the server's port
 * @param serving whether the source says its server serves now: a member joins the group only then, and
 * leaves only when the source no longer lists it (the health probe judges a member that stops serving)
 * @since 0.3
 */
public record DiscoveredMember(String name, String host, int port, boolean serving) {
}
