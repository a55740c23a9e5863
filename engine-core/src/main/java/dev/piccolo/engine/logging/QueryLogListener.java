package dev.piccolo.engine.logging;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.MethodExecutionContext;
import net.ttddyy.dsproxy.listener.MethodExecutionListener;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.proxy.ParameterSetOperation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Piccolo's {@code log_queries} and {@code log_responses} for one node, through SLF4J (logger
 * {@value #LOGGER_NAME}, level INFO).
 *
 * <p>Before a statement runs: {@code Query 12 on node read_replica_1: SELECT ...}, and its bound
 * parameters on a line of their own, never inlined into the SQL. After it: the affected-row count,
 * or the rows the application reads from its result (the first {@value #MAX_LOGGED_ROWS}, then a count
 * of the rest), logged when the result set is exhausted or closed, with the statement's elapsed time.
 * Without values ({@code logValues} off) the parameters line gives their number and the response its
 * row count only, since bind values and rows are often personal data. Binary values show as their size.
 */
final class QueryLogListener implements QueryExecutionListener, MethodExecutionListener {

    static final String LOGGER_NAME = "dev.piccolo.engine.query";

    static final int MAX_LOGGED_ROWS = 100;

    private static final Logger logger = LoggerFactory.getLogger(LOGGER_NAME);

    private static final String QUERY_ID = "piccolo.queryId";

    private final String node;

    private final AtomicLong queryIds;

    private final boolean logQueries;

    private final boolean logResponses;

    private final boolean logValues;

    /** Responses being read, by the statement that produced them; weak so abandoned statements go away. */
    private final Map<Statement, Response> responses = Collections.synchronizedMap(new WeakHashMap<>());

    QueryLogListener(String node, AtomicLong queryIds, QueryLogging.Options options) {
        this.node = node;
        this.queryIds = queryIds;
        this.logQueries = options.logQueries();
        this.logResponses = options.logResponses();
        this.logValues = options.logValues();
    }

    @Override
    public void beforeQuery(ExecutionInfo execution, List<QueryInfo> queries) {
        long id = queryIds.incrementAndGet();
        execution.addCustomValue(QUERY_ID, id);
        if (!logQueries) {
            return;
        }
        for (QueryInfo query : queries) {
            logger.info("Query {} on node {}: {}", id, node, query.getQuery());
            List<List<ParameterSetOperation>> parameterSets = query.getParametersList();
            for (List<ParameterSetOperation> parameters : parameterSets) {
                if (!parameters.isEmpty() && logValues) {
                    logger.info("Query {} parameters: {}", id, describe(parameters));
                }
                else if (!parameters.isEmpty()) {
                    logger.info("Query {} has {} parameter(s), values not logged", id, parameters.size());
                }
            }
        }
    }

    @Override
    public void afterQuery(ExecutionInfo execution, List<QueryInfo> queries) {
        if (!logResponses) {
            return;
        }
        Long id = execution.getCustomValue(QUERY_ID, Long.class);
        long elapsed = execution.getElapsedTime();
        if (!execution.isSuccess()) {
            logger.info("Query {} on node {} failed after {} ms: {}", id, node, elapsed,
                    execution.getThrowable() != null ? execution.getThrowable().getMessage() : "unknown error");
            return;
        }
        Object result = execution.getResult();
        if (result instanceof ResultSet || Boolean.TRUE.equals(result)) {
            Response previous = responses.put(execution.getStatement(), new Response(id, elapsed));
            if (previous != null) {
                previous.log();
            }
        }
        else {
            logger.info("Query {} response on node {} in {} ms: {} row(s) affected", id, node, elapsed,
                    affectedRows(result));
        }
    }

    @Override
    public void beforeMethod(MethodExecutionContext context) {
        if (context.getTarget() instanceof ResultSet resultSet && "close".equals(context.getMethod().getName())) {
            finish(resultSet);
        }
    }

    @Override
    public void afterMethod(MethodExecutionContext context) {
        if (!(context.getTarget() instanceof ResultSet resultSet) || !"next".equals(context.getMethod().getName())
                || context.getThrown() != null) {
            return;
        }
        if (Boolean.TRUE.equals(context.getResult())) {
            Response response = response(resultSet);
            if (response != null) {
                response.read(resultSet);
            }
        }
        else {
            finish(resultSet);
        }
    }

    private void finish(ResultSet resultSet) {
        Response response = responses.remove(statementOf(resultSet));
        if (response != null) {
            response.log();
        }
    }

    private @Nullable Response response(ResultSet resultSet) {
        return responses.get(statementOf(resultSet));
    }

    private static @Nullable Statement statementOf(ResultSet resultSet) {
        try {
            return resultSet.getStatement();
        }
        catch (SQLException ex) {
            return null;
        }
    }

    private static String describe(List<ParameterSetOperation> parameters) {
        List<String> shown = new ArrayList<>(parameters.size());
        for (ParameterSetOperation parameter : parameters) {
            Object[] args = parameter.getArgs();
            String value = ParameterSetOperation.isSetNullParameterOperation(parameter) ? "null"
                    : args.length > 1 ? String.valueOf(shown(args[1])) : "";
            shown.add(args[0] + "=" + value);
        }
        return "[" + String.join(", ", shown) + "]";
    }

    private static Object shown(Object value) {
        return value instanceof byte[] bytes ? "<" + bytes.length + " bytes>" : value;
    }

    private static String affectedRows(Object result) {
        if (result instanceof int[] counts) {
            return Arrays.toString(counts);
        }
        if (result instanceof long[] counts) {
            return Arrays.toString(counts);
        }
        return String.valueOf(result);
    }

    /** The rows of one statement's result, collected as the application reads them. */
    private final class Response {

        private final Long id;

        private final long elapsed;

        private final List<Map<String, Object>> rows = new ArrayList<>();

        private int count;

        Response(Long id, long elapsed) {
            this.id = id;
            this.elapsed = elapsed;
        }

        void read(ResultSet resultSet) {
            count++;
            if (!logValues || rows.size() >= MAX_LOGGED_ROWS) {
                return;
            }
            try {
                ResultSetMetaData metaData = resultSet.getMetaData();
                Map<String, Object> row = new LinkedHashMap<>();
                for (int column = 1; column <= metaData.getColumnCount(); column++) {
                    row.put(metaData.getColumnLabel(column), shown(resultSet.getObject(column)));
                }
                rows.add(row);
            }
            catch (SQLException ex) {
                rows.add(Map.of("unreadable", ex.getMessage()));
            }
        }

        void log() {
            if (!logValues) {
                logger.info("Query {} response on node {} in {} ms: {} row(s)", id, node, elapsed, count);
                return;
            }
            String rest = count > rows.size() ? " (and " + (count - rows.size()) + " more)" : "";
            logger.info("Query {} response on node {} in {} ms: {} row(s) {}{}", id, node, elapsed, count, rows, rest);
        }
    }
}
