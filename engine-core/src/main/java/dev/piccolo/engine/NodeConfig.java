package dev.piccolo.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.piccolo.engine.jdbc.ConnectionUrls;
import org.jspecify.annotations.Nullable;

/**
 * Settings of one node, mirroring the arguments of Piccolo's {@code PostgresEngine}: {@code config}
 * (PgJDBC connection properties), {@code extensions}, {@code logQueries}, {@code logResponses}, plus
 * what Piccolo lacks: {@code readOnly}, {@code failFast} and pool options of the node's own.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows a password, not even one inside a URL.
 *
 * @since 0.1
 */
public final class NodeConfig {

    /**
     * The extensions the main node creates when none are configured: {@code uuid-ossp}, as Piccolo's
     * engine does. Extra nodes create none by default.
     *
     * @since 0.2
     */
    public static final List<String> MAIN_NODE_EXTENSIONS = List.of("uuid-ossp");

    private final Map<String, String> config;

    private final @Nullable List<String> extensions;

    private final boolean logQueries;

    private final boolean logResponses;

    private final boolean logValues;

    private final boolean readOnly;

    private final boolean failFast;

    private final @Nullable PoolOptions pool;

    private final @Nullable String fallback;

    private final @Nullable Duration maxLag;

    private final @Nullable Long maxLagBytes;

    private NodeConfig(Builder builder) {
        this.config = Collections.unmodifiableMap(new LinkedHashMap<>(builder.config));
        this.extensions = builder.extensions == null ? null : List.copyOf(builder.extensions);
        this.logQueries = builder.logQueries;
        this.logResponses = builder.logResponses;
        this.logValues = builder.logValues;
        this.readOnly = builder.readOnly;
        this.failFast = builder.failFast;
        this.pool = builder.pool;
        this.fallback = builder.fallback;
        this.maxLag = builder.maxLag;
        this.maxLagBytes = builder.maxLagBytes;
    }

    /**
     * Starts a node configuration.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the PgJDBC connection properties: {@code host}, {@code port}, {@code database},
     * {@code user}, {@code password} or {@code url}, and any other driver property.
     *
     * @return an unmodifiable map, in the order given
     */
    public Map<String, String> config() {
        return config;
    }

    /**
     * Returns the extensions to create when the engine starts, or {@code null} when not set, in which
     * case the main node creates {@link #MAIN_NODE_EXTENSIONS} and extra nodes create none.
     *
     * @return the extension names, or {@code null}
     */
    public @Nullable List<String> extensions() {
        return extensions;
    }

    /**
     * Returns whether each statement run on this node is logged before it runs.
     *
     * @return {@code true} to log statements
     */
    public boolean logQueries() {
        return logQueries;
    }

    /**
     * Returns whether the response of each statement run on this node is logged.
     *
     * @return {@code true} to log responses
     */
    public boolean logResponses() {
        return logResponses;
    }

    /**
     * Returns whether logged statements show their bind values and logged responses their rows.
     *
     * @return {@code true} (the default) to log values; {@code false} to log statements and counts only
     * @since 0.2
     */
    public boolean logValues() {
        return logValues;
    }

    /**
     * Returns whether this node's connections are read-only, whatever the server allows.
     *
     * @return {@code true} for read-only connections
     */
    public boolean readOnly() {
        return readOnly;
    }

    /**
     * Returns whether an extra node that cannot be reached fails the engine's start-up instead of
     * starting it degraded. The main node always fails fast.
     *
     * @return {@code true} to fail start-up when this node is down
     */
    public boolean failFast() {
        return failFast;
    }

    /**
     * Returns pool options of this node's own, used instead of those given to
     * {@link PostgresEngine#startConnectionPool(PoolOptions)}.
     *
     * @return the node's pool options, or {@code null} to use the engine's
     */
    public @Nullable PoolOptions pool() {
        return pool;
    }

    /**
     * Returns the node that takes this node's work while the health probe sees it down or lagging.
     *
     * @return a node name, usually {@code primary}, or {@code null} to fail instead
     */
    public @Nullable String fallback() {
        return fallback;
    }

    /**
     * Returns the most replication lag this node may have and still take work; needs the health probe.
     *
     * @return the limit, or {@code null} for none
     */
    public @Nullable Duration maxLag() {
        return maxLag;
    }

    /**
     * Returns the most bytes of the primary's WAL this node may have left to replay and still take work;
     * needs the health probe.
     *
     * @return the limit, or {@code null} for none
     * @since 0.2
     */
    public @Nullable Long maxLagBytes() {
        return maxLagBytes;
    }

    /** The node's own lag limits, {@code max-lag} and {@code max-lag-bytes}, as one value. */
    LagLimits lagLimits() {
        return new LagLimits(maxLag, maxLagBytes);
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>(config);
        // A plain-Java caller may have put a null value; it is shown, as before, not masked.
        shown.replaceAll((key, value) -> ConnectionUrls.isSecretKey(key) ? ConnectionUrls.MASK
                : value != null ? ConnectionUrls.mask(value) : null);
        return "NodeConfig[config=" + shown + ", extensions=" + extensions + ", logQueries=" + logQueries
                + ", logResponses=" + logResponses + ", logValues=" + logValues + ", readOnly=" + readOnly
                + ", failFast=" + failFast + ", pool=" + pool + ", fallback=" + fallback + ", maxLag=" + maxLag
                + ", maxLagBytes=" + maxLagBytes + "]";
    }

    /**
     * Returns a builder that starts from this configuration with other connection properties, for a node
     * made like this one in another place (a discovered member from its group's template).
     *
     * @param config the connection properties of the new node, in place of this configuration's
     * @return a new builder with every other setting of this configuration
     * @since 0.3
     */
    public Builder withConfig(Map<String, String> config) {
        Builder builder = new Builder().config(config).logQueries(logQueries).logResponses(logResponses)
                .logValues(logValues).readOnly(readOnly).failFast(failFast).pool(pool).fallback(fallback)
                .maxLag(maxLag).maxLagBytes(maxLagBytes);
        builder.extensions = extensions;
        return builder;
    }

    /** Builds a {@link NodeConfig}. Not thread-safe. */
    public static final class Builder {

        private final Map<String, String> config = new LinkedHashMap<>();

        private @Nullable List<String> extensions;

        private boolean logQueries;

        private boolean logResponses;

        private boolean logValues = true;

        private boolean readOnly;

        private boolean failFast;

        private @Nullable PoolOptions pool;

        private @Nullable String fallback;

        private @Nullable Duration maxLag;

        private @Nullable Long maxLagBytes;

        private Builder() {
        }

        /**
         * Adds PgJDBC connection properties (Piccolo's {@code config}).
         *
         * @param config property names and values
         * @return this builder
         */
        public Builder config(Map<String, String> config) {
            this.config.putAll(config);
            return this;
        }

        /**
         * Adds one PgJDBC connection property.
         *
         * @param key the property name, e.g. {@code host} or {@code sslmode}
         * @param value its value
         * @return this builder
         */
        public Builder config(String key, String value) {
            this.config.put(key, value);
            return this;
        }

        /**
         * Sets the extensions to create when the engine starts; none for an empty list.
         *
         * @param extensions extension names, e.g. {@code uuid-ossp}
         * @return this builder
         */
        public Builder extensions(List<String> extensions) {
            this.extensions = new ArrayList<>(extensions);
            return this;
        }

        /**
         * Sets the extensions to create when the engine starts.
         *
         * @param extensions extension names
         * @return this builder
         */
        public Builder extensions(String... extensions) {
            return extensions(List.of(extensions));
        }

        /**
         * Sets whether statements are logged before they run.
         *
         * @param logQueries {@code true} to log
         * @return this builder
         */
        public Builder logQueries(boolean logQueries) {
            this.logQueries = logQueries;
            return this;
        }

        /**
         * Sets whether responses are logged.
         *
         * @param logResponses {@code true} to log
         * @return this builder
         */
        public Builder logResponses(boolean logResponses) {
            this.logResponses = logResponses;
            return this;
        }

        /**
         * Sets whether logged statements and responses show values. Bind values and rows are often
         * personal data: turn this off where logs leave the team that may see the data.
         *
         * @param logValues {@code false} to log statements and counts only
         * @return this builder
         * @since 0.2
         */
        public Builder logValues(boolean logValues) {
            this.logValues = logValues;
            return this;
        }

        /**
         * Sets whether this node's connections are read-only.
         *
         * @param readOnly {@code true} for read-only connections
         * @return this builder
         */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * Sets whether an extra node that cannot be reached fails start-up.
         *
         * @param failFast {@code true} to fail start-up
         * @return this builder
         */
        public Builder failFast(boolean failFast) {
            this.failFast = failFast;
            return this;
        }

        /**
         * Sets pool options of this node's own.
         *
         * @param pool the options, or {@code null} to use the engine's
         * @return this builder
         */
        public Builder pool(@Nullable PoolOptions pool) {
            this.pool = pool;
            return this;
        }

        /**
         * Sets the node that takes this node's work while the health probe sees it down or lagging.
         *
         * @param fallback a node name, usually {@code primary}
         * @return this builder
         */
        public Builder fallback(@Nullable String fallback) {
            this.fallback = fallback;
            return this;
        }

        /**
         * Sets the most replication lag this node may have and still take work; needs the health probe.
         *
         * @param maxLag the limit
         * @return this builder
         */
        public Builder maxLag(@Nullable Duration maxLag) {
            this.maxLag = maxLag;
            return this;
        }

        /**
         * Sets the most bytes of the primary's WAL this node may have left to replay and still take work;
         * needs the health probe.
         *
         * @param maxLagBytes the limit, zero or more
         * @return this builder
         * @since 0.2
         */
        public Builder maxLagBytes(@Nullable Long maxLagBytes) {
            this.maxLagBytes = maxLagBytes;
            return this;
        }

        /**
         * Builds the configuration. Validation happens when the engine is built.
         *
         * @return the node configuration
         */
        public NodeConfig build() {
            return new NodeConfig(this);
        }
    }
}
