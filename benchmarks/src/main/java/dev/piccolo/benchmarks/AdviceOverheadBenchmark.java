package dev.piccolo.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Case 2b: what the routing advice itself costs per call, with no query, so no database noise: a bean
 * method with {@code @UseNode}, the same with dynamic-datasource's {@code @DS}, and a plain call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class AdviceOverheadBenchmark {

    private final ReplicaReaders.Plain plain = new ReplicaReaders.Plain(null);

    private int value;

    @Benchmark
    public int plainCall() {
        return plain.noQuery(value++);
    }

    @Benchmark
    public int useNodeAdvice(SpringQueryBenchmark.Piccolo piccolo) {
        return piccolo.reader.noQuery(value++);
    }

    @Benchmark
    public int dynamicDatasourceAdvice(SpringQueryBenchmark.DynamicDatasource dynamic) {
        return dynamic.reader.noQuery(value++);
    }
}
