package dev.piccolo.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.piccolo.benchmarks.jpa.ItemRepository;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Cases 2 and 3: a short query through JdbcTemplate in a Spring bean on the replica, routed by
 * {@code @UseNode}, by dynamic-datasource's {@code @DS}, and not routed at all (a raw pool to the
 * replica). The interleaved rounds run the {@code SELECT 1} cases at 1 and 4 client threads; run alone
 * (the PK lookups of the single-run cases), four: on two cores a single thread's loopback round trips
 * vary too much from run to run for a ratio of a few percent to mean anything.
 */
@BenchmarkMode(Mode.Throughput)
@Threads(4)
public class SpringQueryBenchmark {

    @State(Scope.Benchmark)
    public static class Raw {

        HikariDataSource pool;

        ReplicaReaders.Plain reader;

        @Setup
        public void open() {
            pool = BenchmarkCluster.rawPool("read_replica_1");
            reader = new ReplicaReaders.Plain(new JdbcTemplate(pool));
        }

        @TearDown
        public void close() {
            pool.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Piccolo {

        ConfigurableApplicationContext context;

        ReplicaReaders.Piccolo reader;

        @Setup
        public void open() {
            context = SpringApplications.piccolo();
            reader = context.getBean(ReplicaReaders.Piccolo.class);
        }

        @TearDown
        public void close() {
            context.close();
        }
    }

    /** The start-up measurements' Spring Data JPA app, on the engine. */
    @State(Scope.Benchmark)
    public static class Jpa {

        ConfigurableApplicationContext context;

        ItemRepository items;

        @Setup
        public void open() {
            context = SpringApplications.jpa();
            items = context.getBean(ItemRepository.class);
        }

        @TearDown
        public void close() {
            context.close();
        }
    }

    @State(Scope.Benchmark)
    public static class DynamicDatasource {

        ConfigurableApplicationContext context;

        ReplicaReaders.DynamicDatasource reader;

        @Setup
        public void open() {
            context = SpringApplications.dynamicDatasource();
            reader = context.getBean(ReplicaReaders.DynamicDatasource.class);
        }

        @TearDown
        public void close() {
            context.close();
        }
    }

    @Benchmark
    public Integer selectOneRawHikari(Raw raw) {
        return raw.reader.selectOne();
    }

    @Benchmark
    public Integer selectOneUseNode(Piccolo piccolo) {
        return piccolo.reader.selectOne();
    }

    @Benchmark
    public Integer selectOneDynamicDatasource(DynamicDatasource dynamic) {
        return dynamic.reader.selectOne();
    }

    @Benchmark
    public String findByIdRawHikari(Raw raw) {
        return raw.reader.findName(BenchmarkCluster.randomItemId());
    }

    @Benchmark
    public String findByIdUseNode(Piccolo piccolo) {
        return piccolo.reader.findName(BenchmarkCluster.randomItemId());
    }

    @Benchmark
    public String joinUseNode(Piccolo piccolo) {
        return piccolo.reader.findNameAndStock(BenchmarkCluster.randomItemId());
    }

    /** Spring Data JPA's {@code findById}, routed by {@code @UseNode} on the repository method. */
    @Benchmark
    public Object jpaFindByIdUseNode(Jpa jpa) {
        return jpa.items.findById(BenchmarkCluster.randomItemId()).orElseThrow().getName();
    }

    @Benchmark
    public String findByIdDynamicDatasource(DynamicDatasource dynamic) {
        return dynamic.reader.findName(BenchmarkCluster.randomItemId());
    }
}
