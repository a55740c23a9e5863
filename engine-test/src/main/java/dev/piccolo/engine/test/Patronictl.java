package dev.piccolo.engine.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code patronictl} against a {@link PatroniCluster} and returns what it printed.
 *
 * <p>patronictl exits with 0 when Patroni refuses a request it could send (a switchover to a member
 * that is not fit, for one): callers read the output for the sentence that says it worked.
 */
final class Patronictl {

    static final Path PROGRAM = Path.of("/usr/bin/patronictl");

    private static final long TIMEOUT_SECONDS = 90;

    private Patronictl() {
    }

    /**
     * Runs one command and waits for it.
     *
     * @param configFile a member's Patroni configuration (any member's: they share etcd and scope)
     * @param arguments the command and its options, e.g. {@code pause --wait}
     * @return its standard output and error
     * @throws IllegalStateException when it exits with another code than 0 or runs longer than 90 s,
     * with its output
     */
    static String run(Path configFile, String... arguments) {
        List<String> command = new ArrayList<>(List.of(PROGRAM.toString(), "-c", configFile.toString()));
        command.addAll(List.of(arguments));
        String shown = "patronictl " + String.join(" ", arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        DaemonProcess.removeSettingsFromEnvironment(builder.environment());
        try {
            Process process = builder.start();
            // patronictl starts no process that keeps its output open, so reading to the end terminates.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(shown + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(shown + " failed with exit code " + process.exitValue() + ":\n"
                        + output.strip());
            }
            return output;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot run " + command, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + shown, ex);
        }
    }
}
