package dev.piccolo.engine;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * Where work that may write must not start, as the health probe sees the main node's server: fenced (writable
 * but not the cluster's primary, whose writes the cluster would discard) or in recovery (a standby after a
 * failover or a demotion, where the writes would fail). Work that asked for the main node by name and is not
 * read-only is work that may write; everything else is a read.
 */
final class WriteFence {

    /** SQLSTATE of a write refused by a read-only server: what the server itself would answer. */
    private static final String READ_ONLY_SQL_TRANSACTION = "25006";

    private WriteFence() {
    }

    /**
     * Throws when a unit of work that may write would start on the main node's server while the probe
     * fences it or sees it in recovery.
     *
     * @param node the node the unit of work runs on
     * @param primary the main node
     * @param readOnly whether the connection is read-only
     * @param request what the unit of work asked for
     * @throws SQLException with SQLSTATE 25006, naming the node and the remedy
     */
    static void check(EngineNode node, EngineNode primary, boolean readOnly, String request) throws SQLException {
        if (node != primary || readOnly || !node.name().equals(request)) {
            return;
        }
        String fenced = node.observed().writeRefusal();
        if (fenced != null) {
            throw new SQLException("Node '" + node.name() + "' may not take work that may write now: its "
                    + "server " + fenced + ". It runs again once the server is the cluster's primary; list the "
                    + "cluster's servers in the node's config host (host: a,b) with targetServerType=primary to follow "
                    + "the primary wherever it is.", READ_ONLY_SQL_TRANSACTION);
        }
        if (node.observed().inRecovery() == Boolean.TRUE && node.status().checkedAt() != null) {
            throw new SQLException("Node '" + node.name() + "' is read-only now: the health probe found its "
                    + "server in recovery (a standby, after a failover or a demotion), so work that is not read-only "
                    + "would fail there. It runs again once the server is writable; to follow a failover without a "
                    + "restart, list the servers of both roles in the node's config host (host: a,b) with "
                    + "targetServerType=primary.", READ_ONLY_SQL_TRANSACTION);
        }
    }

    /**
     * Whether work on {@code node} may write: not read-only, on a writable node it asked for by name. Work
     * for a group, or sent to the primary by a fallback or by read-your-writes, asked for a replica: a read.
     */
    static boolean mayWrite(EngineNode node, boolean readOnly, @Nullable String request) {
        return !readOnly && node.name().equals(request) && !node.isReadOnly()
                && node.observed().inRecovery() != Boolean.TRUE;
    }
}
