package dev.piccolo.ecosystem.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import dev.piccolo.ecosystem.Applications;
import dev.piccolo.engine.UseNode;
import dev.piccolo.engine.test.PostgresCluster;

import org.springframework.batch.core.configuration.annotation.EnableBatchProcessing;
import org.springframework.batch.core.configuration.annotation.EnableJdbcJobRepository;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.item.database.JdbcBatchItemWriter;
import org.springframework.batch.infrastructure.item.database.builder.JdbcBatchItemWriterBuilder;
import org.springframework.batch.infrastructure.item.support.ListItemReader;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A Spring Batch application configured as applications without Boot's batch support configure it:
 * {@code @EnableBatchProcessing} with a JDBC job repository ({@code @EnableJdbcJobRepository}) on the engine's
 * DataSource, whose metadata tables the caller creates. Its jobs import {@link #LINES} order lines into
 * {@code priced_order} in chunks of {@link #CHUNK_SIZE}, each chunk one transaction, pricing every line with its
 * category's unit price, which {@link UnitPrices} reads on read_replica_1.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableBatchProcessing
@EnableJdbcJobRepository
public class ChunkOrientedStepApplication {

    /** Order lines a job reads. */
    static final int LINES = 10_000;

    /** Order lines per chunk, and so per transaction. */
    static final int CHUNK_SIZE = 500;

    /** Categories in {@code unit_price}; {@code batch/schema.sql} inserts as many. */
    static final int CATEGORIES = 10;

    /**
     * The line that {@link #importOrdersWithAnEmptyLine} reads with a quantity of 0: priced at 0, it breaks
     * {@code priced_order}'s CHECK when its chunk, the eleventh, is written, after 249 lines of that chunk.
     */
    static final int EMPTY_LINE = 5_250;

    /**
     * Runs this application on the cluster, its tables {@code unit_price} (filled) and {@code priced_order} (empty)
     * created anew. Spring Batch's metadata tables are not among them.
     *
     * @param cluster the cluster
     * @param properties more {@code name=value} properties
     * @return the running context
     */
    static ConfigurableApplicationContext start(PostgresCluster cluster, String... properties) {
        return Applications.runWithSchema(ChunkOrientedStepApplication.class, cluster, "classpath:batch/schema.sql",
                properties);
    }

    /**
     * The transaction manager of the chunks and of the job repository, which {@code @EnableJdbcJobRepository} finds
     * by this name. Declared because JPA is on this module's class path: Boot would make it a
     * {@code JpaTransactionManager}, and a JDBC batch application runs on a {@code DataSourceTransactionManager}.
     */
    @Bean
    DataSourceTransactionManager transactionManager(DataSource dataSource) {
        return new DataSourceTransactionManager(dataSource);
    }

    @Bean
    UnitPrices unitPrices(JdbcTemplate jdbc) {
        return new UnitPrices(jdbc);
    }

    @Bean
    ItemProcessor<OrderLine, PricedOrder> pricing(UnitPrices prices) {
        return line -> {
            UnitPrice price = prices.of(line.category());
            return new PricedOrder(line, line.quantity() * price.cents(), price.servedBy());
        };
    }

    /** Inserts each chunk as one JDBC batch; {@code written_on} records the server that ran it. */
    @Bean
    JdbcBatchItemWriter<PricedOrder> pricedOrderWriter(DataSource dataSource) {
        return new JdbcBatchItemWriterBuilder<PricedOrder>().dataSource(dataSource)
                .sql("INSERT INTO priced_order (id, category, quantity, amount_cents, priced_on, written_on)"
                        + " VALUES (?, ?, ?, ?, ?, inet_server_port())")
                .itemPreparedStatementSetter((order, insert) -> {
                    insert.setInt(1, order.line().id());
                    insert.setInt(2, order.line().category());
                    insert.setInt(3, order.line().quantity());
                    insert.setInt(4, order.amountCents());
                    insert.setInt(5, order.pricedOn());
                })
                .build();
    }

    /** Imports lines 1 to {@link #LINES}. */
    @Bean
    Job importOrders(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ItemProcessor<OrderLine, PricedOrder> pricing, JdbcBatchItemWriter<PricedOrder> pricedOrderWriter) {
        return importJob("importOrders", orderLines(), jobRepository, transactionManager, pricing, pricedOrderWriter);
    }

    /** Imports the same lines, but line {@link #EMPTY_LINE} orders nothing. */
    @Bean
    Job importOrdersWithAnEmptyLine(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ItemProcessor<OrderLine, PricedOrder> pricing, JdbcBatchItemWriter<PricedOrder> pricedOrderWriter) {
        List<OrderLine> lines = new ArrayList<>(orderLines());
        OrderLine line = lines.get(EMPTY_LINE - 1);
        lines.set(EMPTY_LINE - 1, new OrderLine(line.id(), line.category(), 0));
        return importJob("importOrdersWithAnEmptyLine", lines, jobRepository, transactionManager, pricing,
                pricedOrderWriter);
    }

    /** A job of one chunk-oriented step: read a line, price it on the replica, write the chunk on the primary. */
    private static Job importJob(String name, List<OrderLine> lines, JobRepository jobRepository,
            PlatformTransactionManager transactionManager, ItemProcessor<OrderLine, PricedOrder> pricing,
            ItemWriter<PricedOrder> writer) {
        Step step = new StepBuilder(name + ".priceOrderLines", jobRepository)
                .<OrderLine, PricedOrder>chunk(CHUNK_SIZE)
                .transactionManager(transactionManager)
                // Not step-scoped, so read once: each test's context runs each of its jobs once.
                .reader(new ListItemReader<>(lines))
                .processor(pricing)
                .writer(writer)
                .build();
        return new JobBuilder(name, jobRepository).start(step).build();
    }

    /** Lines 1 to {@link #LINES}: line n orders {@code 1 + n % 3} units of category {@code 1 + n % CATEGORIES}. */
    private static List<OrderLine> orderLines() {
        return IntStream.rangeClosed(1, LINES).mapToObj(n -> new OrderLine(n, 1 + n % CATEGORIES, 1 + n % 3)).toList();
    }

    /**
     * A line to import.
     *
     * @param id its number, the row's key
     * @param category the category ordered
     * @param quantity how many units
     */
    record OrderLine(int id, int category, int quantity) {
    }

    /**
     * A line with its price.
     *
     * @param line the line
     * @param amountCents its quantity times its category's unit price
     * @param pricedOn the port of the server that read the unit price
     */
    record PricedOrder(OrderLine line, int amountCents, int pricedOn) {
    }

    /**
     * A category's unit price.
     *
     * @param cents the price of one unit
     * @param servedBy the port of the server that read it
     */
    record UnitPrice(int cents, int servedBy) {
    }

    /** Reads the price list on read_replica_1. */
    public static class UnitPrices {

        private final JdbcTemplate jdbc;

        UnitPrices(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        /**
         * Reads the unit price of a category on read_replica_1, outside the caller's transaction. The step calls this
         * while its chunk's transaction is open on the primary: a read inside that transaction would join it there
         * ({@code node-switch-in-transaction: join}) instead of reaching the replica, so the chunk's transaction is
         * suspended for the read and resumed after it.
         *
         * @param category the category
         * @return its unit price and the port of the server that read it
         */
        @UseNode("read_replica_1")
        @Transactional(propagation = Propagation.NOT_SUPPORTED)
        public UnitPrice of(int category) {
            return jdbc.queryForObject("SELECT cents, inet_server_port() FROM unit_price WHERE category = ?",
                    (row, rowNumber) -> new UnitPrice(row.getInt(1), row.getInt(2)), category);
        }
    }
}
