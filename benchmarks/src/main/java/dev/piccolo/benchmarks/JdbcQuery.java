package dev.piccolo.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * The statements the plain JDBC cases run, and the parameter of {@link ThroughputBenchmark}: {@code SELECT 1}
 * through a plain {@code Statement}, the least a server can answer, and a primary-key lookup of
 * {@code bench_item} through a {@code PreparedStatement}, the shortest query of a real application and the
 * one where the logical connection's statement proxy does most (the parameter is bound through it too).
 */
public enum JdbcQuery {

    /** {@code SELECT 1}. */
    SELECT_ONE {
        @Override
        Object runOn(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SELECT 1")) {
                result.next();
                return result.getInt(1);
            }
        }
    },

    /** {@value BenchmarkCluster#FIND_NAME}, with a random id of the table's rows. */
    PRIMARY_KEY_LOOKUP {
        @Override
        Object runOn(Connection connection) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(BenchmarkCluster.FIND_NAME)) {
                statement.setInt(1, BenchmarkCluster.randomItemId());
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    return result.getString(1);
                }
            }
        }
    };

    /**
     * Runs the query as one unit of work: a connection borrowed from {@code dataSource}, one statement, closed.
     *
     * @return the value the query read
     * @throws SQLException when the connection or the query fails
     */
    Object runOn(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return runOn(connection);
        }
    }

    /**
     * Runs the query on a connection the caller holds and keeps.
     *
     * @return the value the query read
     * @throws SQLException when the query fails
     */
    abstract Object runOn(Connection connection) throws SQLException;
}
