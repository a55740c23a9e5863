package dev.piccolo.engine.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server program (etcd, Patroni) that runs in the background as the PostgreSQL servers' OS user,
 * its output appended to a log file, known by its own process id.
 *
 * <p>{@code runuser} forks, so the process the JVM starts is not the program's: a shell started under
 * {@code runuser} writes its own id ({@code $$}) to a file and then becomes the program with
 * {@code exec}, and that id is the one {@link #requestStop} and {@link #kill} signal.
 */
final class DaemonProcess {

    private static final Duration PID_FILE_WAIT = Duration.ofSeconds(10);

    /** Writes the shell's id to the file named by $0, then replaces the shell with the program ("$@"). */
    private static final String RECORD_PID_AND_EXEC = "echo $$ > \"$0\" && exec \"$@\"";

    private final String name;

    private final ProcessHandle handle;

    private final Path logFile;

    private DaemonProcess(String name, ProcessHandle handle, Path logFile) {
        this.name = name;
        this.handle = handle;
        this.logFile = logFile;
    }

    /**
     * Starts a program and waits until it has recorded its process id.
     *
     * @param name what the program is, for messages ({@code etcd}, {@code Patroni member1})
     * @param binaries how to run a program as the servers' OS user
     * @param command the program and its arguments
     * @param pidFile where the program's id is written, in a folder the servers' OS user may write to
     * @param logFile where its standard output and error are appended
     * @return the running program
     * @throws IllegalStateException when it does not start, with the end of its log
     */
    static DaemonProcess start(String name, PostgresBinaries binaries, List<String> command, Path pidFile,
            Path logFile) {
        List<String> line = new ArrayList<>(List.of("/bin/sh", "-c", RECORD_PID_AND_EXEC, pidFile.toString()));
        line.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(binaries.asServerUser(line))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        removeSettingsFromEnvironment(builder.environment());
        Process launcher;
        try {
            launcher = builder.start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot start " + name + " (" + command.get(0) + ")", ex);
        }
        long deadline = System.nanoTime() + PID_FILE_WAIT.toNanos();
        Optional<Long> pid = readPid(pidFile);
        while (pid.isEmpty()) {
            if (!launcher.isAlive() || System.nanoTime() > deadline) {
                launcher.destroyForcibly();
                throw new IllegalStateException(name + " did not start (" + String.join(" ", command)
                        + "); its log ends with:\n" + tail(logFile, 20));
            }
            Polling.pause(Duration.ofMillis(20));
            pid = readPid(pidFile);
        }
        ProcessHandle handle = ProcessHandle.of(pid.get()).orElseThrow(() -> new IllegalStateException(name
                + " exited at once; its log ends with:\n" + tail(logFile, 20)));
        return new DaemonProcess(name, handle, logFile);
    }

    /**
     * Drops variables that etcd ({@code ETCD_*}), Patroni ({@code PATRONI_*}), its Python
     * ({@code PYTHON*}) and libpq ({@code PG*}) would read as settings, so that a developer's shell does
     * not change the test cluster.
     */
    static void removeSettingsFromEnvironment(Map<String, String> environment) {
        environment.keySet().removeIf(variable -> variable.startsWith("ETCD_") || variable.startsWith("ETCDCTL_")
                || variable.startsWith("PATRONI_") || variable.startsWith("PYTHON") || variable.startsWith("PG"));
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            String content = Files.readString(pidFile, StandardCharsets.UTF_8).strip();
            // The shell may not have finished writing the line yet.
            return content.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(content));
        }
        catch (IOException | NumberFormatException ex) {
            return Optional.empty();
        }
    }

    /**
     * Returns the program's own process id.
     *
     * @return the id recorded at start
     */
    long pid() {
        return handle.pid();
    }

    /**
     * Returns whether the program still runs.
     *
     * @return {@code true} while its process is alive
     */
    boolean isAlive() {
        return handle.isAlive();
    }

    /** Asks the program to stop (SIGTERM) and returns at once; see {@link #awaitExit}. */
    void requestStop() {
        handle.destroy();
    }

    /** Kills the program (SIGKILL) and waits a moment for it to go. */
    void kill() {
        handle.destroyForcibly();
        awaitExit(Duration.ofSeconds(5));
    }

    /**
     * Waits until the program has exited.
     *
     * @param timeout how long to wait at most
     * @return {@code true} when it has exited
     */
    boolean awaitExit(Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        }
        catch (TimeoutException ex) {
            return false;
        }
        catch (ExecutionException ex) {
            throw new IllegalStateException("Cannot wait for " + name + " to exit", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + name + " to exit", ex);
        }
    }

    /**
     * Returns the last lines of the program's log.
     *
     * @param lines how many lines at most
     * @return those lines, or a note that there is no log
     */
    String logTail(int lines) {
        return tail(logFile, lines);
    }

    /**
     * Returns whether the program's log contains {@code text} in any letter case, e.g. a message that
     * its port was taken.
     *
     * @param lowerCaseText the text to look for, in lower case
     * @return {@code true} when the log contains it
     */
    boolean logContains(String lowerCaseText) {
        return read(logFile).map(log -> log.toLowerCase(Locale.ROOT).contains(lowerCaseText)).orElse(false);
    }

    private static String tail(Path file, int lines) {
        return read(file).map(log -> {
            List<String> all = log.lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }).orElse("(no log at " + file + ")");
    }

    /** Decoded leniently: a log may end in the middle of a character that is still being written. */
    private static Optional<String> read(Path file) {
        try {
            return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        }
        catch (IOException ex) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + handle.pid() + ")";
    }
}
