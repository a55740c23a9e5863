package dev.piccolo.engine.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.testcontainers.DockerClientFactory;

/**
 * Chooses how a cluster runs: Testcontainers when a Docker daemon answers, this machine's
 * PostgreSQL binaries otherwise.
 *
 * <p>The system property or environment variable {@value #PROVIDER_PROPERTY} ({@code docker} or
 * {@code local}) forces a choice.
 */
final class ClusterBackends {

    /** System property (or, upper-cased with underscores, environment variable) that forces a provider. */
    static final String PROVIDER_PROPERTY = "piccolo.cluster.provider";

    private ClusterBackends() {
    }

    static ClusterBackend choose() {
        String forced = System.getProperty(PROVIDER_PROPERTY, System.getenv("PICCOLO_CLUSTER_PROVIDER"));
        if (forced != null) {
            return switch (forced.toLowerCase(Locale.ROOT)) {
                case "docker" -> new ContainerBackend();
                case "local" -> localBinaries();
                default -> throw new IllegalArgumentException(PROVIDER_PROPERTY + " must be 'docker' or 'local', not '"
                        + forced + "'");
            };
        }
        if (dockerMayBeAvailable() && DockerClientFactory.instance().isDockerAvailable()) {
            return new ContainerBackend();
        }
        return localBinaries();
    }

    /**
     * Whether any sign of Docker exists. Testcontainers logs an error when it finds no Docker, so it is
     * only asked where a socket, {@code DOCKER_HOST} or its own configuration file points to one.
     */
    private static boolean dockerMayBeAvailable() {
        Path home = Path.of(System.getProperty("user.home"));
        return System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(home.resolve(".docker/run/docker.sock"))
                || Files.exists(home.resolve(".testcontainers.properties"));
    }

    private static ClusterBackend localBinaries() {
        return PostgresBinaries.locate().<ClusterBackend>map(LocalBinariesBackend::new).orElseThrow(() ->
                new IllegalStateException("Cannot start a PostgreSQL test cluster: no Docker daemon answers and no "
                        + "PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) were found through "
                        + "'pg_config --bindir', PATH or /usr/lib/postgresql/*/bin. Install Docker, or PostgreSQL "
                        + "15 or newer (Debian/Ubuntu: 'apt-get install postgresql', macOS: 'brew install "
                        + "postgresql')."));
    }
}
