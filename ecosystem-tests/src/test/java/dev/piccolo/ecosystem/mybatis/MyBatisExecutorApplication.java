package dev.piccolo.ecosystem.mybatis;

import dev.piccolo.ecosystem.Applications;
import dev.piccolo.engine.test.PostgresCluster;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.annotation.Transactional;

/**
 * A MyBatis application that writes {@code mybatis_entry} in rounds, one transaction each, through its mappers
 * ({@link EntryMapper}, {@link PortMapper}) and a transactional service.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class MyBatisExecutorApplication {

    /**
     * Runs this application on the cluster, its table {@code mybatis_entry} created empty.
     *
     * @param cluster the cluster
     * @param properties more {@code name=value} properties
     * @return the running context
     */
    static ConfigurableApplicationContext start(PostgresCluster cluster, String... properties) {
        return Applications.runWithSchema(MyBatisExecutorApplication.class, cluster, "classpath:mybatis/schema.sql",
                properties);
    }

    @Bean
    EntryService entryService(EntryMapper entries, PortMapper ports) {
        return new EntryService(entries, ports);
    }

    /** Writes a round per Spring transaction, through the application's SqlSessionTemplate. */
    public static class EntryService {

        private final EntryMapper entries;

        private final PortMapper ports;

        EntryService(EntryMapper entries, PortMapper ports) {
            this.entries = entries;
            this.ports = ports;
        }

        /**
         * Writes a round and commits it.
         *
         * @param round the round
         * @param size how many items
         * @return the port of the server that ran the transaction
         */
        @Transactional
        public Integer writeRound(int round, int size) {
            entries.insertRound(round, size);
            return ports.primary();
        }

        /**
         * Writes a round, then fails, so that the transaction rolls back after its inserts reached the server.
         *
         * @param round the round
         * @param size how many items
         * @throws IllegalStateException always
         */
        @Transactional
        public void writeRoundThenFail(int round, int size) {
            entries.insertRound(round, size);
            throw new IllegalStateException("Round " + round + " fails after its " + size + " inserts");
        }
    }
}
