package dev.piccolo.benchmarks;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import static dev.piccolo.benchmarks.SelectOneCases.DYNAMIC_DATASOURCE;
import static dev.piccolo.benchmarks.SelectOneCases.PGBENCH_EXTENDED;
import static dev.piccolo.benchmarks.SelectOneCases.PGBENCH_PREPARED;
import static dev.piccolo.benchmarks.SelectOneCases.PGBENCH_PREPARED_JOIN;
import static dev.piccolo.benchmarks.SelectOneCases.PGBENCH_PREPARED_PRIMARY_KEY;
import static dev.piccolo.benchmarks.SelectOneCases.RAW;
import static dev.piccolo.benchmarks.SelectOneCases.RAW_AGAIN;
import static dev.piccolo.benchmarks.SelectOneCases.RAW_JDBC_TEMPLATE;
import static dev.piccolo.benchmarks.SelectOneCases.RAW_PRIMARY_KEY;
import static dev.piccolo.benchmarks.SelectOneCases.READ_YOUR_WRITES_CLIENTS;
import static dev.piccolo.benchmarks.SelectOneCases.ROUTED;
import static dev.piccolo.benchmarks.SelectOneCases.ROUTED_PRIMARY_KEY;
import static dev.piccolo.benchmarks.SelectOneCases.USE_NODE_JOIN;
import static dev.piccolo.benchmarks.SelectOneCases.USE_NODE_JPA;
import static dev.piccolo.benchmarks.SelectOneCases.USE_NODE_PRIMARY_KEY;
import static dev.piccolo.benchmarks.SelectOneCases.RYW_FORGED_TOKEN;
import static dev.piccolo.benchmarks.SelectOneCases.RYW_READ_OFF;
import static dev.piccolo.benchmarks.SelectOneCases.RYW_READ_ON;
import static dev.piccolo.benchmarks.SelectOneCases.RYW_TX_WRITE_READ_OFF;
import static dev.piccolo.benchmarks.SelectOneCases.RYW_TX_WRITE_READ_ON;
import static dev.piccolo.benchmarks.SelectOneCases.RYW_WRITE_READ_OFF;
import static dev.piccolo.benchmarks.SelectOneCases.RYW_WRITE_READ_ON;
import static dev.piccolo.benchmarks.SelectOneCases.USE_NODE;

/** Turns one run's measurements into {@code summary.md}: the tables README.md and benchmarks/README.md show. */
final class BenchmarkSummary {

    private static final String NONE = "—";

    private static final String COST = LogicalConnectionCostBenchmark.class.getSimpleName() + ".";

    private final Run run;

    private final StringBuilder text = new StringBuilder();

    BenchmarkSummary(Run run) {
        this.run = run;
    }

    String markdown() {
        text.append("# Benchmark results\n\n");
        line("Machine: %d cores, %s %s, JDK %s (%s), PostgreSQL %s on loopback.", Runtime.getRuntime()
                .availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), run.serverVersion());
        line("%d interleaved rounds (order reversed every other round); figures are medians over the rounds with the "
                + "lowest and highest in brackets; ratios are taken round by round. %s", run.rounds(), run.pgbench());
        goals();
        floor();
        preparedFloor();
        primaryKeyLookup();
        readYourWrites();
        startup();
        footprint();
        singleRunCases();
        logicalConnectionCost();
        return text.toString();
    }

    private void goals() {
        text.append("\n## Goals\n\n| goal | measured | met |\n|---|---|---|\n");
        for (int clients : List.of(1, 4)) {
            goal("`@UseNode` + JdbcTemplate ≥ 0.85 of `pgbench -M extended`, " + clients + " client(s)",
                    ratio(USE_NODE, PGBENCH_EXTENDED, clients), 0.85);
        }
        for (int clients : List.of(1, 4)) {
            goal("`@UseNode` + JdbcTemplate PK lookup ≥ 0.85 of `pgbench -M prepared`, " + clients + " client(s)",
                    ratio(USE_NODE_PRIMARY_KEY, PGBENCH_PREPARED_PRIMARY_KEY, clients), 0.85);
        }
        routedAgainstRawGoals("`SELECT 1`", ROUTED, RAW);
        routedAgainstRawGoals("PK lookup", ROUTED_PRIMARY_KEY, RAW_PRIMARY_KEY);
        for (int clients : List.of(1, 4)) {
            goal("`@UseNode` ≥ `@DS`, " + clients + " client(s)", ratio(USE_NODE, DYNAMIC_DATASOURCE, clients), 1.0);
        }
        List<StartupRounds.Start> engine = run.starts().get(StartupRounds.JPA_ENGINE);
        List<StartupRounds.Start> boot = run.starts().get(StartupRounds.JPA_BOOT);
        Spread startup = Spread.ofRatios(values(boot, StartupRounds.Start::readyMillis),
                values(engine, StartupRounds.Start::readyMillis));
        goal("JPA app ready within 2 % of Boot's DataSource (Boot's time / ours)", startup, 0.98);
        double sixteen = score(run.cases(), "PoolStartBenchmark.startConnectionPool", "16").getScore()
                / score(run.cases(), "PoolStartBenchmark.startConnectionPool", "1").getScore();
        line("| 16 extra nodes' pools open within 2× one | %.2f× | %s |", sixteen, sixteen <= 2 ? "yes" : "no");
        goal("read-your-writes on ≥ 0.97 of off, replica read, " + READ_YOUR_WRITES_CLIENTS + " clients",
                ratio(RYW_READ_ON, RYW_READ_OFF, READ_YOUR_WRITES_CLIENTS), 0.97);
        goal("read-your-writes on ≥ 0.85 of off, insert then replica read, " + READ_YOUR_WRITES_CLIENTS + " clients",
                ratio(RYW_WRITE_READ_ON, RYW_WRITE_READ_OFF, READ_YOUR_WRITES_CLIENTS), 0.85);
        goal("forged token ≥ 0.9 of no token, replica read, " + READ_YOUR_WRITES_CLIENTS + " clients",
                ratio(RYW_FORGED_TOKEN, RYW_READ_ON, READ_YOUR_WRITES_CLIENTS), 0.9);
    }

    private void routedAgainstRawGoals(String query, String routed, String raw) {
        for (int clients : SelectOneCases.CLIENT_COUNTS) {
            goal("routed ≥ 0.97 of a raw pool, " + query + ", " + clients + " thread(s)", ratio(routed, raw, clients),
                    0.97);
        }
    }

    private void goal(String goal, Spread measured, double atLeast) {
        if (measured == null) {
            line("| %s | not measured | %s |", goal, NONE);
            return;
        }
        line("| %s | %s | %s |", goal, ratioText(measured), measured.median() >= atLeast ? "yes" : "no");
    }

    private void floor() {
        text.append("\n## `SELECT 1` on the replica against the physical floor\n\n");
        text.append("| case | clients | ops/s | / `pgbench -M extended` | / `pgbench -M prepared` | / its raw pool |\n");
        text.append("|---|---|---|---|---|---|\n");
        for (int clients : SelectOneCases.CLIENT_COUNTS) {
            floorRow(PGBENCH_EXTENDED, clients, null);
            floorRow(PGBENCH_PREPARED, clients, null);
            floorRow(RAW, clients, null);
            floorRow(ROUTED, clients, RAW);
            floorRow(RAW_JDBC_TEMPLATE, clients, null);
            floorRow(USE_NODE, clients, RAW_JDBC_TEMPLATE);
            floorRow(DYNAMIC_DATASOURCE, clients, RAW_JDBC_TEMPLATE);
            floorRow(RAW_AGAIN, clients, RAW);
        }
    }

    private void floorRow(String name, int clients, String rawPool) {
        if (!run.selectOne().has(name, clients)) {
            return;
        }
        line("| %s | %d | %s | %s | %s | %s |", name, clients, operations(Spread.of(run.selectOne().values(name,
                clients))), ratioText(ratio(name, PGBENCH_EXTENDED, clients)), ratioText(ratio(name, PGBENCH_PREPARED,
                clients)), rawPool == null ? NONE : ratioText(ratio(name, rawPool, clients)));
    }

    private void preparedFloor() {
        text.append("\n## Real statements on the replica against `pgbench -M prepared` running the same\n\n");
        text.append("| case | clients | ops/s | / `pgbench -M prepared`, same statement |\n|---|---|---|---|\n");
        for (int clients : List.of(1, 4)) {
            preparedRows(PGBENCH_PREPARED_PRIMARY_KEY, clients, USE_NODE_PRIMARY_KEY, USE_NODE_JPA);
            preparedRows(PGBENCH_PREPARED_JOIN, clients, USE_NODE_JOIN);
        }
    }

    private void preparedRows(String floor, int clients, String... cases) {
        if (!run.selectOne().has(floor, clients)) {
            return;
        }
        line("| %s | %d | %s | 1.000 |", floor, clients, operations(Spread.of(run.selectOne().values(floor, clients))));
        for (String name : cases) {
            line("| %s | %d | %s | %s |", name, clients, operations(Spread.of(run.selectOne().values(name, clients))),
                    ratioText(ratio(name, floor, clients)));
        }
    }

    private void primaryKeyLookup() {
        text.append("\n## Primary-key lookup on the replica, routed vs a raw pool\n\n");
        text.append("| clients | raw HikariCP, ops/s | routed via NodeContext, ops/s | routed / raw |\n");
        text.append("|---|---|---|---|\n");
        for (int clients : SelectOneCases.CLIENT_COUNTS) {
            line("| %d | %s | %s | %s |", clients,
                    operations(Spread.of(run.selectOne().values(RAW_PRIMARY_KEY, clients))),
                    operations(Spread.of(run.selectOne().values(ROUTED_PRIMARY_KEY, clients))),
                    ratioText(ratio(ROUTED_PRIMARY_KEY, RAW_PRIMARY_KEY, clients)));
        }
    }

    private void readYourWrites() {
        text.append("\n## Read-your-writes, off and on (" + READ_YOUR_WRITES_CLIENTS + " clients)\n\n");
        text.append("| case | off, ops/s | on, ops/s | on / off |\n|---|---|---|---|\n");
        readYourWritesRow("`SELECT 1` on the replica, the session wrote nothing", RYW_READ_OFF, RYW_READ_ON);
        readYourWritesRow("`INSERT` on the primary, then that read", RYW_WRITE_READ_OFF, RYW_WRITE_READ_ON);
        readYourWritesRow("`INSERT` in a transaction on the primary, then that read", RYW_TX_WRITE_READ_OFF,
                RYW_TX_WRITE_READ_ON);
        text.append("\n| case | no token, ops/s | forged token, ops/s | forged / none |\n|---|---|---|---|\n");
        readYourWritesRow("`SELECT 1` on the replica, read-your-writes on", RYW_READ_ON, RYW_FORGED_TOKEN);
    }

    private void readYourWritesRow(String label, String off, String on) {
        line("| %s | %s | %s | %s |", label, operations(Spread.of(run.selectOne().values(off, READ_YOUR_WRITES_CLIENTS))),
                operations(Spread.of(run.selectOne().values(on, READ_YOUR_WRITES_CLIENTS))),
                ratioText(ratio(on, off, READ_YOUR_WRITES_CLIENTS)));
    }

    private void startup() {
        text.append("\n## Start-up\n\n| app | JVM launch → `ApplicationReadyEvent`, ms | → pools open, ms "
                + "| physical connections before ready |\n|---|---|---|---|\n");
        run.starts().forEach((app, starts) -> line("| %s | %s | %s | %s |", app,
                whole(Spread.of(values(starts, StartupRounds.Start::readyMillis))),
                whole(Spread.of(values(starts, StartupRounds.Start::runningMillis))),
                whole(Spread.of(values(starts, start -> start.connectionsBeforeReady())))));
    }

    private void footprint() {
        text.append("\n## Memory and server connections per extra node (default pools)\n\n| extra nodes | heap retained "
                + "| per extra node | connections (primary + replica) | per extra node |\n|---|---|---|---|---|\n");
        NodeFootprint.Footprint none = run.footprints().get(0);
        for (NodeFootprint.Footprint footprint : run.footprints()) {
            int extra = footprint.extraNodes();
            line("| %d | %.1f MB | %s | %d + %d | %s |", extra, footprint.heapBytes() / 1e6,
                    extra == 0 ? NONE : String.format(Locale.ROOT, "%.0f KB",
                            (footprint.heapBytes() - none.heapBytes()) / 1e3 / extra),
                    footprint.primaryConnections(), footprint.replicaConnections(),
                    extra == 0 ? NONE : String.format(Locale.ROOT, "%.0f", (double) footprint.replicaConnections() / extra));
        }
    }

    private void singleRunCases() {
        text.append("\n## Single-run cases (one JMH fork each)\n\n");
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
        throughputRow("2 PK lookup, @UseNode vs raw pool, 4 threads", "SpringQueryBenchmark.findByIdUseNode",
                "SpringQueryBenchmark.findByIdRawHikari", "≥ 0.97");
        throughputRow("3 PK lookup, @UseNode vs @DS, 4 threads", "SpringQueryBenchmark.findByIdUseNode",
                "SpringQueryBenchmark.findByIdDynamicDatasource", "≥ 1.0");
        timeRow("2b advice per call, @UseNode vs no advice", "AdviceOverheadBenchmark.useNodeAdvice",
                "AdviceOverheadBenchmark.plainCall", "(absolute ns)");
        timeRow("3b advice per call, @UseNode vs @DS", "AdviceOverheadBenchmark.useNodeAdvice",
                "AdviceOverheadBenchmark.dynamicDatasourceAdvice", "≥ 1.0");
        timeRow("4 SELECT 1 unpooled vs pooled (pooled is ours)", "PoolingBenchmark.pooledQuery",
                "PoolingBenchmark.unpooledQuery", "pool helps");
        timeRow("5 SELECT 1, logging off vs no proxy", "PoolingBenchmark.loggingOffNodeQuery",
                "PoolingBenchmark.rawHikariQuery", "≥ 0.99");
        text.append("\n| case 6: startConnectionPool | time (ms) | vs 1 extra node |\n|---|---|---|\n");
        double one = score(run.cases(), "PoolStartBenchmark.startConnectionPool", "1").getScore();
        for (String nodes : new String[] { "1", "4", "16" }) {
            Result<?> result = score(run.cases(), "PoolStartBenchmark.startConnectionPool", nodes);
            line("| %s extra node(s) + primary | %.1f ± %.1f | %.2f× |", nodes, result.getScore(),
                    result.getScoreError(), result.getScore() / one);
        }
    }

    private void logicalConnectionCost() {
        text.append("\n## Cost of the logical connection (one thread, on the primary)\n\n");
        text.append("| operation | logical connection, ns/op | compared with | its ns/op | difference, ns |\n");
        text.append("|---|---|---|---|---|\n");
        costRow("(a) PK lookup on a held connection: prepare, bind, execute, next, close", "routedHeldStatement",
                "raw HikariCP, held", "rawHeldStatement");
        costRow("(b) unit of work: `getConnection()`, `SELECT 1`, `close()`", "routedUnitOfWork", "raw HikariCP",
                "rawUnitOfWork");
        costRow("(c) `SELECT 1` on a held connection, swapping node (primary ↔ replica)", "routedSwap",
                "(b) on the logical connection", "routedUnitOfWork");
    }

    private void costRow(String operation, String ours, String baselineName, String baseline) {
        Result<?> our = score(run.cases(), COST + ours, null);
        Result<?> base = score(run.cases(), COST + baseline, null);
        line("| %s | %,.0f ± %,.0f | %s | %,.0f ± %,.0f | %+,.0f |", operation, our.getScore(), our.getScoreError(),
                baselineName, base.getScore(), base.getScoreError(), our.getScore() - base.getScore());
    }

    /** The per-round ratio of two cases, or null when either did not run at that client count. */
    private Spread ratio(String ours, String baseline, int clients) {
        if (!run.selectOne().has(ours, clients) || !run.selectOne().has(baseline, clients)) {
            return null;
        }
        return Spread.ofRatios(run.selectOne().values(ours, clients), run.selectOne().values(baseline, clients));
    }

    private static List<Double> values(List<StartupRounds.Start> starts, ToDoubleFunction<StartupRounds.Start> value) {
        return starts.stream().map(start -> value.applyAsDouble(start)).toList();
    }

    private static String ratioText(Spread spread) {
        return spread == null ? NONE
                : String.format(Locale.ROOT, "%.3f [%.3f–%.3f]", spread.median(), spread.min(), spread.max());
    }

    private static String operations(Spread spread) {
        return String.format(Locale.ROOT, "%,.0f [%,.0f–%,.0f]", spread.median(), spread.min(), spread.max());
    }

    private static String whole(Spread spread) {
        return String.format(Locale.ROOT, "%.0f [%.0f–%.0f]", spread.median(), spread.min(), spread.max());
    }

    /** A row for average-time results: the ratio is baseline time / our time, i.e. relative throughput. */
    private void timeRow(String label, String ours, String baseline, String goal) {
        Result<?> our = score(run.cases(), ours, null);
        Result<?> base = score(run.cases(), baseline, null);
        line("| %s | %.3f ± %.3f %s | %.3f ± %.3f %s | %.3f (%+.3f %s) | %s |", label, our.getScore(),
                our.getScoreError(), our.getScoreUnit(), base.getScore(), base.getScoreError(), base.getScoreUnit(),
                base.getScore() / our.getScore(), our.getScore() - base.getScore(), our.getScoreUnit(), goal);
    }

    private void throughputRow(String label, String ours, String baseline, String goal) {
        Result<?> our = score(run.cases(), ours, null);
        Result<?> base = score(run.cases(), baseline, null);
        line("| %s | %.0f ± %.0f %s | %.0f ± %.0f %s | %.3f | %s |", label, our.getScore(), our.getScoreError(),
                our.getScoreUnit(), base.getScore(), base.getScoreError(), base.getScoreUnit(),
                our.getScore() / base.getScore(), goal);
    }

    private void line(String format, Object... arguments) {
        text.append(String.format(Locale.ROOT, format, arguments)).append('\n');
    }

    private static Result<?> score(Collection<RunResult> results, String benchmark, String extraNodes) {
        return results.stream()
                .filter(result -> result.getParams().getBenchmark().endsWith("." + benchmark))
                .filter(result -> extraNodes == null || extraNodes.equals(result.getParams().getParam("extraNodes")))
                .findFirst()
                .map(RunResult::getPrimaryResult)
                .orElseThrow(() -> new IllegalStateException("No result for " + benchmark));
    }

    /**
     * Everything one run measured.
     *
     * @param serverVersion the servers' version
     * @param pgbench a sentence on where pgbench came from, or why it did not run
     * @param rounds how many interleaved rounds
     * @param cases the single-run JMH cases
     * @param selectOne the interleaved {@code SELECT 1} cases
     * @param starts the start-up rounds, per app
     * @param footprints memory and connections per count of extra nodes, none first
     */
    record Run(String serverVersion, String pgbench, int rounds, Collection<RunResult> cases, RoundResults selectOne,
            Map<String, List<StartupRounds.Start>> starts, List<NodeFootprint.Footprint> footprints) {
    }
}
