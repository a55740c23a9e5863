package dev.piccolo.engine.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Ctrl-C while a cluster starts (the slow first start is exactly when newcomers press it) stops every
 * server that already runs and deletes the cluster's files: a JVM is started on a cluster of three
 * nodes and sent SIGINT as soon as its primary runs, while the replicas are still being copied.
 */
class ClusterCleanupOnExitTests {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void ctrlCDuringStartStopsTheServersAndDeletesTheFiles(@TempDir Path temp) throws Exception {
        assumeTrue(ProcessHandle.current().info().command().isPresent(), "the java command is known");
        assumeTrue("local".equals(System.getProperty(ClusterBackends.PROVIDER_PROPERTY, "local"))
                && !Files.exists(Path.of("/var/run/docker.sock")), "the cluster runs on local binaries");
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Process starter = new ProcessBuilder(ProcessHandle.current().info().command().get(),
                "-Djava.io.tmpdir=" + temp, "-cp", System.getProperty("java.class.path"),
                ClusterStarter.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(temp.resolve("starter.log").toFile())
                .start();
        try {
            long primaryPid = awaitPrimaryPid(temp, starter);
            new ProcessBuilder("kill", "-INT", Long.toString(starter.pid())).start().waitFor();

            assertThat(starter.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the JVM exits").isTrue();
            assertThat(ProcessHandle.of(primaryPid).map(ProcessHandle::isAlive)).as("the primary's server process")
                    .isIn(Optional.empty(), Optional.of(false));
            assertThat(clusterDirectories(temp)).as("cluster directories left in " + temp).isEmpty();
        }
        finally {
            starter.destroyForcibly();
        }
    }

    /** The primary's server process id, once the starting JVM has its primary running. */
    private static long awaitPrimaryPid(Path temp, Process starter) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .failFast("the starting JVM exited; see " + temp.resolve("starter.log"), () -> !starter.isAlive())
                .until(() -> primaryPid(temp), Optional::isPresent)
                .orElseThrow();
    }

    private static Optional<Long> primaryPid(Path temp) throws IOException {
        for (Path cluster : clusterDirectories(temp)) {
            Path pidFile = cluster.resolve(ClusterNode.PRIMARY).resolve("postmaster.pid");
            List<String> lines = Files.exists(pidFile) ? Files.readAllLines(pidFile) : List.of();
            if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                return Optional.of(Long.parseLong(lines.get(0).strip()));
            }
        }
        return Optional.empty();
    }

    private static List<Path> clusterDirectories(Path temp) throws IOException {
        try (Stream<Path> entries = Files.list(temp)) {
            return entries.filter(path -> path.getFileName().toString().startsWith("piccolo-cluster-")).toList();
        }
    }

    /** Starts a cluster with two replicas and waits to be interrupted. */
    static final class ClusterStarter {

        public static void main(String[] args) throws InterruptedException {
            PostgresCluster.start(2);
            new CountDownLatch(1).await();
        }
    }
}
