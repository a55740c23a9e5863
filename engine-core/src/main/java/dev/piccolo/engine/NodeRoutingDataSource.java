package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.SQLException;



/**
 * The engine's {@code DataSource}. Each {@link #getConnection()} returns a logical connection that
 * takes no physical connection yet: at the first call that needs one, and again at each unit of work
 * outside a transaction, it goes to the node the work asks for on its thread (bound in the engine's
 * {@link NodeContext}, else the read-only target for a read-only transaction, else the main node). A
 * transaction stays on the node where it began; see {@link NodeSwitchPolicy} for requests made inside
 * one.
 *
 * <p>Thread-safe. A requested name the engine does not have throws {@link UnknownNodeException} at the
 * first statement; it never falls back to the primary. A group name picks one of its usable members per
 * unit of work.
 *
 * @since 0.1
 */
public final class NodeRoutingDataSource extends SingleUserDataSource {

    private final NodeRouter router;

    NodeRoutingDataSource(NodeRouter router) {
        this.router = router;
    }

    @Override
    public Connection getConnection() {
        return new RoutedConnection(router);
    }

    @Override
    public String toString() {
        return "NodeRoutingDataSource";
    }
}
