package dev.piccolo.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.piccolo.benchmarks.jpa.JpaApplication;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.sample.SampleApplication;

/**
 * Start-up, measured from just before a JVM is launched to the application's {@code ApplicationReadyEvent}:
 * the sample app on the engine, and a Spring MVC + Data JPA app on the engine and on Boot's own DataSource,
 * in interleaved rounds against the same servers. Each start also counts the physical connections the
 * servers accepted until then, which for the engine is the unpooled phase.
 */
final class StartupRounds {

    static final String SAMPLE = "sample app, engine";

    static final String JPA_ENGINE = "JPA app, engine";

    static final String JPA_BOOT = "JPA app, Boot's DataSource";

    /** The sample's own database: its Flyway migration wants an empty schema to begin with. */
    static final String SAMPLE_DATABASE = "piccolo_sample";

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final List<String> jvmArguments;

    private final Map<String, List<String>> apps = new LinkedHashMap<>();

    StartupRounds(List<String> jvmArguments) {
        this.jvmArguments = jvmArguments;
        List<String> sample = application(SampleApplication.class,
                SpringApplications.DYNAMIC_DATASOURCE_AUTO_CONFIGURATIONS + "," + SpringApplications.JPA_AUTO_CONFIGURATIONS);
        sample.addAll(BenchmarkCluster.nodeProperties(SAMPLE_DATABASE));
        apps.put(SAMPLE, sample);
        List<String> jpaEngine = jpaApplication();
        jpaEngine.addAll(BenchmarkCluster.nodeProperties(BenchmarkCluster.database()));
        apps.put(JPA_ENGINE, jpaEngine);
        List<String> jpaBoot = jpaApplication();
        jpaBoot.add("--piccolo.db.enabled=false");
        jpaBoot.addAll(BenchmarkCluster.bootDataSourceProperties());
        apps.put(JPA_BOOT, jpaBoot);
    }

    private static List<String> application(Class<?> type, String excludedAutoConfigurations) {
        List<String> arguments = new ArrayList<>();
        arguments.add(type.getName());
        arguments.add("--server.port=0");
        arguments.add("--spring.autoconfigure.exclude=" + excludedAutoConfigurations);
        return arguments;
    }

    private static List<String> jpaApplication() {
        List<String> arguments = application(JpaApplication.class,
                SpringApplications.DYNAMIC_DATASOURCE_AUTO_CONFIGURATIONS);
        arguments.addAll(SpringApplications.apartFromTheSample());
        return arguments;
    }

    /**
     * Starts every app once untimed (file cache, the sample's first migration), then {@code rounds} times each.
     *
     * @return per app, its starts in round order
     */
    Map<String, List<Start>> run(int rounds) throws IOException, InterruptedException {
        for (List<String> arguments : apps.values()) {
            start(arguments);
        }
        Map<String, List<Start>> starts = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (String app : InterleavedRounds.order(round, List.copyOf(apps.keySet()))) {
                Start start = start(apps.get(app));
                starts.computeIfAbsent(app, name -> new ArrayList<>()).add(start);
                System.out.printf(Locale.ROOT, "start-up round %d/%d: %-28s ready after %6.0f ms, %2d connection(s)%n",
                        round + 1, rounds, app, start.readyMillis(), start.connectionsBeforeReady());
            }
        }
        return starts;
    }

    private Start start(List<String> arguments) throws IOException, InterruptedException {
        long primaryBefore = BenchmarkCluster.sessions(PostgresEngine.PRIMARY);
        long replicaBefore = BenchmarkCluster.sessions("read_replica_1");
        List<ChildJvm.Report> reports = ChildJvm.run(jvmArguments, StartupTimer.class, arguments, START_TIMEOUT);
        String[] sessions = report(reports, "sessions").text().split(" ");
        // Each count includes the connection that asked for it, here and in the child.
        long opened = Long.parseLong(sessions[1]) - primaryBefore - 1 + Long.parseLong(sessions[2]) - replicaBefore - 1;
        return new Start(report(reports, "ready").millis(), report(reports, "running").millis(), (int) opened);
    }

    private static ChildJvm.Report report(List<ChildJvm.Report> reports, String word) {
        return reports.stream()
                .filter(report -> report.text().split(" ")[0].equals(word))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("The application did not report '" + word + "': " + reports));
    }

    /**
     * One start.
     *
     * @param readyMillis from just before the JVM launched to {@code ApplicationReadyEvent}
     * @param runningMillis to {@code SpringApplication.run} returning, the engine's pools open
     * @param connectionsBeforeReady physical connections the servers accepted until the event
     */
    record Start(double readyMillis, double runningMillis, int connectionsBeforeReady) {
    }
}
