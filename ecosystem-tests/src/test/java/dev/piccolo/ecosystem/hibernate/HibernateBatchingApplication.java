package dev.piccolo.ecosystem.hibernate;

import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import dev.piccolo.ecosystem.Applications;
import dev.piccolo.engine.test.PostgresCluster;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.annotation.Transactional;

/** A JPA application that loads and corrects {@link Reading}s in bulk, one transaction per service call. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class HibernateBatchingApplication {

    /** Readings a bulk load persists between two flushes. */
    static final int FLUSH_EVERY = 100;

    /**
     * Runs this application on the cluster, its table {@code reading} and its id sequence created empty.
     *
     * @param cluster the cluster
     * @param properties more {@code name=value} properties
     * @return the running context
     */
    static ConfigurableApplicationContext start(PostgresCluster cluster, String... properties) {
        return Applications.runWithSchema(HibernateBatchingApplication.class, cluster, "classpath:hibernate/schema.sql",
                properties);
    }

    @Bean
    ReadingService readingService() {
        return new ReadingService();
    }

    /** Persists and updates readings through the transaction's EntityManager. */
    public static class ReadingService {

        @PersistenceContext
        private EntityManager entityManager;

        /**
         * Persists {@code count} readings labelled {@code label} with the amounts 0 to {@code count - 1}, flushing
         * and clearing the persistence context every {@link HibernateBatchingApplication#FLUSH_EVERY} readings, as a
         * bulk load does to bound its memory.
         *
         * @param label the readings' label
         * @param count how many
         * @return their ids, in the order persisted
         */
        @Transactional
        public List<Long> persist(String label, int count) {
            List<Long> ids = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Reading reading = new Reading(label, i);
                entityManager.persist(reading);
                ids.add(reading.getId());
                if ((i + 1) % FLUSH_EVERY == 0) {
                    entityManager.flush();
                    entityManager.clear();
                }
            }
            return ids;
        }

        /**
         * Adds {@code delta} to the amount of each reading.
         *
         * @param delta what to add
         * @param ids the readings
         */
        @Transactional
        public void add(int delta, List<Long> ids) {
            addTo(delta, ids);
        }

        /**
         * Adds {@code delta} to each reading and sends those updates, then persists {@code count} readings labelled
         * {@code label} of which the last breaks the amount's CHECK constraint: the flush that sends them fails, and
         * the transaction with it, after every update and all but one insert reached the server.
         *
         * @param delta what to add
         * @param ids the readings to update
         * @param label the new readings' label
         * @param count how many new readings
         * @throws jakarta.persistence.PersistenceException always, from the failed flush
         */
        @Transactional
        public void addThenPersistInvalid(int delta, List<Long> ids, String label, int count) {
            addTo(delta, ids);
            entityManager.flush();
            for (int i = 0; i < count; i++) {
                entityManager.persist(new Reading(label, i < count - 1 ? i : -1));
            }
            entityManager.flush();
        }

        private void addTo(int delta, List<Long> ids) {
            for (Long id : ids) {
                entityManager.find(Reading.class, id).add(delta);
            }
        }
    }
}
