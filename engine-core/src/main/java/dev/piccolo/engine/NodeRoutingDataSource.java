package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.AbstractDataSource;

/**
 * The engine's {@code DataSource}: each {@link #getConnection()} goes to the node bound in
 * {@link NodeContext} on the calling thread, the main node when none is bound.
 *
 * <p>Thread-safe. A bound name the engine does not have throws {@link UnknownNodeException}; it
 * never falls back to the primary. A group name picks one of its usable members per connection.
 */
public final class NodeRoutingDataSource extends AbstractDataSource {

    private final NodeRouter router;

    NodeRoutingDataSource(NodeRouter router) {
        this.router = router;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return currentTarget().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return currentTarget().getConnection(username, password);
    }

    /**
     * Returns the {@code DataSource} of the node that serves the next connection on this thread: the
     * bound node, or a member of the bound group chosen now.
     *
     * @return that node's own data source
     * @throws UnknownNodeException when the bound name is not one of this engine's
     * @throws SQLException when no node of the bound name is usable and it has no fallback
     */
    public DataSource currentTarget() throws SQLException {
        return router.select(NodeContext.current()).dataSource();
    }

    @Override
    public String toString() {
        return "NodeRoutingDataSource";
    }
}
