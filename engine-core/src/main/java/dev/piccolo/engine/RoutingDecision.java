package dev.piccolo.engine;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One unit of work's routing: what it asked for, the node that served it, and why that node.
 *
 * @param at when the unit of work started
 * @param requested the node or group the work asked for
 * @param node the node that served it
 * @param reason why that node
 * @param detail what made routing depart from the request (a member's lag, why the fallback took over),
 * {@code null} when it did not
 * @since 0.3
 */
public record RoutingDecision(Instant at, String requested, String node, Reason reason, @Nullable String detail) {

    /** Why a unit of work ran on its node. */
    public enum Reason {

        /** Work was bound to this node by name ({@code @UseNode}, {@link NodeContext}). */
        BOUND,

        /** Nothing was asked for: the main node. */
        PRIMARY,

        /** A read-only transaction went to the read-only target. */
        READ_ONLY,

        /** A group picked this member, all of its members usable. */
        GROUP,

        /** A group picked this member while others were down, lagging, not streaming or out of rotation. */
        LAG,

        /** No node of the request was usable: its fallback served. */
        FALLBACK,

        /** The work asked for another node inside a transaction or held session here, and joined it. */
        JOINED,

        /** A standby had not replayed what the work's causal session wrote: the primary served. */
        READ_YOUR_WRITES
    }
}
