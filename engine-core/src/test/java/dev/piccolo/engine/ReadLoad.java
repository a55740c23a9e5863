package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Threads that read through the routing {@code DataSource} until stopped, each read bound to a name and
 * answered with the address and port of the server that ran it, as a user's service would see it. Records
 * every server that answered per name, the reads each server took, and every failed read.
 */
final class ReadLoad implements AutoCloseable {

    private static final String SERVER = "SELECT host(inet_server_addr()) || ':' || inet_server_port()";

    private final PostgresEngine engine;

    private final ExecutorService threads;

    private final IntFunction<String> nameOfThread;

    private volatile boolean running = true;

    private final AtomicLong reads = new AtomicLong();

    private final Map<String, AtomicLong> readsByServer = new ConcurrentHashMap<>();

    private final Map<String, Set<String>> serversByName = new ConcurrentHashMap<>();

    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    /**
     * Starts the load.
     *
     * @param engine the engine whose data source is read through
     * @param threads how many threads read
     * @param nameOfThread the node or group thread {@code i} binds its reads to
     */
    ReadLoad(PostgresEngine engine, int threads, IntFunction<String> nameOfThread) {
        this.engine = engine;
        this.nameOfThread = nameOfThread;
        this.threads = Executors.newFixedThreadPool(threads);
        for (int i = 0; i < threads; i++) {
            int index = i;
            this.threads.execute(() -> readUntilStopped(index));
        }
    }

    private void readUntilStopped(int index) {
        String name = nameOfThread.apply(index);
        while (running) {
            try {
                String server = engine.nodeContext().call(name, this::server);
                reads.incrementAndGet();
                readsByServer.computeIfAbsent(server, key -> new AtomicLong()).incrementAndGet();
                serversByName.computeIfAbsent(name, key -> ConcurrentHashMap.newKeySet()).add(server);
            }
            catch (Exception ex) {
                failures.add(name + ": " + ex);
            }
        }
    }

    private String server() throws Exception {
        try (Connection connection = engine.getDataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(SERVER)) {
            result.next();
            return result.getString(1);
        }
    }

    long reads() {
        return reads.get();
    }

    /** How many reads {@code server} ({@code address:port}) has answered. */
    long readsOn(String server) {
        AtomicLong count = readsByServer.get(server);
        return count != null ? count.get() : 0;
    }

    /** Every server that answered reads bound to {@code name}. */
    Set<String> serversOf(String name) {
        return serversByName.getOrDefault(name, Set.of());
    }

    List<String> failures() {
        return new ArrayList<>(failures);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        threads.shutdown();
        if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The read load did not stop within 30 s");
        }
    }
}
