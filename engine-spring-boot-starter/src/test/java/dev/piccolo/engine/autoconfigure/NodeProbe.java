package dev.piccolo.engine.autoconfigure;

import dev.piccolo.engine.UseNode;

import org.springframework.jdbc.core.JdbcTemplate;

/** Reports which server answered. */
public class NodeProbe {

    private final JdbcTemplate jdbc;

    public NodeProbe(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public int port() {
        return jdbc.queryForObject("SELECT inet_server_port()", Integer.class);
    }

    @UseNode("primary")
    public int primaryPort() {
        return port();
    }

    @UseNode("read_replica_1")
    public int replicaPort() {
        return port();
    }

    @UseNode("primary")
    public void failOnPrimary() {
        throw new IllegalStateException("on purpose");
    }
}
