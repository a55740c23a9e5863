package dev.piccolo.engine.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import dev.piccolo.engine.ServerVersion;
import org.jspecify.annotations.Nullable;

/**
 * One look at a node's server: its version, whether it is a standby, where its WAL is and whether it
 * streams. The health probe routes by it and the Spring Boot health endpoint shows it, so both read the
 * same query. WAL positions are byte offsets ({@code pg_lsn} minus {@code 0/0}).
 *
 * @param version the server's version
 * @param inRecovery whether the server is a standby (in recovery)
 * @param lag the standby's own estimate of its lag: zero while it has replayed all it received, else
 * the age of its last replayed transaction, which after an idle primary is the idle time, not lag (the
 * probe measures lag against the primary's positions instead); {@code null} for a primary
 * @param walPosition a primary's current WAL position ({@code pg_current_wal_lsn()}); {@code null} for a
 * standby
 * @param replayPosition how far a standby has replayed ({@code pg_last_wal_replay_lsn()}); {@code null}
 * for a primary
 * @param streaming whether a standby's WAL receiver is streaming from its upstream: {@code false} when it
 * has no receiver or one in another state; {@code null} for a primary, or when the user may not see the
 * receiver's state (it needs {@code pg_read_all_stats}, e.g. through {@code pg_monitor})
 * @param server the address and port of the server the connection reached ({@code 10.0.0.5:5432}), which
 * for a node whose config lists several hosts tells which one; {@code null} over a Unix socket
 * @param systemIdentifier the cluster the server belongs to ({@code pg_control_system()}): a primary and
 * its physical standbys share it, any other server has its own
 * @param timeline the server's timeline: a primary's current one, a standby's from its last restart point
 * or what its receiver streams; a promotion starts a new one
 * @param startedAt when the server's postmaster started: a restarted standby replays again from its last
 * restart point, so positions seen before mean nothing after
 * @since 0.2
 */
public record ServerReading(ServerVersion version, boolean inRecovery, @Nullable Duration lag,
        @Nullable Long walPosition, @Nullable Long replayPosition, @Nullable Boolean streaming,
        @Nullable String server, long systemIdentifier, int timeline, Instant startedAt) {

    private static final String QUERY = "SELECT current_setting('server_version_num')::int, pg_is_in_recovery(), "
            + "CASE WHEN NOT pg_is_in_recovery() THEN NULL "
            + "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
            + "ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END, "
            // Flushed, not written: standbys receive only what the primary flushed, and can have no more.
            + "CASE WHEN NOT pg_is_in_recovery() THEN (pg_current_wal_flush_lsn() - '0/0')::bigint END, "
            + "CASE WHEN pg_is_in_recovery() THEN (pg_last_wal_replay_lsn() - '0/0')::bigint END, "
            // Without pg_read_all_stats a user sees the receiver's row but not its status: unknown, not stale.
            + "CASE WHEN pg_is_in_recovery() THEN (SELECT CASE WHEN count(*) = 0 THEN false "
            + "WHEN bool_and(status IS NULL) THEN NULL ELSE bool_or(status = 'streaming') END "
            + "FROM pg_stat_wal_receiver) END, "
            + "host(inet_server_addr()) || ':' || inet_server_port(), "
            + "(SELECT system_identifier FROM pg_control_system()), "
            // A primary's WAL file name starts with its timeline; a standby has none before it is promoted.
            // A standby's: of its last restart point, of what it has replayed since (a server demoted after a
            // promotion replays its own timeline), or of what it receives.
            + "CASE WHEN pg_is_in_recovery() THEN GREATEST((SELECT timeline_id FROM pg_control_checkpoint()), "
            + "(SELECT min_recovery_end_timeline FROM pg_control_recovery()), "
            + "(SELECT max(received_tli) FROM pg_stat_wal_receiver)) "
            + "ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END, "
            + "pg_postmaster_start_time()";

    /**
     * Reads a server over a connection the caller owns.
     *
     * @param connection an open connection to the server
     * @param timeout how long the query may take
     * @return what the server said
     * @throws SQLException when the server does not answer
     */
    public static ServerReading read(Connection connection, Duration timeout) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
            statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                ServerVersion version = new ServerVersion(result.getInt(1));
                boolean inRecovery = result.getBoolean(2);
                double lagSeconds = result.getDouble(3);
                Duration lag = result.wasNull() ? null : Duration.ofMillis(Math.round(lagSeconds * 1000));
                // No address over a Unix socket.
                String server = result.getString(7);
                return new ServerReading(version, inRecovery, lag, nullableLong(result, 4), nullableLong(result, 5),
                        nullableBoolean(result, 6), server != null ? ServerAddresses.normalize(server) : null,
                        result.getLong(8), result.getInt(9),
                        result.getTimestamp(10).toInstant());
            }
        }
    }

    /**
     * Returns how many bytes of the primary's WAL this standby has not replayed.
     *
     * @param primaryPosition the primary's WAL position, or {@code null} when not known
     * @return the bytes behind, zero when caught up; {@code null} for a primary or when not known
     */
    public @Nullable Long bytesBehind(@Nullable Long primaryPosition) {
        if (replayPosition == null || primaryPosition == null) {
            return null;
        }
        return Math.max(0, primaryPosition - replayPosition);
    }

    private static @Nullable Long nullableLong(ResultSet result, int column) throws SQLException {
        long value = result.getLong(column);
        return result.wasNull() ? null : value;
    }

    private static @Nullable Boolean nullableBoolean(ResultSet result, int column) throws SQLException {
        boolean value = result.getBoolean(column);
        return result.wasNull() ? null : value;
    }
}
