package dev.piccolo.benchmarks;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * One JMH benchmark method as a case of {@link InterleavedRounds}: a fresh fork per measurement, warmed
 * up longer the more client threads it runs.
 *
 * <p>Why longer: with 16 client threads and 16 server backends on two cores the JIT's compiler threads
 * get a small share of the CPU, and throughput kept climbing for about 15 s (measured with
 * {@code -Dbench.profiler=comp}: compilation still took as long as the iteration itself after 6 s of
 * warm-up). A short warm-up then measures the climb, and the path with more code to compile (the routed
 * one) climbs later: that was the "16-thread gap" of earlier runs.
 *
 * @param jvmArguments the cluster's coordinates for the fork
 * @param benchmark the benchmark's class
 * @param method the benchmark method
 * @param parameters JMH {@code @Param} values
 */
record JmhThroughput(List<String> jvmArguments, Class<?> benchmark, String method, Map<String, String> parameters)
        implements InterleavedRounds.Throughput {

    private static final int MEASUREMENT_SECONDS = 3;

    JmhThroughput(List<String> jvmArguments, Class<?> benchmark, String method) {
        this(jvmArguments, benchmark, method, Map.of());
    }

    /** Seconds of warm-up: 5 for one client thread, 8 for 4, 20 for 16. */
    static int warmupSeconds(int clients) {
        return 4 + clients;
    }

    @Override
    public double operationsPerSecond(int clients) throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(benchmark.getName() + "." + method) + "$")
                .threads(clients)
                .forks(1)
                .warmupIterations(warmupSeconds(clients)).warmupTime(TimeValue.seconds(1))
                .measurementIterations(MEASUREMENT_SECONDS).measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend(jvmArguments.toArray(String[]::new))
                .verbosity(VerboseMode.SILENT);
        parameters.forEach(options::param);
        Collection<RunResult> results = new Runner(options.build()).run();
        if (results.size() != 1) {
            throw new IllegalStateException(results.size() + " results for " + benchmark.getSimpleName() + "."
                    + method + parameters + ", expected one");
        }
        return results.iterator().next().getPrimaryResult().getScore();
    }
}
