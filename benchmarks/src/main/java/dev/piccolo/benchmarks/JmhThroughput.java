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
 * <p>Why longer: with more client threads than cores the JIT's compiler threads get a small share of the
 * CPU, and throughput climbs until the hot paths are compiled. Measured one iteration a second with
 * {@code -Dbench.warmup=40}: at one client every case was level after 3 s; at 4 clients the JdbcTemplate PK
 * lookup climbed for 13 s and JPA's {@code findById} (Hibernate has far more code to compile) for 25 s; at
 * 16 threads the plain JDBC cases climbed for 25-30 s. A short warm-up measures the climb, and the path with
 * more code to compile climbs later: that was the "16-thread gap" of earlier runs (the routed PK lookup at
 * 0.71 of the raw pool after 20 s, 1.15 after 40 s) and the 4-client gap to {@code pgbench -M prepared}.
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

    /** Seconds of warm-up: 6 for one client thread, 24 for 4, 40 for 16 (past the longest climb measured). */
    static int warmupSeconds(int clients) {
        return Math.min(40, 6 * clients);
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
