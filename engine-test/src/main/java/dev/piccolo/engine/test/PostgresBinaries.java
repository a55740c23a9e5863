package dev.piccolo.engine.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The PostgreSQL server programs of this machine ({@code initdb}, {@code pg_ctl},
 * {@code pg_basebackup}), and how to run them.
 *
 * <p>PostgreSQL refuses to run as root, so when the JVM runs as root every program is run as the
 * {@code postgres} OS user through {@code runuser}.
 */
final class PostgresBinaries {

    static final String SERVER_OS_USER = "postgres";

    private static final Path DEBIAN_INSTALLS = Path.of("/usr/lib/postgresql");

    private static final long COMMAND_TIMEOUT_SECONDS = 120;

    private final Path binDirectory;

    private final boolean runAsServerUser;

    private PostgresBinaries(Path binDirectory, boolean runAsServerUser) {
        this.binDirectory = binDirectory;
        this.runAsServerUser = runAsServerUser;
    }

    /**
     * Finds the server programs: {@code pg_config --bindir} first, then {@code PATH}, then the newest
     * {@code /usr/lib/postgresql/<version>/bin}.
     *
     * @return the programs, or empty when this machine has no PostgreSQL server installed
     */
    static Optional<PostgresBinaries> locate() {
        boolean root = "root".equals(System.getProperty("user.name"));
        return candidateDirectories().stream()
                .filter(directory -> Files.isExecutable(directory.resolve("initdb")))
                .findFirst()
                .map(directory -> new PostgresBinaries(directory, root));
    }

    private static List<Path> candidateDirectories() {
        List<Path> candidates = new ArrayList<>();
        pgConfigBinDirectory().ifPresent(candidates::add);
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(java.io.File.pathSeparator)) {
                if (!entry.isBlank()) {
                    candidates.add(Path.of(entry));
                }
            }
        }
        candidates.addAll(debianInstallsNewestFirst());
        return candidates;
    }

    private static Optional<Path> pgConfigBinDirectory() {
        try {
            Process process = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor() == 0 && !output.isEmpty() ? Optional.of(Path.of(output)) : Optional.empty();
        }
        catch (IOException ex) {
            return Optional.empty();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static List<Path> debianInstallsNewestFirst() {
        if (!Files.isDirectory(DEBIAN_INSTALLS)) {
            return List.of();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_INSTALLS)) {
            return versions.filter(version -> version.getFileName().toString().matches("\\d+"))
                    .sorted(Comparator.comparingInt((Path version) -> Integer.parseInt(version.getFileName().toString()))
                            .reversed())
                    .map(version -> version.resolve("bin"))
                    .toList();
        }
        catch (IOException ex) {
            return List.of();
        }
    }

    Path binDirectory() {
        return binDirectory;
    }

    /**
     * Makes {@code directory} owned by the OS user the servers run as, when that is not this JVM's.
     *
     * @param directory a directory this JVM created
     */
    void handOver(Path directory) {
        if (!runAsServerUser) {
            return;
        }
        try {
            Files.setOwner(directory, directory.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(SERVER_OS_USER));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot hand " + directory + " over to the '" + SERVER_OS_USER
                    + "' OS user that PostgreSQL must run as (the JVM runs as root)", ex);
        }
    }

    /**
     * Runs one server program and waits for it.
     *
     * @param environment extra environment variables (e.g. {@code PGPASSWORD})
     * @param program the program's name in the bin directory
     * @param arguments its arguments
     * @throws IllegalStateException when it fails, with its output
     */
    void run(Map<String, String> environment, String program, String... arguments) {
        execute(environment, binDirectory.resolve(program).toString(), arguments);
    }

    /**
     * Runs a program found on {@code PATH} (such as {@code openssl}) as the servers' OS user, so that
     * the files it writes belong to the servers.
     *
     * @param program the program's name
     * @param arguments its arguments
     * @throws IllegalStateException when it fails, with its output
     */
    void runSystemProgram(String program, String... arguments) {
        execute(Map.of(), program, arguments);
    }

    /**
     * Returns a command line that runs {@code command} as the servers' OS user: prefixed with
     * {@code runuser} when the JVM runs as root, unchanged otherwise. {@code runuser} forks, so the
     * process started from it is not the program's own.
     *
     * @param command the program and its arguments
     * @return the command line to start
     */
    List<String> asServerUser(List<String> command) {
        List<String> line = new ArrayList<>();
        if (runAsServerUser) {
            line.addAll(List.of("runuser", "-u", SERVER_OS_USER, "--"));
        }
        line.addAll(command);
        return line;
    }

    private void execute(Map<String, String> environment, String program, String... arguments) {
        List<String> programAndArguments = new ArrayList<>();
        programAndArguments.add(program);
        programAndArguments.addAll(List.of(arguments));
        List<String> command = asServerUser(programAndArguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            // pg_ctl's server inherits no stdout of ours (it logs to a file), so reading to the end terminates.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(program + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(program + " failed with exit code " + process.exitValue() + ": "
                        + output.strip());
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot run " + command, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + program, ex);
        }
    }
}
