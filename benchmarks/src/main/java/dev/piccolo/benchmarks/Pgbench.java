package dev.piccolo.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.piccolo.engine.test.ClusterNode;
import dev.piccolo.engine.test.PostgresCluster;

/**
 * PostgreSQL's own C client, {@code pgbench}, running the benchmarks' statement against the replica:
 * the physical floor the Java cases are compared with. Connection set-up is left out of its figure
 * ("without initial connection time"), as a pool leaves it out of theirs.
 */
final class Pgbench {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private final Path program;

    private final ClusterNode replica;

    private final Path script;

    private Pgbench(Path program, ClusterNode replica, Path script) {
        this.program = program;
        this.replica = replica;
        this.script = script;
    }

    /**
     * Finds {@code pgbench} in the installation the cluster's servers run from.
     *
     * @return it, ready to run {@code SELECT 1} on read_replica_1, or empty when the installation has none
     */
    static Optional<Pgbench> locate(PostgresCluster cluster) {
        return cluster.clientProgram("pgbench").map(program -> {
            try {
                Path script = Files.createTempFile("pgbench-select-one-", ".sql");
                script.toFile().deleteOnExit();
                Files.writeString(script, "SELECT 1;\n");
                return new Pgbench(program, cluster.replica(1), script);
            }
            catch (IOException ex) {
                throw new UncheckedIOException("Cannot write pgbench's script", ex);
            }
        });
    }

    /**
     * Runs {@code SELECT 1} on the replica from {@code clients} connections, one thread each.
     *
     * @param protocol {@code extended} (parse, bind, execute each time) or {@code prepared} (parsed once)
     * @param clients connections and threads
     * @param duration how long
     * @return transactions per second, connection set-up excluded
     */
    double transactionsPerSecond(String protocol, int clients, Duration duration) {
        List<String> command = List.of(program.toString(), "--no-vacuum", "--file=" + script,
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
