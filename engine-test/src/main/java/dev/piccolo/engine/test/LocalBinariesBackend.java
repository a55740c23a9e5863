package dev.piccolo.engine.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the cluster with this machine's PostgreSQL binaries: {@code initdb} for the primary,
 * {@code pg_basebackup -R} for each replica, {@code pg_ctl} to start and stop them, all in one
 * temporary folder that {@link #close()} deletes.
 *
 * <p>The servers listen on 127.0.0.1 only, on free ports, with password authentication
 * (scram-sha-256), and trade durability for speed ({@code fsync=off}): they are for tests.
 */
final class LocalBinariesBackend implements ClusterBackend {

    private static final Logger logger = LoggerFactory.getLogger(LocalBinariesBackend.class);

    private static final int PG_CTL_WAIT_SECONDS = 60;

    private final PostgresBinaries binaries;

    /** Written by the starting thread, read by a shutdown hook that may run while it starts. */
    private final Map<String, Path> dataDirectories = new ConcurrentHashMap<>();

    private volatile Path baseDirectory;

    /** Set by {@link #close()}, which may run in a shutdown hook while the cluster starts. */
    private boolean closed;

    private ClusterCredentials credentials;

    LocalBinariesBackend(PostgresBinaries binaries) {
        this.binaries = binaries;
    }

    @Override
    public Optional<Path> filesDirectory() {
        return Optional.ofNullable(baseDirectory);
    }

    @Override
    public List<ClusterNode> startCluster(int replicas, ClusterCredentials credentials) {
        this.credentials = credentials;
        try {
            List<ClusterNode> nodes = new ArrayList<>();
            ClusterNode primary = step(() -> {
                this.baseDirectory = Files.createTempDirectory("piccolo-cluster-");
                binaries.handOver(this.baseDirectory);
                return startPrimary();
            });
            nodes.add(primary);
            for (int index = 1; index <= replicas; index++) {
                String name = ClusterNode.replicaName(index);
                nodes.add(step(() -> startReplica(name, primary)));
            }
            return nodes;
        }
        catch (IOException ex) {
            close();
            throw new UncheckedIOException("Cannot create the cluster's files", ex);
        }
        catch (RuntimeException ex) {
            close();
            throw ex;
        }
    }

    /**
     * Runs one step of the start while {@link #close()} waits, so a shutdown hook never deletes files a
     * step is still writing, and no step starts once the cluster is closed.
     */
    private synchronized ClusterNode step(StartStep step) throws IOException {
        if (closed) {
            throw new IllegalStateException("The cluster was closed while it started (the JVM is exiting)");
        }
        return step.run();
    }

    /** One step of the cluster's start. */
    @FunctionalInterface
    private interface StartStep {

        ClusterNode run() throws IOException;
    }

    private ClusterNode startPrimary() throws IOException {
        Path dataDirectory = baseDirectory.resolve(ClusterNode.PRIMARY);
        Path passwordFile = writeServerReadableFile("superuser-password", credentials.password());
        binaries.run(Map.of(), "initdb", "--pgdata=" + dataDirectory, "--username=" + credentials.user(),
                "--pwfile=" + passwordFile, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync");
        Files.delete(passwordFile);
        int port = LoopbackPorts.free();
        append(dataDirectory.resolve("postgresql.conf"), serverSettings(port));
        dataDirectories.put(ClusterNode.PRIMARY, dataDirectory);
        start(ClusterNode.PRIMARY);
        createTestDatabase(port);
        return node(ClusterNode.PRIMARY, port);
    }

    private ClusterNode startReplica(String name, ClusterNode primary) {
        Path dataDirectory = baseDirectory.resolve(name);
        binaries.run(Map.of("PGPASSWORD", credentials.password()), "pg_basebackup", "--pgdata=" + dataDirectory,
                "--host=" + LoopbackPorts.LOOPBACK, "--port=" + primary.port(), "--username=" + credentials.user(),
                "--write-recovery-conf", "--checkpoint=fast", "--wal-method=stream", "--no-sync");
        int port = LoopbackPorts.free();
        // Later lines of postgresql.auto.conf win: this replica's own port, and a conninfo that names it.
        append(dataDirectory.resolve("postgresql.auto.conf"), "port = " + port + "\n"
                + "primary_conninfo = 'host=" + LoopbackPorts.LOOPBACK + " port=" + primary.port() + " user=" + credentials.user()
                + " password=" + credentials.password() + " application_name=" + name + "'\n");
        dataDirectories.put(name, dataDirectory);
        start(name);
        return node(name, port);
    }

    private String serverSettings(int port) {
        return String.join("\n",
                "listen_addresses = '" + LoopbackPorts.LOOPBACK + "'",
                "port = " + port,
                "unix_socket_directories = '" + baseDirectory + "'",
                "max_connections = 300",
                "shared_buffers = 32MB",
                "fsync = off",
                "full_page_writes = off",
                "wal_level = replica",
                "max_wal_senders = 10",
                "wal_keep_size = 128MB",
                "hot_standby = on",
                "hot_standby_feedback = on",
                "logging_collector = off",
                "");
    }

    private void createTestDatabase(int port) {
        Properties login = new Properties();
        login.setProperty("user", credentials.user());
        login.setProperty("password", credentials.password());
        String url = "jdbc:postgresql://" + LoopbackPorts.LOOPBACK + ":" + port + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, login);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE \"" + credentials.database() + "\"");
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot create database '" + credentials.database() + "' on the primary", ex);
        }
    }

    private ClusterNode node(String name, int port) {
        return new ClusterNode(name, LoopbackPorts.LOOPBACK, port, credentials.database(), credentials.user(), credentials.password());
    }

    @Override
    public void stop(String node) {
        binaries.run(Map.of(), "pg_ctl", "stop", "--pgdata=" + dataDirectory(node), "--mode=fast", "--wait",
                "--timeout=" + PG_CTL_WAIT_SECONDS);
    }

    @Override
    public void start(String node) {
        Path dataDirectory = dataDirectory(node);
        Path logFile = baseDirectory.resolve(node + ".log");
        try {
            binaries.run(Map.of(), "pg_ctl", "start", "--pgdata=" + dataDirectory, "--log=" + logFile, "--wait",
                    "--timeout=" + PG_CTL_WAIT_SECONDS);
        }
        catch (IllegalStateException ex) {
            throw new IllegalStateException("PostgreSQL node '" + node + "' did not start; its log ends with:\n"
                    + tail(logFile), ex);
        }
    }

    @Override
    public Optional<Path> clientProgram(String program) {
        Path path = binaries.binDirectory().resolve(program);
        return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }

    @Override
    public String createSelfSignedCertificate(String node) {
        Path folder = dataDirectory(node);
        binaries.runSystemProgram("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-keyout", folder.resolve("server.key").toString(), "-out",
                folder.resolve("server.crt").toString());
        try {
            Files.setPosixFilePermissions(folder.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot protect the key of " + node, ex);
        }
        return folder.toString();
    }

    private Path dataDirectory(String node) {
        Path dataDirectory = dataDirectories.get(node);
        if (dataDirectory == null) {
            throw new IllegalArgumentException("No node '" + node + "' in this cluster; nodes: " + dataDirectories.keySet());
        }
        return dataDirectory;
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (String node : List.copyOf(dataDirectories.keySet())) {
            if (Files.exists(dataDirectories.get(node).resolve("postmaster.pid"))) {
                try {
                    stop(node);
                }
                catch (RuntimeException ex) {
                    logger.warn("Could not stop PostgreSQL node '{}'", node, ex);
                }
            }
        }
        dataDirectories.clear();
        if (baseDirectory != null) {
            deleteRecursively(baseDirectory);
            baseDirectory = null;
        }
    }

    private Path writeServerReadableFile(String name, String content) throws IOException {
        Path file = baseDirectory.resolve(name);
        Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        binaries.handOver(file);
        return file;
    }

    private static void append(Path file, String text) {
        // The file keeps its owner (the server's OS user): appending does not change ownership.
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot write " + file, ex);
        }
    }


    private static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        }
        catch (IOException ex) {
            return "(no log at " + logFile + ")";
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException ex) {
            logger.warn("Could not delete {}", directory, ex);
        }
    }
}
