package dev.piccolo.ecosystem;

import dev.piccolo.engine.UseNode;

import org.springframework.jdbc.core.JdbcTemplate;

/** Asks the server which port answered, once on the default node and once on read_replica_1. */
public class NodePorts {

    private final JdbcTemplate jdbc;

    public NodePorts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Integer primaryPort() {
        return jdbc.queryForObject("SELECT inet_server_port() AS primary_port", Integer.class);
    }

    @UseNode("read_replica_1")
    public Integer replicaPort() {
        return jdbc.queryForObject("SELECT inet_server_port() AS replica_port", Integer.class);
    }
}
