package dev.piccolo.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.piccolo.engine.test.ClusterNode;
import dev.piccolo.engine.test.PostgresCluster;

/**
 * PostgreSQL's own C client, {@code pgbench}, running the benchmarks' statements against the replica:
 * the physical floor the Java cases are compared with. Connection set-up is left out of its figure
 * ("without initial connection time"), as a pool leaves it out of theirs.
 */
final class Pgbench {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private final Path program;

    private final ClusterNode replica;

    private final Map<Script, Path> scripts;

    private Pgbench(Path program, ClusterNode replica, Map<Script, Path> scripts) {
        this.program = program;
        this.replica = replica;
        this.scripts = scripts;
    }

    /** What a pgbench client runs in a loop: the statements of the Java cases, a random id drawn as theirs is. */
    enum Script {

        /** {@code SELECT 1}. */
        SELECT_ONE("SELECT 1;\n"),

        /** {@value BenchmarkCluster#FIND_NAME}. */
        PRIMARY_KEY_LOOKUP(withRandomId(BenchmarkCluster.FIND_NAME)),

        /** {@value BenchmarkCluster#FIND_NAME_AND_STOCK}. */
        JOIN(withRandomId(BenchmarkCluster.FIND_NAME_AND_STOCK));

        private final String text;

        Script(String text) {
            this.text = text;
        }

        private static String withRandomId(String statement) {
            return "\\set id random(1, " + BenchmarkCluster.ITEMS + ")\n" + statement.replace("?", ":id") + ";\n";
        }
    }

    /**
     * Finds {@code pgbench} in the installation the cluster's servers run from.
     *
     * @return it, ready to run its scripts on read_replica_1, or empty when the installation has none
     */
    static Optional<Pgbench> locate(PostgresCluster cluster) {
        return cluster.clientProgram("pgbench").map(program -> {
            Map<Script, Path> scripts = new EnumMap<>(Script.class);
            for (Script script : Script.values()) {
                try {
                    Path file = Files.createTempFile("pgbench-" + script.name().toLowerCase(Locale.ROOT) + "-", ".sql");
                    file.toFile().deleteOnExit();
                    Files.writeString(file, script.text);
                    scripts.put(script, file);
                }
                catch (IOException ex) {
                    throw new UncheckedIOException("Cannot write pgbench's script", ex);
                }
            }
            return new Pgbench(program, cluster.replica(1), scripts);
        });
    }

    /**
     * Runs {@code script} on the replica from {@code clients} connections, one thread each.
     *
     * @param script what each client runs
     * @param protocol {@code extended} (parse, bind, execute each time) or {@code prepared} (parsed once)
     * @param clients connections and threads
     * @param duration how long
     * @return transactions per second, connection set-up excluded
     */
    double transactionsPerSecond(Script script, String protocol, int clients, Duration duration) {
        List<String> command = List.of(program.toString(), "--no-vacuum", "--file=" + scripts.get(script),
                "--protocol=" + protocol, "--client=" + clients, "--jobs=" + clients,
                "--time=" + duration.toSeconds(), "--host=" + replica.host(), "--port=" + replica.port(),
                "--username=" + replica.user(), replica.database());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", replica.password());
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher tps = TPS.matcher(output);
            if (process.waitFor() != 0 || !tps.find()) {
                throw new IllegalStateException("pgbench failed (exit " + process.exitValue() + "): " + output.strip());
            }
            return Double.parseDouble(tps.group(1));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot run " + program, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while pgbench ran", ex);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s against %s:%d", program, replica.host(), replica.port());
    }
}
