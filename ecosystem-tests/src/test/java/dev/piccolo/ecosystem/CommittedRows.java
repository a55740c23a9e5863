package dev.piccolo.ecosystem;

import java.sql.SQLException;

import dev.piccolo.engine.test.ClusterNode;
import dev.piccolo.engine.test.PostgresCluster;

/**
 * Reads the primary over a connection of the test's own, to the cluster's own URL and outside every application:
 * it sees exactly what was committed, whatever an application's connections still hold open.
 */
public final class CommittedRows {

    private CommittedRows() {
    }

    /**
     * Counts the committed rows of a table on the primary.
     *
     * @param cluster the cluster
     * @param table the table
     * @return how many rows it has
     * @throws SQLException when the query fails
     */
    public static long count(PostgresCluster cluster, String table) throws SQLException {
        return count(cluster, table, "true");
    }

    /**
     * Counts the committed rows of a table on the primary that satisfy a condition.
     *
     * @param cluster the cluster
     * @param table the table
     * @param condition an SQL condition on its columns, e.g. {@code label = 'x'}
     * @return how many rows satisfy it
     * @throws SQLException when the query fails
     */
    public static long count(PostgresCluster cluster, String table, String condition) throws SQLException {
        return query(cluster, "SELECT count(*) FROM " + table + " WHERE " + condition);
    }

    /**
     * Sums a column over the committed rows of a table on the primary.
     *
     * @param cluster the cluster
     * @param column an integer column
     * @param table the table
     * @return the sum, 0 for no rows
     * @throws SQLException when the query fails
     */
    public static long sum(PostgresCluster cluster, String column, String table) throws SQLException {
        return query(cluster, "SELECT coalesce(sum(" + column + "), 0) FROM " + table);
    }

    private static long query(PostgresCluster cluster, String sql) throws SQLException {
        return Long.parseLong(cluster.queryString(ClusterNode.PRIMARY, sql));
    }
}
