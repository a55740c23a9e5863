package dev.piccolo.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

import com.zaxxer.hikari.HikariConfig;
import org.jspecify.annotations.Nullable;

/**
 * Options of the HikariCP pools opened by {@link PostgresEngine#startConnectionPool(PoolOptions)}:
 * Piccolo's {@code max_size} and {@code min_size}, how long closing waits for borrowed connections,
 * and any other HikariCP setting through {@link Builder#hikari(Consumer)}.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class PoolOptions {

    /** Default {@code maxSize}, HikariCP's own default. */
    public static final int DEFAULT_MAX_SIZE = 10;

    /** Default drain timeout. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private final int maxSize;

    private final @Nullable Integer minSize;

    private final Duration drainTimeout;

    private final Consumer<HikariConfig> hikari;

    private PoolOptions(Builder builder) {
        this.maxSize = builder.maxSize;
        this.minSize = builder.minSize;
        this.drainTimeout = builder.drainTimeout;
        this.hikari = builder.hikari;
    }

    /**
     * Returns the defaults: {@value #DEFAULT_MAX_SIZE} connections at most, as many kept idle, a
     * 10-second drain.
     *
     * @return default options
     */
    public static PoolOptions defaults() {
        return builder().build();
    }

    /**
     * Starts pool options.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the most connections a node's pool holds.
     *
     * @return the maximum pool size, 1 or more
     */
    public int maxSize() {
        return maxSize;
    }

    /**
     * Returns the fewest idle connections a pool keeps, or {@code null} for as many as {@link #maxSize()}.
     *
     * @return the minimum idle count, or {@code null}
     */
    public @Nullable Integer minSize() {
        return minSize;
    }

    /**
     * Returns how long closing the pool waits for borrowed connections to be returned.
     *
     * @return the drain timeout
     */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /**
     * Applies these options to a node's HikariCP configuration: first the extra settings, then the
     * sizes, which win.
     *
     * @param config the node's pool configuration
     */
    void applyTo(HikariConfig config) {
        hikari.accept(config);
        config.setMaximumPoolSize(maxSize);
        config.setMinimumIdle(minSize == null ? maxSize : minSize);
    }

    @Override
    public String toString() {
        return "PoolOptions[maxSize=" + maxSize + ", minSize=" + minSize + ", drainTimeout=" + drainTimeout + "]";
    }

    /** Builds {@link PoolOptions}; each setter rejects impossible values at once. Not thread-safe. */
    public static final class Builder {

        private int maxSize = DEFAULT_MAX_SIZE;

        private @Nullable Integer minSize;

        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

        private Consumer<HikariConfig> hikari = config -> {
        };

        private Builder() {
        }

        /**
         * Sets the most connections each pool holds (Piccolo's {@code max_size}).
         *
         * @param maxSize 1 or more
         * @return this builder
         * @throws IllegalArgumentException when below 1
         */
        public Builder maxSize(int maxSize) {
            if (maxSize < 1) {
                throw new IllegalArgumentException("max-size cannot be less than 1, was " + maxSize);
            }
            this.maxSize = maxSize;
            return this;
        }

        /**
         * Sets the fewest idle connections each pool keeps (Piccolo's {@code min_size}).
         *
         * @param minSize 0 or more, at most {@code maxSize}
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder minSize(int minSize) {
            if (minSize < 0) {
                throw new IllegalArgumentException("min-size cannot be negative, was " + minSize);
            }
            this.minSize = minSize;
            return this;
        }

        /**
         * Sets how long closing the pool waits for borrowed connections.
         *
         * @param drainTimeout zero or more
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder drainTimeout(Duration drainTimeout) {
            Objects.requireNonNull(drainTimeout, "drainTimeout");
            if (drainTimeout.isNegative()) {
                throw new IllegalArgumentException("drain-timeout cannot be negative, was " + drainTimeout);
            }
            this.drainTimeout = drainTimeout;
            return this;
        }

        /**
         * Adds HikariCP settings, applied to every node's pool configuration before the sizes.
         *
         * @param settings sets anything on {@link HikariConfig}, e.g. {@code connectionTimeout}
         * @return this builder
         */
        public Builder hikari(Consumer<HikariConfig> settings) {
            this.hikari = this.hikari.andThen(settings);
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException when {@code minSize} is above {@code maxSize}
         */
        public PoolOptions build() {
            if (minSize != null && minSize > maxSize) {
                throw new IllegalArgumentException("min-size (" + minSize + ") cannot be greater than max-size ("
                        + maxSize + ")");
            }
            return new PoolOptions(this);
        }
    }
}
