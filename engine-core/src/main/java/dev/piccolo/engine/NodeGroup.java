package dev.piccolo.engine;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A name that stands for several nodes ({@code replicas = [read_replica_1, read_replica_2]}):
 * {@code @UseNode("replicas")} picks one healthy member per connection. Members that the health probe
 * marks down, or that lag more than {@link #maxLag()} or {@link #maxLagBytes()}, are skipped; when none is left, work goes to
 * {@link #fallback()} if set, and fails otherwise.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class NodeGroup {

    /** How a group picks a member for each connection. */
    public enum Balancing {

        /** Members in turn. */
        ROUND_ROBIN,

        /** The member whose pool has the fewest borrowed connections (in turn among equals). */
        LEAST_BORROWED
    }

    private final List<String> members;

    private final Balancing balancing;

    private final @Nullable String fallback;

    private final @Nullable Duration maxLag;

    private final @Nullable Long maxLagBytes;

    private final boolean discovered;

    private NodeGroup(Builder builder) {
        this.members = List.copyOf(builder.members);
        this.balancing = builder.balancing;
        this.fallback = builder.fallback;
        this.maxLag = builder.maxLag;
        this.maxLagBytes = builder.maxLagBytes;
        this.discovered = builder.discovered;
    }

    /**
     * Starts a group of the given members.
     *
     * @param members node names, in the order round-robin visits them
     * @return a new builder
     */
    public static Builder of(List<String> members) {
        return new Builder(members);
    }

    /**
     * Returns the member nodes.
     *
     * @return the node names
     */
    public List<String> members() {
        return members;
    }

    /**
     * Returns how a member is picked.
     *
     * @return the balancing strategy
     */
    public Balancing balancing() {
        return balancing;
    }

    /**
     * Returns the node that takes the group's work while no member can.
     *
     * @return a node name, or {@code null} to fail instead
     */
    public @Nullable String fallback() {
        return fallback;
    }

    /**
     * Returns the most replication lag a member may have and still be picked.
     *
     * @return the limit, or {@code null} for none
     */
    public @Nullable Duration maxLag() {
        return maxLag;
    }

    /**
     * Returns the most bytes of the primary's WAL a member may have left to replay and still be picked.
     *
     * @return the limit, or {@code null} for none
     * @since 0.2
     */
    public @Nullable Long maxLagBytes() {
        return maxLagBytes;
    }

    /**
     * Returns whether the group's members come from discovery while the application runs, so that it may
     * start, and be at times, without any.
     *
     * @return {@code true} for a discovered group
     * @since 0.3
     */
    public boolean discovered() {
        return discovered;
    }

    /**
     * Returns this group with other members, everything else the same.
     *
     * @param members the new members
     * @return the changed group
     * @since 0.3
     */
    public NodeGroup withMembers(List<String> members) {
        Builder builder = new Builder(members).balancing(balancing).fallback(fallback).maxLag(maxLag)
                .maxLagBytes(maxLagBytes);
        builder.discovered = discovered;
        return builder.build();
    }

    /** The group's lag limits, {@code max-lag} and {@code max-lag-bytes}, as one value. */
    LagLimits lagLimits() {
        return new LagLimits(maxLag, maxLagBytes);
    }

    @Override
    public String toString() {
        return "NodeGroup[members=" + members + ", balancing=" + balancing + ", fallback=" + fallback + ", maxLag="
                + maxLag + ", maxLagBytes=" + maxLagBytes + (discovered ? ", discovered" : "") + "]";
    }

    /** Builds a {@link NodeGroup}. Not thread-safe. */
    public static final class Builder {

        private final List<String> members;

        private Balancing balancing = Balancing.ROUND_ROBIN;

        private @Nullable String fallback;

        private @Nullable Duration maxLag;

        private @Nullable Long maxLagBytes;

        private boolean discovered;

        private Builder(List<String> members) {
            this.members = List.copyOf(Objects.requireNonNull(members, "members"));
        }

        /**
         * Sets how a member is picked.
         *
         * @param balancing {@link Balancing#ROUND_ROBIN} (the default) or {@link Balancing#LEAST_BORROWED}
         * @return this builder
         */
        public Builder balancing(Balancing balancing) {
            this.balancing = Objects.requireNonNull(balancing, "balancing");
            return this;
        }

        /**
         * Sets the node that takes the group's work while no member can.
         *
         * @param fallback a node name, usually {@code primary}
         * @return this builder
         */
        public Builder fallback(@Nullable String fallback) {
            this.fallback = fallback;
            return this;
        }

        /**
         * Sets the most replication lag a member may have and still be picked; needs the health probe.
         *
         * @param maxLag the limit
         * @return this builder
         */
        public Builder maxLag(@Nullable Duration maxLag) {
            this.maxLag = maxLag;
            return this;
        }

        /**
         * Sets the most bytes of the primary's WAL a member may have left to replay and still be picked;
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
         * Marks the group's members as discovered while the application runs (see
         * {@code dev.piccolo.engine.discovery.GroupDiscovery}): it may then be built with no members.
         *
         * @return this builder
         * @since 0.3
         */
        public Builder discovered() {
            this.discovered = true;
            return this;
        }

        /**
         * Builds the group. Names are checked when the engine is built.
         *
         * @return the group
         */
        public NodeGroup build() {
            return new NodeGroup(this);
        }
    }
}
