package dev.piccolo.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.piccolo.engine.PoolOptions;
import dev.piccolo.engine.PostgresEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Case 6: {@code startConnectionPool} with 1, 4 and 16 extra nodes (each a pool of its own on the
 * replica), to show that pools open in parallel.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class PoolStartBenchmark {

    @Param({ "1", "4", "16" })
    public int extraNodes;

    private PostgresEngine engine;

    private final PoolOptions options = PoolOptions.builder().maxSize(2).minSize(1).build();

    @Setup
    public void build() {
        engine = BenchmarkCluster.withExtraNodes(extraNodes, "bench-pool-start").startupChecks(false).build();
    }

    @TearDown(Level.Invocation)
    public void closePools() {
        engine.closeConnectionPool();
    }

    @Benchmark
    public boolean startConnectionPool() {
        engine.startConnectionPool(options);
        return engine.isPoolRunning();
    }
}
