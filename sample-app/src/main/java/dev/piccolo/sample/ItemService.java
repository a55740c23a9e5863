package dev.piccolo.sample;

import java.util.List;

import dev.piccolo.engine.NodeContext;
import dev.piccolo.engine.UseNode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Writes go to the primary (the default node); reads carry {@code @UseNode("read_replica_1")}. */
@Service
public class ItemService {

    private static final String SERVED_BY = "SELECT host(inet_server_addr()) AS server_address, "
            + "inet_server_port() AS server_port, pg_is_in_recovery() AS in_recovery";

    private final JdbcClient jdbc;

    private final NodeContext nodeContext;

    ItemService(JdbcClient jdbc, NodeContext nodeContext) {
        this.jdbc = jdbc;
        this.nodeContext = nodeContext;
    }

    /**
     * Stores a new item on the primary, in a transaction.
     *
     * @param name the item's name
     * @return the stored item, with its generated id
     */
    @Transactional
    public Item create(String name) {
        return jdbc.sql("INSERT INTO item (name) VALUES (:name) RETURNING id, name, created_at")
                .param("name", name)
                .query(Item.class)
                .single();
    }

    /**
     * Lists the items, newest first, from the replica.
     *
     * @return every item the replica has replayed
     */
    @UseNode("read_replica_1")
    @Transactional(readOnly = true)
    public List<Item> list() {
        return jdbc.sql("SELECT id, name, created_at FROM item ORDER BY created_at DESC").query(Item.class).list();
    }

    /**
     * Reports which server serves reads.
     *
     * @return the replica's own report
     */
    @UseNode("read_replica_1")
    public ServedBy servedByRead() {
        return servedBy();
    }

    /**
     * Reports which server serves writes.
     *
     * @return the primary's own report
     */
    @Transactional
    public ServedBy servedByWrite() {
        return servedBy();
    }

    private ServedBy servedBy() {
        return jdbc.sql(SERVED_BY).query((row, index) -> new ServedBy(nodeContext.lastServedNode().orElseThrow(),
                row.getString("server_address"), row.getInt("server_port"), row.getBoolean("in_recovery"))).single();
    }
}
