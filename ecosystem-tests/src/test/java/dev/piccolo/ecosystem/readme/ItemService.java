package dev.piccolo.ecosystem.readme;

import java.util.List;

import dev.piccolo.engine.UseNode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** README's quick start service, run by {@link ReadmeSnippetsTests} on the quick start's configuration. */
// tag::quick-start-service[]
@Service
class ItemService {
    private final JdbcClient jdbc;

    ItemService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional                                     // runs on the primary
    public void create(String name) {
        jdbc.sql("INSERT INTO item (name) VALUES (?)").param(name).update();
    }

    @UseNode("read_replica_1")                         // chosen before the transaction starts,
    @Transactional(readOnly = true)                    // so the transaction runs on the replica
    public List<String> list() {
        return jdbc.sql("SELECT name FROM item ORDER BY name").query(String.class).list();
    }
}
// end::quick-start-service[]
