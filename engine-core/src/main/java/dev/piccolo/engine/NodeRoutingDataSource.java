package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.AbstractDataSource;

/**
 * The engine's {@code DataSource}: each {@link #getConnection()} goes to the node bound in
 * {@link NodeContext} on the calling thread, the main node when none is bound.
 *
 * <p>Thread-safe. A bound name the engine does not have throws {@link UnknownNodeException}; it
 * never falls back to the primary.
 */
public final class NodeRoutingDataSource extends AbstractDataSource {

    private final Map<String, EngineNode> nodes;

    NodeRoutingDataSource(Map<String, EngineNode> nodes) {
        this.nodes = Map.copyOf(nodes);
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
     * Returns the {@code DataSource} of the node bound on this thread.
     *
     * @return that node's own data source
     * @throws UnknownNodeException when the bound node is not one of this engine's
     */
    public DataSource currentTarget() {
        String name = NodeContext.current();
        EngineNode node = nodes.get(name);
        if (node == null) {
            throw new UnknownNodeException(name, nodes.keySet().stream().sorted(PostgresEngine.NODE_ORDER).toList());
        }
        return node.dataSource();
    }

    @Override
    public String toString() {
        return "NodeRoutingDataSource" + nodes.keySet().stream().sorted(PostgresEngine.NODE_ORDER).toList();
    }
}
