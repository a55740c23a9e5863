package dev.piccolo.engine;

/** Hears routing events, e.g. to count fallbacks in metrics. Called on the thread that routes. */
public interface RoutingListener {

    /**
     * A connection asked for {@code requested} (a node or group) went to {@code fallback} because no
     * node of {@code requested} was usable.
     *
     * @param requested the node or group asked for
     * @param fallback the node that served instead
     */
    default void onFallback(String requested, String fallback) {
    }

    /**
     * The health probe saw a node change state.
     *
     * @param node the node
     * @param status what the probe saw
     */
    default void onStatusChange(String node, NodeStatus status) {
    }
}
