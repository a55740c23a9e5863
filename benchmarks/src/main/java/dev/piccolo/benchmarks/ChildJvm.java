package dev.piccolo.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A main class run in a JVM of its own, with this JVM's class path, reporting back through lines on its
 * standard output that start with {@value #PREFIX}; each report carries the time it arrived, counted
 * from just before the JVM was launched.
 */
final class ChildJvm {

    static final String PREFIX = "piccolo-bench ";

    /** Ends the child's output; the reader thread's last word. */
    private static final Report END = new Report("", -1);

    private static final int KEPT_OUTPUT_LINES = 40;

    private ChildJvm() {
    }

    /**
     * Reports a line to the JVM that launched this one.
     *
     * @param text what to report
     */
    static void report(String text) {
        System.out.println(PREFIX + text);
        System.out.flush();
    }

    /**
     * Runs {@code main} to its end.
     *
     * @param jvmArguments options of the new JVM, e.g. system properties
     * @param main the class whose {@code main} runs
     * @param arguments its arguments
     * @param timeout how long it may take
     * @return its reports, in order
     * @throws IllegalStateException when it fails or takes longer, with the end of its output
     */
    static List<Report> run(List<String> jvmArguments, Class<?> main, List<String> arguments, Duration timeout)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmArguments);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(arguments);
        long launched = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BlockingQueue<Report> reports = new LinkedBlockingQueue<>();
        Deque<String> output = new ArrayDeque<>();
        Thread reader = new Thread(() -> read(process, launched, reports, output), "child-jvm-output");
        reader.setDaemon(true);
        reader.start();
        List<Report> received = new ArrayList<>();
        long deadline = launched + timeout.toNanos();
        Report report = reports.poll(remaining(deadline), TimeUnit.NANOSECONDS);
        while (report != null && report != END) {
            received.add(report);
            report = reports.poll(remaining(deadline), TimeUnit.NANOSECONDS);
        }
        if (report == null || !process.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(main.getSimpleName() + " took longer than " + timeout + "; its output "
                    + "ended with:\n" + ending(output));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(main.getSimpleName() + " failed with exit code " + process.exitValue()
                    + "; its output ended with:\n" + ending(output));
        }
        return received;
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static void read(Process process, long launched, BlockingQueue<Report> reports, Deque<String> output) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                double millis = (System.nanoTime() - launched) / 1e6;
                if (line.startsWith(PREFIX)) {
                    reports.add(new Report(line.substring(PREFIX.length()), millis));
                }
                synchronized (output) {
                    output.addLast(line);
                    if (output.size() > KEPT_OUTPUT_LINES) {
                        output.removeFirst();
                    }
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        finally {
            reports.add(END);
        }
    }

    private static String ending(Deque<String> output) {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /**
     * One report of the child.
     *
     * @param text what it reported, without the prefix
     * @param millis when it arrived, in milliseconds since just before the launch
     */
    record Report(String text, double millis) {
    }
}
