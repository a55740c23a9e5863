package dev.piccolo.ecosystem.batch;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.piccolo.ecosystem.CommittedRows;
import dev.piccolo.engine.EngineNode;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.test.ClusterNode;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static dev.piccolo.ecosystem.batch.ChunkOrientedStepApplication.CHUNK_SIZE;
import static dev.piccolo.ecosystem.batch.ChunkOrientedStepApplication.EMPTY_LINE;
import static dev.piccolo.ecosystem.batch.ChunkOrientedStepApplication.LINES;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Batch chunk-oriented step through the engine: 10,000 order lines written by a {@code JdbcBatchItemWriter}
 * in chunks of 500, each chunk one transaction on the primary, while the unit price of every line is read on
 * read_replica_1 outside the chunk's transaction; and a chunk whose JDBC batch the server rejects midway rolls back
 * alone, the chunks before it staying committed (Spring Batch's chunk transaction). Rows and the job repository's
 * records are read by a connection of the test's own, and at the end no connection is borrowed from any pool.
 */
@ExtendWith(PostgresClusterExtension.class)
class ChunkOrientedStepTests {

    /** A condition on {@code priced_order}: the row's amount is its quantity times its category's unit price. */
    private static final String PRICED_AT_UNIT_PRICE =
            "amount_cents = quantity * (SELECT cents FROM unit_price p WHERE p.category = priced_order.category)";

    /**
     * Creates Spring Batch's metadata tables anew on the primary from spring-batch-core's own scripts, as an
     * application without Boot's batch support does, so that each test's job runs on an empty job repository.
     */
    @BeforeEach
    void emptyJobRepository(PostgresCluster cluster) throws SQLException {
        ResourceDatabasePopulator drop = new ResourceDatabasePopulator(
                new ClassPathResource("org/springframework/batch/core/schema-drop-postgresql.sql"));
        // The drop script alters each table before dropping it, which fails while the tables do not exist yet.
        drop.setContinueOnError(true);
        ResourceDatabasePopulator create = new ResourceDatabasePopulator(
                new ClassPathResource("org/springframework/batch/core/schema-postgresql.sql"));
        try (Connection primary = cluster.connect(ClusterNode.PRIMARY)) {
            drop.populate(primary);
            create.populate(primary);
        }
    }

    @Test
    void everyChunkCommitsOnThePrimaryWhileItsLinesArePricedOnTheReplica(PostgresCluster cluster) throws Exception {
        try (ConfigurableApplicationContext context = ChunkOrientedStepApplication.start(cluster)) {
            JobExecution execution = run(context, cluster, "importOrders");

            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(onlyStep(execution).getCommitCount()).as("one commit per chunk").isEqualTo(LINES / CHUNK_SIZE);
            assertThat(CommittedExecution.read(cluster)).as("the execution as the job repository committed it")
                    .isEqualTo(new CommittedExecution("COMPLETED", "COMPLETED", LINES / CHUNK_SIZE, 0, LINES));
            assertThat(CommittedRows.count(cluster, "priced_order")).isEqualTo(LINES);
            assertThat(CommittedRows.count(cluster, "priced_order", "written_on = " + cluster.primary().port()))
                    .as("rows inserted by the primary").isEqualTo(LINES);
            assertThat(CommittedRows.count(cluster, "priced_order", "priced_on = " + cluster.replica(1).port()))
                    .as("rows priced from read_replica_1").isEqualTo(LINES);
            assertThat(CommittedRows.count(cluster, "priced_order", PRICED_AT_UNIT_PRICE))
                    .as("rows priced with their category's unit price").isEqualTo(LINES);
            assertNothingBorrowed(context);
        }
    }

    @Test
    void aChunkThatFailsMidwayRollsBackAloneAfterTheChunksBeforeItCommitted(PostgresCluster cluster)
            throws Exception {
        try (ConfigurableApplicationContext context = ChunkOrientedStepApplication.start(cluster)) {
            JobExecution execution = run(context, cluster, "importOrdersWithAnEmptyLine");

            int chunksBefore = (EMPTY_LINE - 1) / CHUNK_SIZE;
            int committedLines = chunksBefore * CHUNK_SIZE;
            assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(onlyStep(execution).getFailureExceptions()).anySatisfy(failure -> assertThat(failure)
                    .rootCause().isInstanceOf(SQLException.class).hasMessageContaining("priced_order_amount_positive"));
            assertThat(CommittedExecution.read(cluster)).as("the execution as the job repository committed it")
                    .isEqualTo(new CommittedExecution("FAILED", "FAILED", chunksBefore, 1, committedLines));
            // Keys are unique, so these two counts leave exactly lines 1 to committedLines: the whole chunks before
            // the failing one, none of the lines the server had inserted for it before rejecting the empty line.
            assertThat(CommittedRows.count(cluster, "priced_order")).isEqualTo(committedLines);
            assertThat(CommittedRows.count(cluster, "priced_order", "id > " + committedLines))
                    .as("rows of the failed chunk and after").isZero();
            assertThat(CommittedRows.count(cluster, "priced_order", "priced_on = " + cluster.replica(1).port()))
                    .as("rows priced from read_replica_1").isEqualTo(committedLines);
            assertNothingBorrowed(context);
        }
    }

    /** Runs a job of the application with no parameters; returns its execution, ended (the operator is synchronous). */
    private static JobExecution run(ConfigurableApplicationContext context, PostgresCluster cluster, String job)
            throws Exception {
        // The application wrote the price list on the primary as it started; the job reads it on the replica.
        cluster.awaitReplication();
        return context.getBean(JobOperator.class).start(context.getBean(job, Job.class), new JobParameters());
    }

    private static StepExecution onlyStep(JobExecution execution) {
        assertThat(execution.getStepExecutions()).hasSize(1);
        return execution.getStepExecutions().iterator().next();
    }

    /** Every node's pool is running and has all its connections back: the job left none borrowed. */
    private static void assertNothingBorrowed(ConfigurableApplicationContext context) {
        for (EngineNode node : context.getBean(PostgresEngine.class).nodes()) {
            assertThat(node.poolStatistics()).as("pool of %s", node.name()).hasValueSatisfying(
                    pool -> assertThat(pool.active()).as("connections borrowed from %s", node.name()).isZero());
        }
    }

    /**
     * The only job execution and its only step execution, as the job repository committed them on the primary, read
     * by a connection of the test's own: what a restart or a job dashboard reads.
     *
     * @param jobStatus the job's status
     * @param stepStatus the step's status
     * @param commits the step's commit count
     * @param rollbacks the step's rollback count
     * @param written the step's write count
     */
    private record CommittedExecution(String jobStatus, String stepStatus, long commits, long rollbacks,
            long written) {

        static CommittedExecution read(PostgresCluster cluster) throws SQLException {
            try (Connection primary = cluster.connect(ClusterNode.PRIMARY);
                    Statement statement = primary.createStatement();
                    ResultSet execution = statement.executeQuery("SELECT j.status, s.status, s.commit_count,"
                            + " s.rollback_count, s.write_count FROM batch_job_execution j"
                            + " JOIN batch_step_execution s USING (job_execution_id)")) {
                if (!execution.next()) {
                    throw new IllegalStateException("The job repository committed no step execution");
                }
                return new CommittedExecution(execution.getString(1), execution.getString(2), execution.getLong(3),
                        execution.getLong(4), execution.getLong(5));
            }
        }
    }
}
