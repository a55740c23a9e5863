package dev.piccolo.engine;

/**
 * A PostgreSQL server version, read from {@code server_version_num} (no string parsing).
 *
 * @param number the server's {@code server_version_num}, e.g. {@code 150018} for 15.18
 *
 * @since 0.1
 */
public record ServerVersion(int number) implements Comparable<ServerVersion> {

    /** The oldest major version still supported upstream (late 2026); older servers get a warning. */
    public static final ServerVersion OLDEST_SUPPORTED = new ServerVersion(150000);

    /**
     * Returns the major version.
     *
     * @return e.g. {@code 15}
     */
    public int major() {
        return number / 10000;
    }

    /**
     * Returns the minor version.
     *
     * @return e.g. {@code 18}
     */
    public int minor() {
        return number % 10000;
    }

    /**
     * Returns whether this version is older than {@code other}.
     *
     * @param other another version
     * @return {@code true} when older
     */
    public boolean isOlderThan(ServerVersion other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(ServerVersion other) {
        return Integer.compare(number, other.number);
    }

    @Override
    public String toString() {
        return major() + "." + minor();
    }
}
