package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Piccolo's version check: reads a node's {@code server_version_num}, logs
 * "Running Postgres version X on node N", and warns when the server is older than
 * {@link ServerVersion#OLDEST_SUPPORTED}.
 */
final class ServerVersionCheck {

    private static final Logger logger = LoggerFactory.getLogger(ServerVersionCheck.class);

    private ServerVersionCheck() {
    }

    /**
     * Reads and records the node's version over one connection of its own.
     *
     * @param node the node
     * @return the version
     * @throws SQLException when the node cannot be reached
     */
    static ServerVersion check(EngineNode node) throws SQLException {
        ServerVersion version = read(node);
        logger.info("Running Postgres version {} on node {}", version, node.name());
        if (version.isOlderThan(ServerVersion.OLDEST_SUPPORTED)) {
            logger.warn("Node '{}' runs PostgreSQL {}, older than {}, the oldest version still supported upstream; "
                    + "upgrade the server", node.name(), version, ServerVersion.OLDEST_SUPPORTED.major());
        }
        node.observed().serverVersion(version);
        return version;
    }

    /**
     * Reads the node's version without logging it.
     *
     * @param node the node
     * @return the version
     * @throws SQLException when the node cannot be reached
     */
    static ServerVersion read(EngineNode node) throws SQLException {
        try (Connection connection = node.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT current_setting('server_version_num')::int")) {
            result.next();
            return new ServerVersion(result.getInt(1));
        }
    }
}
