package dev.piccolo.engine.autoconfigure;

import java.util.Map;
import java.util.UUID;

import dev.piccolo.engine.UseNode;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/** A service as users write them: writes on the primary, reads carrying {@code @UseNode}. */
public class ItemService {

    private final JdbcTemplate jdbc;

    private final NodeProbe probe;

    public ItemService(JdbcTemplate jdbc, NodeProbe probe) {
        this.jdbc = jdbc;
        this.probe = probe;
    }

    @Transactional
    public UUID create(String name) {
        return jdbc.queryForObject("INSERT INTO item (name) VALUES (?) RETURNING id", UUID.class, name);
    }

    @UseNode("read_replica_1")
    @Transactional(readOnly = true)
    public Map<String, Object> readInReplicaTransaction(UUID id) {
        return jdbc.queryForMap("SELECT name, inet_server_port() AS port, pg_is_in_recovery() AS recovery, "
                + "txid_current_if_assigned() IS NULL AS read_only_tx FROM item WHERE id = ?", id);
    }

    @UseNode("read_replica_1")
    public int[] replicaThenPrimaryThenReplica() {
        return new int[] { probe.port(), probe.primaryPort(), probe.port() };
    }

    @UseNode("read_replica_1")
    public int replicaAfterFailingPrimaryCall() {
        try {
            probe.failOnPrimary();
        }
        catch (IllegalStateException expected) {
            // the caller checks that the replica is bound again
        }
        return probe.port();
    }

    @Transactional
    public int primaryTransactionThenReplica() {
        probe.port();
        return probe.replicaPort();
    }
}
