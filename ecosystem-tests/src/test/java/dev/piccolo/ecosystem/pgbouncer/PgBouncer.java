package dev.piccolo.ecosystem.pgbouncer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import dev.piccolo.engine.test.ClusterNode;

import static org.awaitility.Awaitility.await;

/**
 * A pgbouncer in transaction pooling mode in front of one node, on a free loopback port, run as the
 * {@code postgres} OS user when the JVM is root (pgbouncer refuses to run as root).
 */
final class PgBouncer implements AutoCloseable {

    private static final List<Path> LOCATIONS = List.of(Path.of("/usr/sbin/pgbouncer"), Path.of("/usr/bin/pgbouncer"),
            Path.of("/usr/local/bin/pgbouncer"));

    private final Path folder;

    private final Process process;

    private final int port;

    private PgBouncer(Path folder, Process process, int port) {
        this.folder = folder;
        this.process = process;
        this.port = port;
    }

    static Optional<Path> binary() {
        return LOCATIONS.stream().filter(Files::isExecutable).findFirst();
    }

    static PgBouncer start(Path binary, ClusterNode server) throws IOException {
        Path folder = Files.createTempDirectory("piccolo-pgbouncer-");
        int port = freePort();
        Files.writeString(folder.resolve("userlist.txt"), "\"" + server.user() + "\" \"" + server.password() + "\"\n");
        Files.writeString(folder.resolve("pgbouncer.ini"), String.join("\n",
                "[databases]",
                server.database() + " = host=" + server.host() + " port=" + server.port() + " dbname=" + server.database(),
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = scram-sha-256",
                "auth_file = " + folder.resolve("userlist.txt"),
                "pool_mode = transaction",
                "default_pool_size = 3",
                "ignore_startup_parameters = extra_float_digits",
                "logfile = " + folder.resolve("pgbouncer.log"),
                ""));
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> command = new ArrayList<>();
        if (root) {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.toList()) {
                    Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService()
                            .lookupPrincipalByName("postgres"));
                }
            }
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(binary.toString());
        command.add(folder.resolve("pgbouncer.ini").toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(folder.resolve("stdout.log").toFile()).start();
        PgBouncer bouncer = new PgBouncer(folder, process, port);
        bouncer.awaitListening(Duration.ofSeconds(10));
        return bouncer;
    }

    int port() {
        return port;
    }

    private void awaitListening(Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(this::listening);
    }

    private boolean listening() throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException("pgbouncer exited: " + Files.readString(folder.resolve("stdout.log")));
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        }
        catch (IOException notYet) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        process.waitFor();
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
