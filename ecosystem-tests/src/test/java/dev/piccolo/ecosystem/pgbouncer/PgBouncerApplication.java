package dev.piccolo.ecosystem.pgbouncer;

import dev.piccolo.engine.UseNode;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/** An application whose main node is reached through pgbouncer. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class PgBouncerApplication {

    @Bean
    Work work(JdbcTemplate jdbc) {
        return new Work(jdbc);
    }

    /** Parameterised statements, in and out of transactions, on both nodes. */
    public static class Work {

        private final JdbcTemplate jdbc;

        Work(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Transactional
        public int primaryInTransaction(int value) {
            jdbc.update("CREATE TEMPORARY TABLE IF NOT EXISTS bounced (value int) ON COMMIT DROP");
            jdbc.update("INSERT INTO bounced VALUES (?)", value);
            int read = jdbc.queryForObject("SELECT value FROM bounced WHERE value = ?", Integer.class, value);
            return read == value ? jdbc.queryForObject("SELECT inet_server_port()", Integer.class) : -1;
        }

        public int primary(int value) {
            return jdbc.queryForObject("SELECT inet_server_port() + ? - ?", Integer.class, value, value);
        }

        @UseNode("read_replica_1")
        public int replica(int value) {
            return jdbc.queryForObject("SELECT inet_server_port() + ? - ?", Integer.class, value, value);
        }
    }
}
