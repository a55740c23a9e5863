package dev.piccolo.engine.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL cluster under Patroni, for tests of what a client sees when the primary changes: one
 * etcd member (v3 API) and three PostgreSQL servers, each managed by its own Patroni, all on
 * 127.0.0.1 on free ports, with their files in one temporary folder that {@link #close()} deletes.
 *
 * <p>The members are {@code member1} (the first leader), {@code member2} and {@code member3}. Which
 * one is the leader changes with {@link #switchover()} and {@link #killLeader()}, so tests ask
 * {@link #leader()} or {@link #members()}, which report what Patroni reports. Every server has the
 * database, superuser and password of a {@link PostgresCluster} ({@link #database()}, {@link #user()},
 * {@link #password()}); {@link #hostList()} gives the servers for a PgJDBC multi-host URL.
 *
 * <p>It needs Patroni 3 ({@code /usr/bin/patroni}, {@code /usr/bin/patronictl}), etcd
 * ({@code /usr/bin/etcd}) and the PostgreSQL server programs on this machine ({@link #available()}).
 * When the JVM runs as root, every daemon runs as the {@code postgres} OS user. Methods that change
 * the cluster wait until the change is complete, at most a minute, and then throw an
 * {@link IllegalStateException} that ends with the last lines of the daemons' logs. They are
 * thread-safe but not meant to race each other.
 *
 * @since 0.2
 */
public final class PatroniCluster implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(PatroniCluster.class);

    private static final Path PATRONI = Path.of("/usr/bin/patroni");

    private static final Path ETCD = Path.of("/usr/bin/etcd");

    private static final List<String> MEMBER_NAMES = List.of("member1", "member2", "member3");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private static final int LOG_TAIL_LINES = 15;

    private final PostgresBinaries binaries;

    private final Path serverPrograms;

    private final ClusterCredentials credentials;

    private final PatroniRestApi rest = new PatroniRestApi();

    private final ServerProbe probe;

    private final Map<String, DaemonProcess> patronis = new ConcurrentHashMap<>();

    private final Thread shutdownHook = new Thread(this::shutDown, "piccolo-patroni-shutdown");

    /** Written by the starting thread, read by a shutdown hook that may run while it starts. */
    private volatile List<PatroniMemberConfig> configs = List.of();

    /** Members removed while the cluster runs: their folders go, and a postmaster left behind is stopped, at close. */
    private final List<PatroniMemberConfig> removed = new CopyOnWriteArrayList<>();

    private volatile Path baseDirectory;

    private volatile DaemonProcess etcd;

    private volatile String etcdUrl;

    /** Guarded by {@code this}: no daemon starts once the cluster is closed. */
    private boolean closed;

    private PatroniCluster(PostgresBinaries binaries, Path serverPrograms, ClusterCredentials credentials) {
        this.binaries = binaries;
        this.serverPrograms = serverPrograms;
        this.credentials = credentials;
        this.probe = new ServerProbe(credentials);
    }

    /**
     * Returns whether this machine has what the cluster runs: Patroni, etcd and the PostgreSQL server
     * programs. Tests skip themselves when it has not, e.g.
     * {@code assumeTrue(PatroniCluster.available(), "...")}.
     *
     * @return {@code true} when {@link #start()} can run the cluster
     */
    public static boolean available() {
        return missingPrograms().isEmpty();
    }

    private static List<String> missingPrograms() {
        List<String> missing = new ArrayList<>();
        for (Path program : List.of(PATRONI, Patronictl.PROGRAM, ETCD)) {
            if (!Files.isExecutable(program)) {
                missing.add(program.toString());
            }
        }
        if (serverPrograms().isEmpty()) {
            missing.add("the PostgreSQL server programs (initdb, pg_ctl, postgres, pg_basebackup, pg_rewind)");
        }
        return missing;
    }

    /**
     * Patroni runs every server program from one folder: the real folder of the {@code initdb} found,
     * not a folder of links to some of them (such as {@code /usr/local/bin}).
     */
    private static Optional<Path> serverPrograms() {
        return PostgresBinaries.locate().flatMap(binaries -> {
            try {
                Path directory = binaries.binDirectory().resolve("initdb").toRealPath().getParent();
                boolean complete = Stream.of("initdb", "pg_ctl", "postgres", "pg_basebackup", "pg_rewind")
                        .allMatch(program -> Files.isExecutable(directory.resolve(program)));
                return complete ? Optional.of(directory) : Optional.empty();
            }
            catch (IOException ex) {
                return Optional.empty();
            }
        });
    }

    /**
     * Starts etcd and three members, and waits until {@code member1} is a writable leader and both
     * other members stream from it.
     *
     * @return the running cluster; close it when done
     * @throws IllegalStateException when a program is missing (naming what to install), or when the
     * cluster is not ready within two minutes (with the end of every daemon's log)
     */
    public static PatroniCluster start() {
        List<String> missing = missingPrograms();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Cannot start a Patroni test cluster: not found: "
                    + String.join(", ", missing) + ". Install Patroni 3, etcd and PostgreSQL (Debian/Ubuntu: "
                    + "'apt-get install patroni etcd-server etcd-client postgresql').");
        }
        PostgresBinaries binaries = PostgresBinaries.locate().orElseThrow();
        Path serverPrograms = serverPrograms().orElseThrow();
        try {
            return startOnce(binaries, serverPrograms);
        }
        catch (PortTakenException ex) {
            // The ports are free when chosen, but lie where the kernel also picks client ports.
            logger.warn("{}; starting the Patroni test cluster once more, on other ports", ex.getMessage());
            return startOnce(binaries, serverPrograms);
        }
    }

    private static PatroniCluster startOnce(PostgresBinaries binaries, Path serverPrograms) {
        PatroniCluster cluster = new PatroniCluster(binaries, serverPrograms, ClusterCredentials.random());
        // Registered before the first daemon starts: Ctrl-C during the start must not leave daemons behind.
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            cluster.bootstrap();
            return cluster;
        }
        catch (RuntimeException ex) {
            boolean portTaken = ex instanceof PortTakenException || cluster.logsMention("address already in use");
            cluster.close();
            if (portTaken && !(ex instanceof PortTakenException)) {
                throw new PortTakenException("A daemon of the Patroni test cluster found its port taken", ex);
            }
            throw ex;
        }
    }

    private void bootstrap() {
        long startedAt = System.nanoTime();
        Deadline deadline = Deadline.after(START_TIMEOUT);
        launch(this::createFilesAndStartEtcd);
        awaitUntil("etcd answers at " + etcdUrl, deadline, () -> rest.isEtcdHealthy(etcdUrl));
        PatroniMemberConfig first = configs.get(0);
        launch(() -> startPatroni(first));
        awaitUntil(first.name() + " is the leader and writable", deadline, () -> isWritableLeader(first.name()));
        createTestDatabase(first.postgresPort());
        launch(() -> configs.subList(1, configs.size()).forEach(this::startPatroni));
        awaitHealthy(deadline);
        logger.info("Patroni test cluster started in {} ms: {}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt), this);
    }

    /**
     * Runs one step of the start that creates files or daemons while {@link #close()} waits, so a
     * shutdown hook never misses a daemon that is being started, and nothing starts once it has run.
     */
    private synchronized void launch(Runnable step) {
        if (closed) {
            throw new IllegalStateException(
                    "The Patroni test cluster was closed while it started (the JVM is exiting)");
        }
        step.run();
    }

    private void createFilesAndStartEtcd() {
        try {
            baseDirectory = Files.createTempDirectory("piccolo-patroni-");
            binaries.handOver(baseDirectory);
            Set<Integer> taken = new HashSet<>();
            int etcdClientPort = freePort(taken);
            int etcdPeerPort = freePort(taken);
            List<PatroniMemberConfig> members = new ArrayList<>();
            for (String name : MEMBER_NAMES) {
                Path directory = Files.createDirectory(baseDirectory.resolve(name));
                binaries.handOver(directory);
                PatroniMemberConfig config = new PatroniMemberConfig(name, freePort(taken), freePort(taken),
                        etcdClientPort, directory);
                Files.writeString(config.configFile(), config.yaml(serverPrograms, credentials),
                        StandardCharsets.UTF_8);
                members.add(config);
            }
            configs = List.copyOf(members);
            etcdUrl = "http://" + LoopbackPorts.LOOPBACK + ":" + etcdClientPort;
            String peerUrl = "http://" + LoopbackPorts.LOOPBACK + ":" + etcdPeerPort;
            requireFree("etcd", etcdClientPort, etcdPeerPort);
            etcd = DaemonProcess.start("etcd", binaries, List.of(ETCD.toString(), "--name", "etcd",
                    "--data-dir", baseDirectory.resolve("etcd").toString(),
                    "--listen-client-urls", etcdUrl, "--advertise-client-urls", etcdUrl,
                    "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                    "--initial-cluster", "etcd=" + peerUrl, "--initial-cluster-state", "new",
                    "--initial-cluster-token", "piccolo-" + baseDirectory.getFileName(),
                    "--logger", "zap", "--log-outputs", "stderr"),
                    baseDirectory.resolve("etcd.pid"), baseDirectory.resolve("etcd.log"));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot create the files of the Patroni test cluster", ex);
        }
    }

    private static int freePort(Set<Integer> taken) {
        int port = LoopbackPorts.free();
        while (!taken.add(port)) {
            port = LoopbackPorts.free();
        }
        return port;
    }

    private static void requireFree(String daemon, int... ports) {
        for (int port : ports) {
            if (!LoopbackPorts.isFree(port)) {
                throw new PortTakenException("Port " + port + " chosen for " + daemon + " was taken before it started",
                        null);
            }
        }
    }

    private void startPatroni(PatroniMemberConfig config) {
        requireFree("Patroni " + config.name(), config.postgresPort(), config.restPort());
        patronis.put(config.name(), DaemonProcess.start("Patroni " + config.name(), binaries,
                List.of(PATRONI.toString(), config.configFile().toString()), config.pidFile(), config.logFile()));
    }

    private void createTestDatabase(int port) {
        try (Connection connection = probe.connect(port, "postgres");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE \"" + credentials.database() + "\"");
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot create database '" + credentials.database()
                    + "' on the first leader", ex);
        }
    }

    /**
     * Returns every member as Patroni reports it now ({@code GET /cluster} of the first member that
     * answers).
     *
     * @return the members, sorted by name
     * @throws IllegalStateException when no member's REST API answers
     */
    public List<Member> members() {
        return rest.members(restUrls()).orElseThrow(() -> new IllegalStateException(
                "No Patroni member answers GET /cluster at " + restUrls() + logTails()));
    }

    /**
     * Returns one member as Patroni reports it now.
     *
     * @param name {@code member1}, {@code member2} or {@code member3}
     * @return the member
     * @throws IllegalArgumentException when the cluster has no member of that name, listing the names
     * @throws IllegalStateException when no member's REST API answers, or Patroni does not list it now
     */
    public Member member(String name) {
        config(name);
        return members().stream()
                .filter(member -> member.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("Patroni does not list " + name + " now: " + members()));
    }

    /**
     * Returns the member that holds the leader key now.
     *
     * @return the leader
     * @throws IllegalStateException when there is none (e.g. during a failover), with what Patroni reports
     */
    public Member leader() {
        List<Member> members = members();
        return members.stream()
                .filter(Member::isLeader)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("The Patroni cluster has no leader now: " + members));
    }

    /**
     * Hands the leader role to a replica in a planned switchover ({@code patronictl switchover}) and
     * waits until that replica is the leader, writable, and reported on a newer timeline. The old
     * leader rejoins as a replica a few seconds later; {@link #awaitHealthy()} waits for that.
     *
     * @throws IllegalStateException when no replica runs, when Patroni refuses (with patronictl's
     * output), or when the candidate is not a writable leader within a minute
     */
    public void switchover() {
        Member leader = leader();
        Member candidate = members().stream()
                .filter(member -> !member.isLeader() && Member.RUNNING.equals(member.state())
                        && member.timeline() == leader.timeline())
                .min(Comparator.comparing(Member::name))
                .orElseThrow(() -> new IllegalStateException("No running replica on the leader's timeline to switch "
                        + "over to: " + members()));
        String output = patronictl("switchover", "--leader", leader.name(), "--candidate", candidate.name(), "--force");
        // patronictl exits with 0 when Patroni refuses, too; only its output tells.
        if (!output.contains("Successfully switched over to \"" + candidate.name() + "\"")
                && !output.contains("falling back to DCS")) {
            throw new IllegalStateException("Patroni did not switch over from " + leader.name() + " to "
                    + candidate.name() + "; patronictl said:\n" + output.strip());
        }
        awaitUntil(candidate.name() + " is the leader and writable after the switchover from " + leader.name(),
                Deadline.after(CHANGE_TIMEOUT), () -> isNewWritableLeader(leader, candidate.name()));
    }

    /**
     * Adds a member, as an operator scaling the cluster out would: its Patroni creates a replica from the
     * leader ({@code pg_basebackup}), and this waits until it streams and has the test database.
     *
     * @return the new member
     * @throws IllegalStateException when the cluster is not healthy with it within a minute
     */
    public synchronized Member addMember() {
        String name = "member" + (configs.size() + removed.size() + 1);
        Set<Integer> taken = new HashSet<>();
        configs.forEach(config -> {
            taken.add(config.postgresPort());
            taken.add(config.restPort());
        });
        try {
            Path directory = Files.createDirectory(baseDirectory.resolve(name));
            binaries.handOver(directory);
            PatroniMemberConfig config = new PatroniMemberConfig(name, freePort(taken), freePort(taken),
                    configs.get(0).etcdClientPort(), directory);
            Files.writeString(config.configFile(), config.yaml(serverPrograms, credentials), StandardCharsets.UTF_8);
            List<PatroniMemberConfig> grown = new ArrayList<>(configs);
            grown.add(config);
            launch(() -> {
                configs = List.copyOf(grown);
                startPatroni(config);
            });
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot create the files of Patroni member " + name, ex);
        }
        awaitHealthy();
        return member(name);
    }

    /**
     * Removes a replica, as an operator scaling the cluster in would: its Patroni stops its PostgreSQL and
     * exits. Patroni then lists it as stopped until its member key expires (the cluster's TTL, 10 s).
     *
     * @param name a replica's name
     * @throws IllegalArgumentException when there is no such member, or it is the leader
     */
    public synchronized void removeMember(String name) {
        PatroniMemberConfig config = config(name);
        if (leader().name().equals(name)) {
            throw new IllegalArgumentException("Member " + name + " is the leader; remove a replica");
        }
        DaemonProcess patroni = patronis.remove(name);
        if (patroni != null) {
            patroni.requestStop();
            if (!patroni.awaitExit(STOP_GRACE)) {
                patroni.kill();
            }
        }
        postmaster(config).ifPresent(PatroniCluster::stopImmediately);
        configs = configs.stream().filter(member -> !member.name().equals(name)).toList();
        removed.add(config);
    }

    /**
     * Kills the leader's postmaster with SIGKILL, as a crash would, and waits until another member is
     * the leader, writable, and reported on a newer timeline. The old leader's Patroni keeps running
     * and makes it a replica again; {@link #awaitHealthy()} waits for that.
     *
     * @throws IllegalStateException when the postmaster's process id cannot be read, or no other member
     * is a writable leader within a minute
     */
    public void killLeader() {
        Member leader = leader();
        ProcessHandle postmaster = postmaster(config(leader.name())).orElseThrow(() -> new IllegalStateException(
                "No running postmaster in postmaster.pid of the leader " + leader.name()));
        postmaster.destroyForcibly();
        awaitUntil("a member other than " + leader.name() + " is the leader and writable after its postmaster "
                + postmaster.pid() + " was killed", Deadline.after(CHANGE_TIMEOUT),
                () -> isNewWritableLeader(leader, null));
    }

    /**
     * Puts the cluster in maintenance mode ({@code patronictl pause --wait}): Patroni stops acting on
     * failures, so a server stopped or promoted by hand stays so until {@link #resume()}.
     *
     * @throws IllegalStateException when Patroni refuses (e.g. already paused) or a member has not
     * applied it within a minute
     */
    public void pause() {
        togglePause(true);
    }

    /**
     * Ends maintenance mode ({@code patronictl resume --wait}). The member that holds the leader key
     * stays the primary, whichever timeline another server has reached meanwhile.
     *
     * @throws IllegalStateException when Patroni refuses (e.g. not paused) or a member has not applied
     * it within a minute
     */
    public void resume() {
        togglePause(false);
    }

    private void togglePause(boolean pause) {
        String command = pause ? "pause" : "resume";
        String output = patronictl(command, "--wait");
        // patronictl's own wait gives up after one loop_wait, which a loaded machine outlasts: a request it
        // sent counts, and every member is awaited below for as long as any other change.
        if (!output.contains("Success: cluster management is " + (pause ? "paused" : "resumed"))
                && !output.contains("'" + command + "' request sent")) {
            throw new IllegalStateException("patronictl " + command + " failed:\n" + output.strip());
        }
        awaitUntil("every member has applied '" + command + "'", Deadline.after(CHANGE_TIMEOUT),
                () -> restUrls().stream().allMatch(restUrl -> rest.isPaused(restUrl).orElse(!pause) == pause));
    }

    /**
     * Waits, at most a minute, until one member is a writable leader and every other member is a
     * running replica on the leader's timeline that streams from it and has the test database, as
     * after {@link #start()}.
     *
     * @throws IllegalStateException when that is not so in time, with what Patroni reports and the end
     * of every daemon's log
     */
    public void awaitHealthy() {
        awaitHealthy(Deadline.after(CHANGE_TIMEOUT));
    }

    private void awaitHealthy(Deadline deadline) {
        awaitUntil("a writable leader with every other member streaming from it", deadline, this::isHealthy);
    }

    private boolean isHealthy() {
        List<Member> members = rest.members(restUrls()).orElse(List.of());
        List<Member> leaders = members.stream().filter(Member::isLeader).toList();
        if (members.size() != configs.size() || leaders.size() != 1 || !probe.isWritable(leaders.get(0).port())) {
            return false;
        }
        Member leader = leaders.get(0);
        List<Member> replicas = members.stream().filter(member -> !member.isLeader()).toList();
        boolean replicasRun = replicas.stream()
                .allMatch(replica -> Member.RUNNING.equals(replica.state()) && replica.timeline() == leader.timeline());
        List<String> replicaNames = replicas.stream().map(Member::name).toList();
        return replicasRun && probe.streamingReplicas(leader.port(), replicaNames) == replicas.size()
                && replicas.stream().allMatch(replica -> probe.isReplicaWithTestDatabase(replica.port()));
    }

    private Optional<Member> currentLeader() {
        return rest.members(restUrls()).flatMap(members -> members.stream().filter(Member::isLeader).findFirst());
    }

    private boolean isWritableLeader(String name) {
        Optional<Member> leader = currentLeader();
        return leader.isPresent() && leader.get().name().equals(name) && probe.isWritable(leader.get().port());
    }

    /**
     * Whether another member than {@code old} leads, on a newer timeline, and is writable; Patroni
     * reports the new timeline up to a loop after the promotion.
     */
    private boolean isNewWritableLeader(Member old, String expected) {
        Optional<Member> leader = currentLeader();
        return leader.isPresent() && !leader.get().name().equals(old.name())
                && (expected == null || leader.get().name().equals(expected))
                && leader.get().timeline() > old.timeline() && probe.isWritable(leader.get().port());
    }

    /**
     * Opens a new JDBC connection to one member's server, to the test database as the test user.
     *
     * @param member a member, e.g. from {@link #leader()}
     * @return a connection the caller closes
     * @throws SQLException when the server does not accept it
     */
    public Connection connect(Member member) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", credentials.user());
        login.setProperty("password", credentials.password());
        return DriverManager.getConnection("jdbc:postgresql://" + member.host() + ":" + member.port() + "/"
                + credentials.database(), login);
    }

    /**
     * Returns an engine node's {@code config} over every member, as Patroni users configure clients: the
     * members' hosts and ports as lists, the test database and user, and a connect timeout of 2 s. Add
     * {@code targetServerType} for the node's role.
     *
     * @param applicationName the {@code ApplicationName} its connections report, to count them server-side
     * @return host, port, database, user, password, ApplicationName and connectTimeout, in that order
     */
    public Map<String, String> clientConfig(String applicationName) {
        List<Member> members = members();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("host", members.stream().map(Member::host).collect(Collectors.joining(",")));
        config.put("port", members.stream().map(member -> Integer.toString(member.port()))
                .collect(Collectors.joining(",")));
        config.put("database", credentials.database());
        config.put("user", credentials.user());
        config.put("password", credentials.password());
        config.put("ApplicationName", applicationName);
        config.put("connectTimeout", "2");
        return config;
    }

    /**
     * Returns every member's server for a PgJDBC multi-host URL, in member order, e.g.
     * {@code "jdbc:postgresql://" + cluster.hostList() + "/" + cluster.database() + "?targetServerType=primary"}.
     *
     * @return {@code 127.0.0.1:<port>} of each member, comma-separated
     */
    public String hostList() {
        return configs.stream()
                .map(config -> LoopbackPorts.LOOPBACK + ":" + config.postgresPort())
                .collect(Collectors.joining(","));
    }

    /**
     * Returns the base URL of one member's Patroni REST API, for health checks such as
     * {@code GET <url>/primary} (200 on the leader only) or {@code GET <url>/replica?lag=1MB}.
     *
     * @param member a member of this cluster
     * @return {@code http://127.0.0.1:<port>}, without a trailing slash
     * @throws IllegalArgumentException when the member is not one of this cluster's
     */
    public String restUrl(Member member) {
        return config(member.name()).restUrl();
    }

    /**
     * Returns the base URLs of every member's Patroni REST API, in member order.
     *
     * @return {@code http://127.0.0.1:<port>} of each member
     */
    public List<String> restUrls() {
        return configs.stream().map(PatroniMemberConfig::restUrl).toList();
    }

    /**
     * Returns the database created for tests on every server.
     *
     * @return the database name
     */
    public String database() {
        return credentials.database();
    }

    /**
     * Returns the user tests connect as, a superuser.
     *
     * @return the user name
     */
    public String user() {
        return credentials.user();
    }

    /**
     * Returns that user's password, new for every cluster.
     *
     * @return the password
     */
    public String password() {
        return credentials.password();
    }

    private PatroniMemberConfig config(String name) {
        return configs.stream()
                .filter(config -> config.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No member '" + name + "' in this Patroni cluster; "
                        + "members: " + configs.stream().map(PatroniMemberConfig::name).toList()));
    }

    /** Any member's configuration would do: they share etcd and scope. */
    private String patronictl(String... arguments) {
        return Patronictl.run(configs.get(0).configFile(), arguments);
    }

    private void awaitUntil(String condition, Deadline deadline, BooleanSupplier check) {
        while (!check.getAsBoolean()) {
            Optional<DaemonProcess> exited = Stream.concat(Stream.ofNullable(etcd), patronis.values().stream())
                    .filter(daemon -> !daemon.isAlive())
                    .findFirst();
            if (exited.isPresent()) {
                throw new IllegalStateException("Waiting until " + condition + ", " + exited.get() + " exited"
                        + logTails());
            }
            if (deadline.hasPassed()) {
                throw new IllegalStateException("Timed out after " + deadline.allowed().toSeconds()
                        + " s waiting until " + condition + "; Patroni reports "
                        + rest.members(restUrls()).map(Object::toString).orElse("nothing (no REST API answers)")
                        + logTails());
            }
            Polling.pause(POLL_INTERVAL);
        }
    }

    private String logTails() {
        StringBuilder tails = new StringBuilder();
        if (etcd != null) {
            tails.append("\n--- etcd log ends with:\n").append(etcd.logTail(LOG_TAIL_LINES));
        }
        for (PatroniMemberConfig config : configs) {
            DaemonProcess patroni = patronis.get(config.name());
            if (patroni != null) {
                tails.append("\n--- Patroni ").append(config.name()).append(" log ends with:\n")
                        .append(patroni.logTail(LOG_TAIL_LINES));
            }
        }
        return tails.toString();
    }

    private boolean logsMention(String lowerCaseText) {
        return Stream.concat(Stream.ofNullable(etcd), patronis.values().stream())
                .anyMatch(daemon -> daemon.logContains(lowerCaseText));
    }

    /**
     * The process named by a member's {@code postmaster.pid}, when it runs and is a PostgreSQL server:
     * a file left by a killed server may name a process id that is now another program's.
     */
    private static Optional<ProcessHandle> postmaster(PatroniMemberConfig config) {
        try {
            List<String> lines = Files.readAllLines(config.postmasterPidFile(), StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isBlank()) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
                    .filter(process -> process.info().command().map(command -> command.endsWith("/postgres"))
                            .orElse(false));
        }
        catch (IOException | NumberFormatException ex) {
            return Optional.empty();
        }
    }

    /**
     * Stops every daemon (Patroni, which stops its PostgreSQL, then etcd) and deletes the cluster's
     * files. A daemon that does not stop within 20 seconds is killed.
     */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (IllegalStateException ex) {
            // The JVM is already shutting down, and the hook is running or has run.
        }
        shutDown();
    }

    private synchronized void shutDown() {
        if (closed) {
            return;
        }
        closed = true;
        // All at once: each Patroni stops its own PostgreSQL on SIGTERM.
        patronis.values().forEach(DaemonProcess::requestStop);
        for (DaemonProcess patroni : patronis.values()) {
            if (!patroni.awaitExit(STOP_GRACE)) {
                logger.warn("{} did not stop within {}; killing it", patroni, STOP_GRACE);
                patroni.kill();
            }
        }
        // Patroni starts each postmaster detached, so a killed Patroni leaves it running.
        Stream.concat(configs.stream(), removed.stream())
                .forEach(config -> postmaster(config).ifPresent(PatroniCluster::stopImmediately));
        if (etcd != null) {
            etcd.requestStop();
            if (!etcd.awaitExit(STOP_GRACE)) {
                etcd.kill();
            }
        }
        if (baseDirectory != null) {
            deleteRecursively(baseDirectory);
        }
    }

    /** SIGQUIT is PostgreSQL's immediate shutdown: the postmaster ends its children before it exits. */
    private static void stopImmediately(ProcessHandle postmaster) {
        try {
            new ProcessBuilder("kill", "-QUIT", Long.toString(postmaster.pid())).start().waitFor(5, TimeUnit.SECONDS);
            postmaster.onExit().get(10, TimeUnit.SECONDS);
        }
        catch (IOException | ExecutionException | TimeoutException ex) {
            logger.warn("Could not stop postmaster {}; killing it", postmaster.pid(), ex);
            postmaster.destroyForcibly();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            postmaster.destroyForcibly();
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

    @Override
    public String toString() {
        return "PatroniCluster[members=" + configs.stream()
                .map(config -> config.name() + "@" + LoopbackPorts.LOOPBACK + ":" + config.postgresPort())
                .toList() + ", etcd=" + etcdUrl + ", user=" + credentials.user() + ", password=******]";
    }

    /**
     * One member as Patroni's {@code GET /cluster} reports it at one moment.
     *
     * @param name the member's name, {@code member1} to {@code member3}
     * @param role {@code leader}, {@code replica} or {@code sync_standby}
     * @param state Patroni's state of its PostgreSQL: {@code running}, {@code starting}, {@code stopped},
     * {@code creating replica}, ...
     * @param host the address its PostgreSQL listens on, {@code 127.0.0.1}
     * @param port the port its PostgreSQL listens on
     * @param timeline its PostgreSQL timeline, which grows with each promotion; 0 when Patroni reports
     * none (its PostgreSQL is not running)
     * @param lag how many bytes of WAL a replica is behind the leader, as Patroni last wrote it to etcd
     * (once a loop, so never exactly current); empty for the leader and when Patroni does not know
     */
    public record Member(String name, String role, String state, String host, int port, long timeline,
            OptionalLong lag) {

        static final String RUNNING = "running";

        /**
         * Returns whether this member held the leader key when it was read.
         *
         * @return {@code true} for the leader
         */
        public boolean isLeader() {
            return "leader".equals(role);
        }
    }

    /** When a wait ends, and how long it was allowed to take (for the message when it times out). */
    private record Deadline(long nanoTime, Duration allowed) {

        static Deadline after(Duration allowed) {
            return new Deadline(System.nanoTime() + allowed.toNanos(), allowed);
        }

        boolean hasPassed() {
            return System.nanoTime() - nanoTime > 0;
        }
    }

    /** A port chosen for a daemon was taken before the daemon bound it: worth one more start. */
    private static final class PortTakenException extends IllegalStateException {

        PortTakenException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
