package dev.piccolo.engine;

import org.jspecify.annotations.Nullable;

/**
 * A point in the primary's WAL that later reads must see: taken after a write
 * ({@link ReadYourWrites#lastWrite()}) and applied around later work ({@link ReadYourWrites#open}),
 * possibly in another thread, process or service. It is bound to the cluster it came from (its
 * {@code system_identifier}) and the timeline it was written on: a token of another cluster is ignored,
 * and one of an older timeline counts only up to where the newest began. Its text form starts with
 * PostgreSQL's own {@code pg_lsn} ({@code 16/B374D848.3.6f1c2d3e4a5b6c7d}: position, timeline and cluster in
 * hexadecimal), so it can travel in a header, cookie or message header. Immutable.
 *
 * @param walPosition the position as a byte offset in the WAL ({@code pg_lsn} minus {@code 0/0}), positive
 * @param cluster the cluster's system identifier, 0 when not known (a token bound to no cluster)
 * @param timeline the timeline of the write, 0 when not known
 * @since 0.2
 */
public record ConsistencyToken(long walPosition, long cluster, int timeline) {

    /** The longest text {@link #parse} reads: a position, a timeline and a cluster, each at most 16 digits. */
    private static final int LONGEST_TEXT = 17 + 1 + 8 + 1 + 16;

    /**
     * Checks the position.
     *
     * @throws IllegalArgumentException when it is not positive, or the timeline is negative
     */
    public ConsistencyToken {
        if (walPosition <= 0) {
            throw new IllegalArgumentException("A WAL position is positive, was " + walPosition);
        }
        if (timeline < 0) {
            throw new IllegalArgumentException("A timeline is positive, was " + timeline);
        }
    }

    /**
     * A token bound to no cluster, for a position known from elsewhere.
     *
     * @param walPosition the position, positive
     */
    public ConsistencyToken(long walPosition) {
        this(walPosition, 0, 0);
    }

    /**
     * Reads a token from its text form. The text is untrusted input (a cookie, a header): anything that
     * is not a token gives {@code null}, never an exception. A bare {@code pg_lsn} is a token bound to no
     * cluster.
     *
     * @param text the token as {@link #toString()} writes it, or {@code null}
     * @return the token, or {@code null} when {@code text} is missing or not a token
     */
    public static @Nullable ConsistencyToken parse(@Nullable String text) {
        if (text == null || text.length() > LONGEST_TEXT) {
            return null;
        }
        int firstDot = text.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : text.indexOf('.', firstDot + 1);
        if (firstDot >= 0 && secondDot < 0) {
            return null;
        }
        long position = position(firstDot < 0 ? text : text.substring(0, firstDot));
        if (position <= 0) {
            return null;
        }
        if (firstDot < 0) {
            return new ConsistencyToken(position);
        }
        long timeline = hex(text.substring(firstDot + 1, secondDot), 8);
        long cluster = hex(text.substring(secondDot + 1), 16);
        return timeline >= 0 && timeline <= Integer.MAX_VALUE && cluster >= 0
                ? new ConsistencyToken(position, cluster, (int) timeline) : null;
    }

    /** A {@code pg_lsn} as a byte offset, or -1 when the text is not one. */
    private static long position(String lsn) {
        int slash = lsn.indexOf('/');
        if (slash < 1) {
            return -1;
        }
        long high = hex(lsn.substring(0, slash), 8);
        long low = hex(lsn.substring(slash + 1), 8);
        return high < 0 || low < 0 ? -1 : high << 32 | low;
    }

    /** Unsigned hexadecimal of 1 to {@code digits} digits, or -1 (also for values past {@code Long.MAX_VALUE}). */
    private static long hex(String text, int digits) {
        if (text.isEmpty() || text.length() > digits) {
            return -1;
        }
        try {
            return Long.parseLong(text, 16);
        }
        catch (NumberFormatException ex) {
            return -1;
        }
    }

    /** Returns the text form: the {@code pg_lsn}, then timeline and cluster when bound, e.g. {@code 16/B374D848.3.6f1c2d3e4a5b6c7d}. */
    @Override
    public String toString() {
        String lsn = Long.toHexString(walPosition >>> 32).toUpperCase() + "/"
                + Long.toHexString(walPosition & 0xFFFFFFFFL).toUpperCase();
        return cluster == 0 ? lsn : lsn + "." + Integer.toHexString(timeline) + "." + Long.toHexString(cluster);
    }
}
