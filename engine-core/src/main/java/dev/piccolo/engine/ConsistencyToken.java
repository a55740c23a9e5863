package dev.piccolo.engine;

import org.jspecify.annotations.Nullable;

/**
 * A point in the primary's WAL that later reads must see: taken after a write
 * ({@link ReadYourWrites#lastWrite()}) and applied around later work ({@link ReadYourWrites#open}),
 * possibly in another thread, process or service. Its text form is PostgreSQL's own {@code pg_lsn}
 * ({@code 16/B374D848}), so it can travel in a header or cookie and be compared with what
 * {@code pg_current_wal_lsn()} shows. Immutable.
 *
 * @param walPosition the position as a byte offset in the WAL ({@code pg_lsn} minus {@code 0/0}), positive
 * @since 0.2
 */
public record ConsistencyToken(long walPosition) {

    /**
     * Checks the position.
     *
     * @throws IllegalArgumentException when it is not positive
     */
    public ConsistencyToken {
        if (walPosition <= 0) {
            throw new IllegalArgumentException("A WAL position is positive, was " + walPosition);
        }
    }

    /**
     * Reads a token from its text form. The text is untrusted input (a cookie, a header): anything that
     * is not a {@code pg_lsn} gives {@code null}, never an exception.
     *
     * @param text the token as {@link #toString()} writes it, or {@code null}
     * @return the token, or {@code null} when {@code text} is missing or not a WAL position
     */
    public static @Nullable ConsistencyToken parse(@Nullable String text) {
        if (text == null || text.length() > 17) {
            return null;
        }
        int slash = text.indexOf('/');
        if (slash < 1 || slash > 8 || text.length() - slash - 1 < 1 || text.length() - slash - 1 > 8) {
            return null;
        }
        try {
            long high = Long.parseLong(text, 0, slash, 16);
            long low = Long.parseLong(text, slash + 1, text.length(), 16);
            long position = high << 32 | low;
            return high >= 0 && low >= 0 && position > 0 ? new ConsistencyToken(position) : null;
        }
        catch (NumberFormatException ex) {
            return null;
        }
    }

    /** Returns the {@code pg_lsn} text form, e.g. {@code 16/B374D848}. */
    @Override
    public String toString() {
        return Long.toHexString(walPosition >>> 32).toUpperCase() + "/"
                + Long.toHexString(walPosition & 0xFFFFFFFFL).toUpperCase();
    }
}
