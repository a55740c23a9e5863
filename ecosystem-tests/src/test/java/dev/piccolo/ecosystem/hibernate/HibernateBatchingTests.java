package dev.piccolo.ecosystem.hibernate;

import java.sql.SQLException;
import java.util.List;

import jakarta.persistence.EntityManagerFactory;

import dev.piccolo.ecosystem.CommittedRows;
import dev.piccolo.ecosystem.hibernate.HibernateBatchingApplication.ReadingService;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hibernate's JDBC batching through the engine: a bulk load of 1,000 entities goes out in batches of 20 and
 * commits whole, updates commit with their transaction, and a transaction whose batch the server rejects leaves
 * nothing behind, neither its updates nor the inserts sent before the failing row. Rows are counted by a connection
 * of the test's own.
 */
@ExtendWith(PostgresClusterExtension.class)
class HibernateBatchingTests {

    private static final int ROWS = 1000;

    private static final int BATCH_SIZE = 20;

    private static final int UPDATED = 10;

    private static final int DELTA = 5;

    /** Amounts of the bulk load: 0 to ROWS - 1. */
    private static final long LOADED_SUM = (long) ROWS * (ROWS - 1) / 2;

    @Test
    void bulkLoadGoesOutInBatchesAndAFailedBatchRollsBackItsWholeTransaction(PostgresCluster cluster)
            throws Exception {
        try (ConfigurableApplicationContext context = HibernateBatchingApplication.start(cluster,
                "spring.jpa.properties.hibernate.jdbc.batch_size=" + BATCH_SIZE,
                "spring.jpa.properties.hibernate.order_inserts=true",
                "spring.jpa.properties.hibernate.generate_statistics=true")) {
            ReadingService readings = context.getBean(ReadingService.class);
            Statistics statistics = context.getBean(EntityManagerFactory.class).unwrap(SessionFactory.class)
                    .getStatistics();

            long preparedBefore = statistics.getPrepareStatementCount();
            List<Long> ids = readings.persist("loaded", ROWS);
            // One statement per batch of 20 inserts and one per 50 ids; without batching, one per row.
            assertThat(statistics.getPrepareStatementCount() - preparedBefore).as("statements prepared for the load")
                    .isPositive().isLessThan(ROWS / 5);
            assertThat(CommittedRows.count(cluster, "reading")).isEqualTo(ROWS);
            assertThat(CommittedRows.sum(cluster, "amount", "reading")).isEqualTo(LOADED_SUM);

            List<Long> corrected = ids.subList(0, UPDATED);
            readings.add(DELTA, corrected);
            long correctedSum = LOADED_SUM + (long) DELTA * UPDATED;
            assertThat(CommittedRows.sum(cluster, "amount", "reading")).isEqualTo(correctedSum);

            assertThatThrownBy(() -> readings.addThenPersistInvalid(DELTA, corrected, "rolled-back", 5 * BATCH_SIZE))
                    .rootCause().isInstanceOf(SQLException.class).hasMessageContaining("reading_amount_not_negative");
            assertThat(CommittedRows.count(cluster, "reading", "label = 'rolled-back'")).isZero();
            assertThat(CommittedRows.count(cluster, "reading")).isEqualTo(ROWS);
            assertThat(CommittedRows.sum(cluster, "amount", "reading")).as("amounts, the rolled-back updates undone")
                    .isEqualTo(correctedSum);
        }
    }
}
