package dev.piccolo.benchmarks;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/** Turns JMH results into the markdown table of ratios that README.md's Performance section shows. */
final class BenchmarkSummary {

    private final Collection<RunResult> cases;

    private final List<BenchmarkRunner.ThreadRun> threadRuns;

    private final String serverVersion;

    private final StringBuilder text = new StringBuilder();

    BenchmarkSummary(Collection<RunResult> cases, List<BenchmarkRunner.ThreadRun> threadRuns, String serverVersion) {
        this.cases = cases;
        this.threadRuns = threadRuns;
        this.serverVersion = serverVersion;
    }

    String markdown() {
        text.append("# Benchmark results\n\n");
        text.append(String.format(Locale.ROOT, "Machine: %d cores, %s %s, JDK %s (%s), PostgreSQL %s on loopback.%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"), System.getProperty("java.vm.name"),
                serverVersion));
        text.append("| case | compared | baseline | ratio (ours / baseline throughput) | goal |\n");
        text.append("|---|---|---|---|---|\n");
        timeRow("1 acquisition, primary", "AcquisitionBenchmark.routingPrimary", "AcquisitionBenchmark.rawHikariPrimary",
                "< 5 % or < 100 ns");
        timeRow("1 acquisition, read_replica_1 via NodeContext",
                "AcquisitionBenchmark.routingReplicaBoundThroughNodeContext", "AcquisitionBenchmark.rawHikariReplica",
                "< 5 % or < 100 ns");
        timeRow("8 acquisition, group 'replicas' with health probe and lag limit vs plain node",
                "AcquisitionBenchmark.routingGroupWithHealthProbe",
                "AcquisitionBenchmark.routingReplicaBoundThroughNodeContext", "within a few %");
        throughputRow("2 SELECT 1, @UseNode vs raw pool", "SpringQueryBenchmark.selectOneUseNode",
                "SpringQueryBenchmark.selectOneRawHikari", "≥ 0.97");
        throughputRow("2 PK lookup, @UseNode vs raw pool", "SpringQueryBenchmark.findByIdUseNode",
                "SpringQueryBenchmark.findByIdRawHikari", "≥ 0.97");
        timeRow("2b advice per call, @UseNode vs no advice", "AdviceOverheadBenchmark.useNodeAdvice",
                "AdviceOverheadBenchmark.plainCall", "(absolute ns)");
        timeRow("3b advice per call, @UseNode vs @DS", "AdviceOverheadBenchmark.useNodeAdvice",
                "AdviceOverheadBenchmark.dynamicDatasourceAdvice", "≥ 1.0");
        throughputRow("3 SELECT 1, @UseNode vs @DS", "SpringQueryBenchmark.selectOneUseNode",
                "SpringQueryBenchmark.selectOneDynamicDatasource", "≥ 1.0");
        throughputRow("3 PK lookup, @UseNode vs @DS", "SpringQueryBenchmark.findByIdUseNode",
                "SpringQueryBenchmark.findByIdDynamicDatasource", "≥ 1.0");
        timeRow("4 SELECT 1 unpooled vs pooled (pooled is ours)", "PoolingBenchmark.pooledQuery",
                "PoolingBenchmark.unpooledQuery", "pool helps");
        timeRow("5 SELECT 1, logging off vs no proxy", "PoolingBenchmark.loggingOffNodeQuery",
                "PoolingBenchmark.rawHikariQuery", "≥ 0.99");
        for (BenchmarkRunner.ThreadRun run : threadRuns) {
            double ours = score(run.results(), "ThroughputBenchmark.routedReplica", null).getScore();
            double raw = score(run.results(), "ThroughputBenchmark.rawHikariReplica", null).getScore();
            text.append(String.format(Locale.ROOT, "| 7 SELECT 1 on replica, %d thread(s) | %.0f ops/s | %.0f ops/s | "
                    + "%.3f | ≈ 1 |%n", run.threads(), ours, raw, ours / raw));
        }
        text.append("\n| case 6: startConnectionPool | time (ms) | vs 1 extra node |\n|---|---|---|\n");
        double one = score(cases, "PoolStartBenchmark.startConnectionPool", "1").getScore();
        for (String nodes : new String[] { "1", "4", "16" }) {
            Result<?> result = score(cases, "PoolStartBenchmark.startConnectionPool", nodes);
            text.append(String.format(Locale.ROOT, "| %s extra node(s) + primary | %.1f ± %.1f | %.2f× |%n", nodes,
                    result.getScore(), result.getScoreError(), result.getScore() / one));
        }
        return text.toString();
    }

    /** A row for average-time results: the ratio is baseline time / our time, i.e. relative throughput. */
    private void timeRow(String label, String ours, String baseline, String goal) {
        Result<?> our = score(cases, ours, null);
        Result<?> base = score(cases, baseline, null);
        text.append(String.format(Locale.ROOT, "| %s | %.3f ± %.3f %s | %.3f ± %.3f %s | %.3f (%+.3f %s) | %s |%n",
                label, our.getScore(), our.getScoreError(), our.getScoreUnit(), base.getScore(), base.getScoreError(),
                base.getScoreUnit(), base.getScore() / our.getScore(), our.getScore() - base.getScore(),
                our.getScoreUnit(), goal));
    }

    private void throughputRow(String label, String ours, String baseline, String goal) {
        Result<?> our = score(cases, ours, null);
        Result<?> base = score(cases, baseline, null);
        text.append(String.format(Locale.ROOT, "| %s | %.0f ± %.0f %s | %.0f ± %.0f %s | %.3f | %s |%n", label,
                our.getScore(), our.getScoreError(), our.getScoreUnit(), base.getScore(), base.getScoreError(),
                base.getScoreUnit(), our.getScore() / base.getScore(), goal));
    }

    private static Result<?> score(Collection<RunResult> results, String benchmark, String extraNodes) {
        return results.stream()
                .filter(result -> result.getParams().getBenchmark().endsWith("." + benchmark))
                .filter(result -> extraNodes == null || extraNodes.equals(result.getParams().getParam("extraNodes")))
                .findFirst()
                .map(RunResult::getPrimaryResult)
                .orElseThrow(() -> new IllegalStateException("No result for " + benchmark));
    }
}
