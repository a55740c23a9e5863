package dev.piccolo.engine;

/**
 * What happens when work asks for a node ({@link UseNode}, {@link NodeContext}, a group) while a
 * transaction is already open on another node: a transaction runs on one server, so the work can only
 * join it there or be refused. Decided at the connection, so it holds whatever wraps the engine's
 * {@code DataSource}. A transaction that is suspended ({@code REQUIRES_NEW}, {@code NOT_SUPPORTED}) is
 * not open for this purpose: the new work starts on the node it asks for.
 *
 * @since 0.2
 */
public enum NodeSwitchPolicy {

    /**
     * Run the work inside the open transaction, on the transaction's node, so it sees the transaction's
     * own writes; logged at DEBUG and reported to {@link RoutingListener#onJoin(String, String)}.
     */
    JOIN,

    /** Throw an {@link IllegalStateException} that names both nodes and the remedies. */
    FAIL
}
