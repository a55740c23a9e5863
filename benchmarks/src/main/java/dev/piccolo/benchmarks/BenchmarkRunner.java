package dev.piccolo.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.piccolo.engine.test.PostgresCluster;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark in one process against one local primary and replica, and writes the results to
 * the folder given as the first argument: JMH's JSON of the single-run cases, every value of the
 * interleaved rounds as CSV, and {@code summary.md}.
 *
 * <p>Run with {@code ./mvnw -pl benchmarks -am -DskipTests package exec:exec}; one case alone with
 * {@code -Dbench.only=<class or method pattern>}, optionally {@code -Dbench.threads=<n>} client threads
 * and {@code -Dbench.profiler=<JMH profiler>}, and {@code -Dbench.warmup=<seconds>} of warm-up in place of
 * the default 6 (a 16-thread case on two cores climbs for longer); {@code -Dbench.rounds=<n>} sets the rounds
 * of a full run.
 */
public final class BenchmarkRunner {

    private static final int DEFAULT_ROUNDS = 5;

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
            Map<String, String> coordinates = BenchmarkCluster.systemProperties(cluster);
            coordinates.forEach(System::setProperty);
            List<String> jvmArguments = BenchmarkCluster.jvmArguments(coordinates);
            String only = System.getProperty("bench.only", "");
            if (only.isBlank()) {
                runAll(cluster, jvmArguments, results);
            }
            else {
                runOne(only, jvmArguments);
            }
        }
    }

    /** While profiling one case: prints its results (and a profiler's, e.g. stack, gc or comp), keeps the published ones. */
    private static void runOne(String only, List<String> jvmArguments) throws Exception {
        ChainedOptionsBuilder options = singleRun(jvmArguments, Files.createTempFile("jmh-", ".json")).include(only);
        String profiler = System.getProperty("bench.profiler", "");
        if (!profiler.isBlank()) {
            options.addProfiler(profiler);
        }
        String threads = System.getProperty("bench.threads", "");
        if (!threads.isBlank()) {
            options.threads(Integer.parseInt(threads));
        }
        String warmup = System.getProperty("bench.warmup", "");
        if (!warmup.isBlank()) {
            options.warmupIterations(Integer.parseInt(warmup)).warmupTime(TimeValue.seconds(1));
        }
        run(options);
    }

    private static void runAll(PostgresCluster cluster, List<String> jvmArguments, Path results) throws Exception {
        String roundsProperty = System.getProperty("bench.rounds", "");
        int rounds = roundsProperty.isBlank() ? DEFAULT_ROUNDS : Integer.parseInt(roundsProperty);
        Optional<Pgbench> pgbench = Pgbench.locate(cluster);
        String pgbenchLine = pgbench.map(client -> "`pgbench`: " + client + ".")
                .orElse("`pgbench`: not found in the installation the servers run from (or they run in containers); "
                        + "its columns are empty.");
        System.out.println(pgbenchLine);
        RoundResults selectOne = new InterleavedRounds(SelectOneCases.all(jvmArguments, pgbench))
                .run(rounds, SelectOneCases.CLIENT_COUNTS);
        Files.writeString(results.resolve("rounds-select-one.csv"), selectOne.csv("ops_per_second"));
        Map<String, List<StartupRounds.Start>> starts = new StartupRounds(jvmArguments).run(rounds);
        Files.writeString(results.resolve("rounds-startup.csv"), startupCsv(starts));
        List<NodeFootprint.Footprint> footprints = NodeFootprint.measure(jvmArguments);
        Collection<RunResult> cases = run(singleRun(jvmArguments, results.resolve("jmh-cases.json"))
                .include(AcquisitionBenchmark.class.getName())
                .include(AdviceOverheadBenchmark.class.getName())
                .include(SpringQueryBenchmark.class.getName() + ".findById")
                .include(PoolingBenchmark.class.getName())
                .include(LogicalConnectionCostBenchmark.class.getName())
                .include(PoolStartBenchmark.class.getName()));
        String summary = new BenchmarkSummary(new BenchmarkSummary.Run(serverVersion(cluster), pgbenchLine, rounds,
                cases, selectOne, starts, footprints)).markdown();
        Files.writeString(results.resolve("summary.md"), summary);
        System.out.println(summary);
    }

    private static String startupCsv(Map<String, List<StartupRounds.Start>> starts) {
        StringBuilder csv = new StringBuilder("app,round,ready_ms,pools_open_ms,connections_before_ready\n");
        starts.forEach((app, list) -> {
            for (int round = 0; round < list.size(); round++) {
                StartupRounds.Start start = list.get(round);
                csv.append(String.format(Locale.ROOT, "\"%s\",%d,%.0f,%.0f,%d%n", app, round + 1, start.readyMillis(),
                        start.runningMillis(), start.connectionsBeforeReady()));
            }
        });
        return csv.toString();
    }

    private static ChainedOptionsBuilder singleRun(List<String> jvmArguments, Path json) {
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
            statement.execute("CREATE TABLE bench_stock (item_id int PRIMARY KEY REFERENCES bench_item, "
                    + "quantity int NOT NULL)");
            statement.execute("INSERT INTO bench_stock SELECT id, id % 50 FROM bench_item");
            statement.execute("CREATE DATABASE " + StartupRounds.SAMPLE_DATABASE);
        }
        cluster.awaitReplication();
    }

    private static String serverVersion(PostgresCluster cluster) throws SQLException {
        try (Connection connection = cluster.connect("primary")) {
            return connection.getMetaData().getDatabaseProductVersion();
        }
    }
}
