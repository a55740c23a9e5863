package dev.piccolo.engine;

/**
 * Hears routing events, e.g. to count fallbacks and joined transactions in metrics. Called on the
 * thread that routes.
 *
 * @since 0.1
 */
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
     * Work that asked for {@code requested} (a node or group) ran inside a transaction already open on
     * {@code node}, under {@link NodeSwitchPolicy#JOIN}. Reported once per transaction and request.
     *
     * @param requested the node or group asked for
     * @param node the node the open transaction runs on, which served the work
     */
    default void onJoin(String requested, String node) {
    }

    /**
     * A node joined while the application runs ({@link PostgresEngine#addNode}, discovery).
     *
     * @param node the node's name
     * @since 0.3
     */
    default void onNodeAdded(String node) {
    }

    /**
     * A node was removed while the application runs: it takes no new work, and its pool drains.
     *
     * @param node the node's name
     * @since 0.3
     */
    default void onNodeRemoved(String node) {
    }

    /**
     * The health probe saw a node change state.
     *
     * @param node the node
     * @param status what the probe saw
     */
    default void onStatusChange(String node, NodeStatus status) {
    }

    /**
     * A read that had to see an earlier write of its causal session was routed to a standby:
     * served there at once, after waiting, or sent to the primary instead ({@link ReadYourWrites}).
     *
     * @param node the standby chosen for the read
     * @param outcome what happened
     * @since 0.2
     */
    default void onReadYourWrites(String node, ReadYourWritesOutcome outcome) {
    }
}
