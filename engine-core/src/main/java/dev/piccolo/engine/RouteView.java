package dev.piccolo.engine;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a node or group name would be served by now, as routing sees it, without routing anything.
 *
 * @param name the node or group
 * @param candidates the nodes a unit of work asking for it may run on now (one for a node, the usable
 * members for a group), with the share of its work each takes (below 1 while a joined node ramps up)
 * @param excluded each node left out and why: down, lagging, not streaming, out of rotation
 * @param fallback the node that takes the work when there is no candidate, {@code null} when the work then
 * fails
 * @since 0.3
 */
public record RouteView(String name, List<Candidate> candidates, List<String> excluded, @Nullable String fallback) {

    /**
     * Copies the lists.
     */
    public RouteView {
        candidates = List.copyOf(candidates);
        excluded = List.copyOf(excluded);
    }

    /**
     * A node a unit of work may run on.
     *
     * @param node the node's name
     * @param share the share of the work it takes, from 0 to 1
     */
    public record Candidate(String node, double share) {
    }
}
