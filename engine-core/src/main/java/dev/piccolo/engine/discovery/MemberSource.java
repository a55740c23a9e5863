package dev.piccolo.engine.discovery;

import java.io.IOException;
import java.util.List;

/**
 * Where a group's members come from: asked on every refresh for the servers that should serve the group
 * now. Implement it for another source (Consul, a cloud API); it need not be thread-safe, as one refresh
 * runs at a time.
 *
 * @since 0.3
 */
@FunctionalInterface
public interface MemberSource {

    /**
     * Returns the servers that should serve the group now.
     *
     * @return the members, each with a name unique among them
     * @throws IOException when the source cannot be asked; the group then keeps the members it has
     */
    List<DiscoveredMember> members() throws IOException;
}
