package dev.piccolo.ecosystem.jdbc;

import dev.piccolo.engine.UseNode;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/** A Spring Data JDBC application: repositories declared as interfaces, with no implementation of ours. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class JdbcApplication {

    @Bean
    ReplicaQueries replicaQueries(JdbcTemplate jdbc) {
        return new ReplicaQueries(jdbc);
    }

    /**
     * Queries written once for any entity.
     *
     * @param <T> the entity the subclass serves
     */
    public abstract static class BaseQueries<T> {

        private final JdbcTemplate jdbc;

        protected BaseQueries(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        public int serverPort() {
            return jdbc.queryForObject("SELECT inet_server_port()", Integer.class);
        }
    }

    /** Inherits its method from a generic base; the type-level node applies to it. */
    @UseNode("read_replica_1")
    public static class ReplicaQueries extends BaseQueries<Person> {

        ReplicaQueries(JdbcTemplate jdbc) {
            super(jdbc);
        }
    }
}
