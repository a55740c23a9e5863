package dev.piccolo.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import dev.piccolo.engine.test.PostgresCluster;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark case in one process against one local primary and replica, and writes JMH's
 * JSON and a markdown summary of the ratios to the folder given as the first argument.
 *
 * <p>Run with {@code ./mvnw -pl benchmarks -am -DskipTests package exec:exec}; one case alone with
 * {@code -Dbench.only=<class or method pattern>}, optionally {@code -Dbench.threads=<n>} client threads
 * and {@code -Dbench.profiler=<JMH profiler>}.
 */
public final class BenchmarkRunner {

    private static final int[] CLIENT_THREADS = { 1, 4, 16 };

    private BenchmarkRunner() {
    }

    /**
     * Starts the cluster, runs the benchmarks and writes the results.
     *
     * @param args the results folder
     * @throws Exception when the cluster, a benchmark or writing fails
     */
    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "results");
        Files.createDirectories(results);
        try (PostgresCluster cluster = PostgresCluster.start(1)) {
            seed(cluster);
            List<String> jvmArguments = BenchmarkCluster.jvmArguments(cluster);
            String only = System.getProperty("bench.only");
            if (only != null && !only.isBlank()) {
                // While profiling one case: print its results (and a profiler's, e.g. stack or gc), keep the
                // published ones.
                ChainedOptionsBuilder options = options(jvmArguments, Files.createTempFile("jmh-", ".json")).include(only);
                String profiler = System.getProperty("bench.profiler", "");
                if (!profiler.isBlank()) {
                    options.addProfiler(profiler);
                }
                String threads = System.getProperty("bench.threads", "");
                if (!threads.isBlank()) {
                    options.threads(Integer.parseInt(threads));
                }
                run(options);
                return;
            }
            List<RunResult> all = new ArrayList<>(run(options(jvmArguments, results.resolve("jmh-cases.json"))
                    .include(AcquisitionBenchmark.class.getName())
                    .include(AdviceOverheadBenchmark.class.getName())
                    .include(SpringQueryBenchmark.class.getName())
                    .include(PoolingBenchmark.class.getName())
                    .include(PoolStartBenchmark.class.getName())));
            List<ThreadRun> threadRuns = new ArrayList<>();
            for (int threads : CLIENT_THREADS) {
                threadRuns.add(new ThreadRun(threads, run(options(jvmArguments,
                        results.resolve("jmh-throughput-" + threads + "-threads.json"))
                        .include(ThroughputBenchmark.class.getName()).threads(threads))));
            }
            String summary = new BenchmarkSummary(all, threadRuns, serverVersion(cluster)).markdown();
            Files.writeString(results.resolve("summary.md"), summary);
            System.out.println(summary);
        }
    }

    private static ChainedOptionsBuilder options(List<String> jvmArguments, Path json) {
        return new OptionsBuilder()
                .warmupIterations(3).warmupTime(TimeValue.seconds(2))
                .measurementIterations(5).measurementTime(TimeValue.seconds(3))
                .forks(1)
                .jvmArgsAppend(jvmArguments.toArray(String[]::new))
                .resultFormat(ResultFormatType.JSON).result(json.toString());
    }

    private static Collection<RunResult> run(ChainedOptionsBuilder options) throws RunnerException {
        return new Runner(options.build()).run();
    }

    private static void seed(PostgresCluster cluster) throws SQLException {
        try (Connection connection = cluster.connect("primary"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE bench_item (id int PRIMARY KEY, name text NOT NULL)");
            statement.execute("INSERT INTO bench_item SELECT n, 'item ' || n FROM generate_series(1, "
                    + BenchmarkCluster.ITEMS + ") AS n");
        }
        cluster.awaitReplication();
    }

    private static String serverVersion(PostgresCluster cluster) throws SQLException {
        try (Connection connection = cluster.connect("primary")) {
            return connection.getMetaData().getDatabaseProductVersion();
        }
    }

    /** One run of the throughput case at a given number of client threads. */
    record ThreadRun(int threads, Collection<RunResult> results) {
    }
}
