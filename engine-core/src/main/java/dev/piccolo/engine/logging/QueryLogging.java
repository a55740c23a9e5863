package dev.piccolo.engine.logging;

import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;

/**
 * Piccolo's {@code log_queries} and {@code log_responses}: wraps a node's {@code DataSource} with
 * datasource-proxy when the node logs queries or responses, and numbers the statements of one engine. A
 * node that logs neither is not wrapped at all, so it costs nothing. Lines go to the logger
 * {@code dev.piccolo.engine.query}.
 *
 * <p>Engine support: public for the engine's own packages, with no compatibility promise.
 */
public final class QueryLogging {

    private final AtomicLong queryIds = new AtomicLong();

    /**
     * What one node logs.
     *
     * @param logQueries each statement before it runs
     * @param logResponses each statement's rows or update count after it
     * @param logValues bind values and row values; without them only their number
     */
    public record Options(boolean logQueries, boolean logResponses, boolean logValues) {
    }

    /**
     * Returns the node's {@code DataSource}, wrapped when it logs anything.
     *
     * @param node the node's name, in every line logged
     * @param options what the node logs
     * @param dataSource the node's pool or unpooled source
     * @return {@code dataSource} itself when the node logs nothing, a proxy of it otherwise
     */
    public DataSource wrap(String node, Options options, DataSource dataSource) {
        if (!options.logQueries() && !options.logResponses()) {
            return dataSource;
        }
        QueryLogListener listener = new QueryLogListener(node, queryIds, options);
        ProxyDataSourceBuilder builder = ProxyDataSourceBuilder.create(dataSource).name(node).listener(listener);
        if (options.logResponses()) {
            // Rows are logged as the application reads them, so result sets are proxied too.
            builder.proxyResultSet().methodListener(listener);
        }
        return builder.build();
    }
}
