package dev.piccolo.engine.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The WAL positions read-your-writes compares, each read in one round trip on a connection the caller
 * holds, the primary's after a commit in the commit's own.
 */
public final class WalPositions {

    /*
     * The insert position, not pg_current_wal_lsn() (the write position): with synchronous_commit off a
     * commit returns before its record is written out, so the write position can still be short of it.
     */
    private static final String WRITTEN = "SELECT CASE WHEN pg_is_in_recovery() THEN NULL "
            + "ELSE (pg_current_wal_insert_lsn() - '0/0')::bigint END, CASE WHEN pg_is_in_recovery() THEN NULL "
            + "ELSE ('x' || substr(pg_walfile_name(pg_current_wal_insert_lsn()), 1, 8))::bit(32)::int END";

    private static final String CLUSTER = "SELECT system_identifier FROM pg_control_system()";

    /**
     * The commit and, in the same round trip (the driver sends both before it waits), the position past it:
     * only functions that cannot fail on a primary follow the commit, or a commit that happened would be
     * reported as failed.
     */
    private static final String COMMIT_THEN_WRITTEN = "COMMIT; " + WRITTEN;

    private static final String REPLAYED = "SELECT (pg_last_wal_replay_lsn() - '0/0')::bigint";

    private WalPositions() {
    }

    /** The primary's position with its timeline; {@code null} when the server is a standby. */
    public static @Nullable Written writtenOnTimeline(Connection connection) throws SQLException {
        return writtenOnTimeline(connection, null);
    }

    /**
     * The primary's position with its timeline, the server given at most {@code timeout} (whole seconds,
     * at least one: JDBC's unit) to answer; {@code null} when the server is a standby.
     */
    public static @Nullable Written writtenOnTimeline(Connection connection, @Nullable Duration timeout)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(WRITTEN)) {
            if (timeout != null) {
                statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            }
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                long position = result.getLong(1);
                return result.wasNull() ? null : new Written(position, result.getInt(2));
            }
        }
    }

    /** The cluster's system identifier, which a primary and its physical standbys share. */
    public static long cluster(Connection connection) throws SQLException {
        return Objects.requireNonNull(position(connection, CLUSTER), "every server has a system identifier");
    }

    /**
     * Commits the transaction open on {@code connection} as SQL and reads the primary's position past the
     * commit in the same round trip. A commit the server refuses (a deferred constraint, a serialization
     * failure) throws as {@link Connection#commit()} would, and the position is not read.
     *
     * @return the position; {@code null} when the server is a standby
     */
    public static @Nullable Written commitThenWritten(Connection connection) throws SQLException {
        // Prepared, so that the driver's statement cache saves parsing and planning both on every commit
        // after its prepare threshold (unprepared, they cost a fifth of a commit's throughput here).
        try (PreparedStatement statement = connection.prepareStatement(COMMIT_THEN_WRITTEN)) {
            statement.execute();
            while (!statement.getMoreResults() && statement.getUpdateCount() != -1) {
                // Past the COMMIT's count to the position's rows.
            }
            try (ResultSet result = statement.getResultSet()) {
                result.next();
                long position = result.getLong(1);
                return result.wasNull() ? null : new Written(position, result.getInt(2));
            }
        }
    }

    /** A primary's WAL position and the timeline it is on. */
    public record Written(long position, int timeline) {
    }

    /** How far a standby has replayed; {@code null} when the server is not a standby. */
    public static @Nullable Long replayed(Connection connection) throws SQLException {
        return position(connection, REPLAYED);
    }

    private static @Nullable Long position(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet result = statement.executeQuery()) {
            result.next();
            long position = result.getLong(1);
            return result.wasNull() ? null : position;
        }
    }
}
