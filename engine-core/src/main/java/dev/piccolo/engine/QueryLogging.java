package dev.piccolo.engine;

import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;

/**
 * Wraps a node's {@code DataSource} with datasource-proxy when the node logs queries or responses,
 * and numbers the statements of one engine. A node that logs neither is not wrapped at all, so it
 * costs nothing.
 */
final class QueryLogging {

    /** Name of the logger that statements and responses are logged to. */
    static final String LOGGER_NAME = "dev.piccolo.engine.query";

    private final AtomicLong queryIds = new AtomicLong();

    DataSource wrap(String node, NodeConfig config, DataSource dataSource) {
        if (!config.logQueries() && !config.logResponses()) {
            return dataSource;
        }
        QueryLogListener listener = new QueryLogListener(node, queryIds, config);
        ProxyDataSourceBuilder builder = ProxyDataSourceBuilder.create(dataSource).name(node).listener(listener);
        if (config.logResponses()) {
            // Rows are logged as the application reads them, so result sets are proxied too.
            builder.proxyResultSet().methodListener(listener);
        }
        return builder.build();
    }
}
