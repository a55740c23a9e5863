package dev.piccolo.engine;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.piccolo.engine.test.OwnCluster;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import ch.qos.logback.classic.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Read-your-writes against a primary and a streaming replica of this class's own, whose replay is
 * paused to hold it behind: which server answered, and whether the row written was there.
 */
@ExtendWith(PostgresClusterExtension.class)
class ReadYourWritesTests {

    private static final AtomicInteger ids = new AtomicInteger();

    private static PostgresCluster cluster;

    private final List<ReadYourWritesOutcome> outcomes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void cluster(@OwnCluster(replicas = 1) PostgresCluster own) throws SQLException {
        cluster = own;
        execute("primary", "CREATE TABLE IF NOT EXISTS written (id int PRIMARY KEY)");
        execute("primary", "CREATE OR REPLACE FUNCTION ryw_lock() RETURNS void LANGUAGE sql "
                + "AS $$ SELECT pg_advisory_lock(778) $$");
        cluster.awaitReplication();
    }

    @AfterEach
    void resumeReplay() throws SQLException {
        execute("read_replica_1", "SELECT pg_wal_replay_resume()");
    }

    private PostgresEngine engine(Duration maxWait) {
        return TestNodes.engine(cluster, PostgresCluster.newApplicationName()).readYourWrites(maxWait)
                .routingListener(new RoutingListener() {
                    @Override
                    public void onReadYourWrites(String node, ReadYourWritesOutcome outcome) {
                        outcomes.add(outcome);
                    }
                }).build().start();
    }

    @Test
    void aReadOnTheReplicaAfterAWriteOnTheSameThreadSeesTheWrite() throws Exception {
        try (PostgresEngine engine = engine(Duration.ofMillis(50))) {
            execute("read_replica_1", "SELECT pg_wal_replay_pause()");
            int id = insertInTransaction(engine);

            Read read = engine.nodeContext().call("read_replica_1", () -> read(engine, id));

            assertThat(read.found()).isTrue();
            assertThat(read.port()).isEqualTo(cluster.primary().port());
            assertThat(outcomes).containsExactly(ReadYourWritesOutcome.PRIMARY);
            assertThat(engine.readYourWrites().lastWrite()).isNotNull();

            execute("read_replica_1", "SELECT pg_wal_replay_resume()");
            await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> engine.nodeContext().call("read_replica_1",
                    () -> read(engine, id)).port() == cluster.replica(1).port());
            assertThat(outcomes).last().isIn(ReadYourWritesOutcome.REPLICA, ReadYourWritesOutcome.WAITED);
        }
    }

    /**
     * With read-your-writes on, a transaction that wrote commits together with the reading of the
     * primary's position: a commit the server refuses, and one after a failed statement, end as they do on
     * a plain PgJDBC connection to the same server, and so does what they leave committed.
     */
    @Test
    void aCommitTheServerRefusesEndsAsOnThePlainDriver() throws Exception {
        try (PostgresEngine engine = engine(Duration.ofMillis(50))) {
            List<String> logical;
            try (Connection connection = engine.getDataSource().getConnection()) {
                logical = refusedCommits(connection, "deferred_logical");
            }
            List<String> plain;
            try (Connection connection = cluster.connect("primary")) {
                plain = refusedCommits(connection, "deferred_plain");
            }
            assertThat(logical).as("each step's outcome, then what committed").isEqualTo(plain)
                    .startsWith("23505");
        }
    }

    /** Runs commits the server refuses on {@code connection}: each step's SQLState or "ok", then the rows left. */
    private static List<String> refusedCommits(Connection connection, String table) throws SQLException {
        List<String> outcomes = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + table);
            statement.execute("CREATE TABLE " + table + " (id int, CONSTRAINT " + table + "_id UNIQUE (id) "
                    + "DEFERRABLE INITIALLY DEFERRED)");
            connection.setAutoCommit(false);
            statement.execute("INSERT INTO " + table + " VALUES (1), (1)");
            outcomes.add(outcome(connection::commit));
            statement.execute("INSERT INTO " + table + " VALUES (2)");
            outcomes.add(outcome(() -> statement.execute("SELECT 1 / 0")));
            outcomes.add(outcome(connection::commit));
            statement.execute("INSERT INTO " + table + " VALUES (3)");
            outcomes.add(outcome(connection::commit));
            outcomes.add(Boolean.toString(connection.getAutoCommit()));
            connection.setAutoCommit(true);
            outcomes.add(query(connection, "SELECT string_agg(id::text, ',' ORDER BY id) FROM " + table));
            statement.execute("DROP TABLE " + table);
        }
        return outcomes;
    }

    private static String outcome(JdbcStep step) {
        try {
            step.run();
            return "ok";
        }
        catch (SQLException ex) {
            return ex.getSQLState();
        }
    }

    @FunctionalInterface
    private interface JdbcStep {

        void run() throws SQLException;
    }

    @Test
    void aHeldConnectionRecordsItsAutoCommitWriteBeforeItsNextUnitReadsOnTheReplica() throws Exception {
        try (PostgresEngine engine = engine(Duration.ofMillis(50))) {
            execute("read_replica_1", "SELECT pg_wal_replay_pause()");
            int id = ids.incrementAndGet();
            try (Connection held = engine.getDataSource().getConnection()) {
                try (PreparedStatement insert = held.prepareStatement("INSERT INTO written VALUES (?)")) {
                    insert.setInt(1, id);
                    insert.executeUpdate();
                }
                Read read = engine.nodeContext().call("read_replica_1", () -> read(held, id));

                assertThat(read.found()).isTrue();
                assertThat(read.port()).isEqualTo(cluster.primary().port());
            }
        }
    }

    @Test
    void aRolledBackTransactionKeepsTheEarlierAutoCommitWriteToBeRead() throws Exception {
        try (PostgresEngine engine = engine(Duration.ofMillis(50))) {
            execute("read_replica_1", "SELECT pg_wal_replay_pause()");
            int committed = ids.incrementAndGet();
            try (Connection held = engine.getDataSource().getConnection()) {
                try (PreparedStatement insert = held.prepareStatement("INSERT INTO written VALUES (?)")) {
                    insert.setInt(1, committed);
                    insert.executeUpdate();
                    held.setAutoCommit(false);
                    insert.setInt(1, ids.incrementAndGet());
                    insert.executeUpdate();
                    held.rollback();
                    held.setAutoCommit(true);
                }
                Read read = engine.nodeContext().call("read_replica_1", () -> read(held, committed));

                assertThat(read.found()).isTrue();
                assertThat(read.port()).isEqualTo(cluster.primary().port());
            }
        }
    }

    @Test
    void closingWithATransactionOpenKeepsTheEarlierAutoCommitWriteToBeRead() throws Exception {
        try (PostgresEngine engine = engine(Duration.ofMillis(50))) {
            execute("read_replica_1", "SELECT pg_wal_replay_pause()");
            int id = ids.incrementAndGet();
            try (Connection held = engine.getDataSource().getConnection()) {
                try (Statement statement = held.createStatement()) {
                    statement.execute("INSERT INTO written VALUES (" + id + ")");
                    held.setAutoCommit(false);
                    statement.execute("SELECT 1");
                }
            }
            Read read = engine.nodeContext().call("read_replica_1", () -> read(engine, id));

            assertThat(read.found()).isTrue();
            assertThat(read.port()).isEqualTo(cluster.primary().port());
        }
    }

    @Test
    void everyCommitOnAnUnwrappedConnectionCountsAsAWrite() throws Exception {
        try (PostgresEngine engine = engine(Duration.ofMillis(50))) {
            int first = ids.incrementAndGet();
            int second = ids.incrementAndGet();
            try (Connection held = engine.getDataSource().getConnection()) {
                CopyManager copy = held.unwrap(PGConnection.class).getCopyAPI();
                held.setAutoCommit(false);
                copy.copyIn("COPY written FROM STDIN", new StringReader(first + "\n"));
                held.commit();
                cluster.awaitReplication();
                execute("read_replica_1", "SELECT pg_wal_replay_pause()");
                copy.copyIn("COPY written FROM STDIN", new StringReader(second + "\n"));
                held.commit();
            }
            Read read = engine.nodeContext().call("read_replica_1", () -> read(engine, second));

            assertThat(read.found()).isTrue();
            assertThat(read.port()).isEqualTo(cluster.primary().port());
        }
    }

    @Test
    void aCommitSentAsSqlIsAWriteToBeRead() throws Exception {
        try (PostgresEngine engine = engine(Duration.ofMillis(50))) {
            execute("read_replica_1", "SELECT pg_wal_replay_pause()");
            int id = ids.incrementAndGet();
            try (Connection held = engine.getDataSource().getConnection()) {
                held.setAutoCommit(false);
                try (Statement statement = held.createStatement()) {
                    statement.execute("INSERT INTO written VALUES (" + id + ")");
                    statement.execute("COMMIT");
                }
                held.rollback();
            }
            Read read = engine.nodeContext().call("read_replica_1", () -> read(engine, id));

            assertThat(read.found()).isTrue();
            assertThat(read.port()).isEqualTo(cluster.primary().port());
        }
    }

    @Test
    void aReplicaSessionLeftForThePrimaryIsCheckedForTheCallersState() throws Exception {
        try (PostgresEngine engine = engine(Duration.ofMillis(50))) {
            try (Connection held = engine.getDataSource().getConnection()) {
                // A lock taken inside a function: no statement text shows it, only the server check does.
                int lockedOn = engine.nodeContext().call("read_replica_1", () -> {
                    query(held, "SELECT ryw_lock()::text");
                    return Integer.parseInt(query(held, "SELECT inet_server_port()::text"));
                });
                execute("read_replica_1", "SELECT pg_wal_replay_pause()");
                int id = insertInTransaction(engine);
                Read read = engine.nodeContext().call("read_replica_1", () -> read(held, id));

                assertThat(lockedOn).isEqualTo(cluster.replica(1).port());
                assertThat(read.port()).as("the session holding the lock stays").isEqualTo(lockedOn);
                assertThat(query(held, "SELECT pg_advisory_unlock(778)::text")).isEqualTo("true");
            }
        }
    }

    @Test
    void readingThePositionAfterACommitLeavesTheConnectionInManualCommitMode() throws Exception {
        try (PostgresEngine engine = engine(Duration.ofMillis(50))) {
            int committed = ids.incrementAndGet();
            int rolledBack = ids.incrementAndGet();
            try (Connection connection = engine.getDataSource().getConnection();
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO written VALUES (?)")) {
                connection.setAutoCommit(false);
                insert.setInt(1, committed);
                insert.executeUpdate();
                connection.commit();
                insert.setInt(1, rolledBack);
                insert.executeUpdate();
                connection.rollback();
            }
            assertThat(cluster.queryString("primary", "SELECT string_agg(id::text, ',') FROM written WHERE id IN ("
                    + committed + ", " + rolledBack + ")")).isEqualTo(Integer.toString(committed));
        }
    }

    @Test
    void aReplicaThatCatchesUpWithinMaxWaitServesTheReadAfterTheFirst() throws Exception {
        try (PostgresEngine engine = engine(Duration.ofSeconds(5))) {
            int id = insertInTransaction(engine);

            Read first = engine.nodeContext().call("read_replica_1", () -> read(engine, id));
            Read second = engine.nodeContext().call("read_replica_1", () -> read(engine, id));

            assertThat(first).as("the read right after the write").isEqualTo(new Read(cluster.primary().port(), true));
            assertThat(second).isEqualTo(new Read(cluster.replica(1).port(), true));
            assertThat(outcomes).hasSize(2).first().isEqualTo(ReadYourWritesOutcome.PRIMARY);
            assertThat(outcomes).last().isIn(ReadYourWritesOutcome.REPLICA, ReadYourWritesOutcome.WAITED);
        }
    }

    /**
     * The read right after a write goes to the primary without a word to the replica: here the replica's
     * node points at a port nothing listens on, so any question to it would fail the read.
     */
    @Test
    void theReadRightAfterAWriteGoesToThePrimaryWithoutAWordToTheReplica() throws Exception {
        Map<String, String> unreachable = new HashMap<>(cluster.replica(1).config(PostgresCluster.newApplicationName()));
        unreachable.put("port", Integer.toString(closedPort()));
        try (PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder()
                .config(cluster.primary().config(PostgresCluster.newApplicationName())).build())
                .extraNode("read_replica_1", NodeConfig.builder().config(unreachable).failFast(false).build())
                .readYourWrites(Duration.ofSeconds(5)).build().start()) {
            for (boolean inTransaction : new boolean[] { false, true, false }) {
                int id = ids.incrementAndGet();
                try (Connection connection = engine.getDataSource().getConnection();
                        Statement statement = connection.createStatement()) {
                    connection.setAutoCommit(!inTransaction);
                    statement.execute("INSERT INTO written VALUES (" + id + ")");
                    if (inTransaction) {
                        connection.commit();
                    }
                }

                Read read = engine.nodeContext().call("read_replica_1", () -> read(engine, id));

                assertThat(read).as("in a transaction: %s", inTransaction).isEqualTo(new Read(cluster.primary().port(),
                        true));
            }
        }
    }

    /**
     * An auto-commit write's position is read when a read needs it: the read after the one that went to
     * the primary reads it, and the replica serves that read once it has replayed that far.
     */
    @Test
    void theSecondReadAfterAnAutoCommitWriteGoesToTheReplicaOnceItHasReplayedIt() throws Exception {
        try (PostgresEngine engine = engine(Duration.ofSeconds(5))) {
            learnTheCluster(engine);
            int id = ids.incrementAndGet();
            execute(engine, "INSERT INTO written VALUES (" + id + ")");
            long committedAt = walPosition(cluster.queryString("primary", "SELECT pg_current_wal_insert_lsn()::text"));

            Read first = engine.nodeContext().call("read_replica_1", () -> read(engine, id));
            Read second = engine.nodeContext().call("read_replica_1", () -> read(engine, id));

            assertThat(first).isEqualTo(new Read(cluster.primary().port(), true));
            assertThat(second).isEqualTo(new Read(cluster.replica(1).port(), true));
            assertThat(engine.readYourWrites().lastWrite().walPosition()).isGreaterThanOrEqualTo(committedAt);
        }
    }

    @Test
    void aTokenAskedForRightAfterAnAutoCommitWriteCarriesIt() throws Exception {
        try (PostgresEngine engine = engine(Duration.ofMillis(50))) {
            learnTheCluster(engine);
            execute("read_replica_1", "SELECT pg_wal_replay_pause()");
            int id = ids.incrementAndGet();
            ConsistencyToken token;
            long committedAt;
            try (ReadYourWrites.Session session = engine.readYourWrites().open(null)) {
                execute(engine, "INSERT INTO written VALUES (" + id + ")");
                committedAt = walPosition(cluster.queryString("primary", "SELECT pg_current_wal_insert_lsn()::text"));
                token = session.token();
            }

            Read elsewhere = engine.readYourWrites().call(token, () -> engine.nodeContext().call("read_replica_1",
                    () -> read(engine, id)));

            assertThat(token.walPosition()).isGreaterThanOrEqualTo(committedAt);
            assertThat(elsewhere).isEqualTo(new Read(cluster.primary().port(), true));
        }
    }

    /**
     * A session that hands its token on as it writes (a web response's cookie) learns it with the write,
     * also when the write runs in a session nested in it.
     */
    @Test
    void aSessionWithAListenerIsToldOfAnAutoCommitWriteAtOnceEvenFromANestedSession() throws Exception {
        try (PostgresEngine engine = engine(Duration.ofMillis(50))) {
            learnTheCluster(engine);
            List<ConsistencyToken> told = new CopyOnWriteArrayList<>();
            List<ConsistencyToken> toldOfNested = new CopyOnWriteArrayList<>();
            long before = walPosition(cluster.queryString("primary", "SELECT pg_current_wal_insert_lsn()::text"));
            try (ReadYourWrites.Session session = engine.readYourWrites().open(null, told::add)) {
                execute(engine, "INSERT INTO written VALUES (" + ids.incrementAndGet() + ")");
            }
            long between = walPosition(cluster.queryString("primary", "SELECT pg_current_wal_insert_lsn()::text"));
            try (ReadYourWrites.Session outer = engine.readYourWrites().open(null, toldOfNested::add)) {
                engine.readYourWrites().run(null, () -> {
                    try {
                        execute(engine, "INSERT INTO written VALUES (" + ids.incrementAndGet() + ")");
                    }
                    catch (SQLException ex) {
                        throw new IllegalStateException(ex);
                    }
                });
            }

            assertThat(told).singleElement().satisfies(token -> assertThat(token.walPosition()).isGreaterThan(before));
            assertThat(toldOfNested).singleElement()
                    .satisfies(token -> assertThat(token.walPosition()).isGreaterThan(between));
        }
    }

    @Test
    void aTokenCarriesTheWriteToAnotherThread() throws Exception {
        ExecutorService otherThread = Executors.newSingleThreadExecutor();
        try (PostgresEngine engine = engine(Duration.ofMillis(20))) {
            execute("read_replica_1", "SELECT pg_wal_replay_pause()");
            ReadYourWrites readYourWrites = engine.readYourWrites();
            ConsistencyToken token;
            int id;
            try (ReadYourWrites.Session session = readYourWrites.open(null)) {
                id = insertInTransaction(engine);
                token = session.token();
            }
            assertThat(token).isNotNull();
            assertThat(ConsistencyToken.parse(token.toString())).isEqualTo(token);

            Read withToken = otherThread.submit(() -> readYourWrites.call(token, () -> engine.nodeContext()
                    .call("read_replica_1", () -> read(engine, id)))).get();
            Read withoutToken = otherThread.submit(() -> engine.nodeContext().call("read_replica_1",
                    () -> read(engine, id))).get();
            // A message consumer: the token travels as the text of a header.
            AtomicReference<Read> fromHeader = new AtomicReference<>();
            otherThread.submit(() -> readYourWrites.runAfter(token.toString(),
                    () -> fromHeader.set(readOnReplica(engine, id)))).get();

            assertThat(withToken.found()).isTrue();
            assertThat(withToken.port()).isEqualTo(cluster.primary().port());
            assertThat(fromHeader.get()).isEqualTo(withToken);
            // What read-your-writes does not promise: another session, here a thread with no token, reads stale.
            assertThat(withoutToken.found()).isFalse();
            assertThat(withoutToken.port()).isEqualTo(cluster.replica(1).port());
        }
        finally {
            otherThread.shutdownNow();
        }
    }

    @Test
    void aForgedTokenIsClampedToThePrimarysPositionAndGarbageIsIgnored() throws Exception {
        try (PostgresEngine engine = engine(Duration.ofMillis(20))) {
            assertThat(ConsistencyToken.parse("not a position")).isNull();
            assertThat(ConsistencyToken.parse("0/0")).isNull();
            assertThat(ConsistencyToken.parse("123456789/0")).isNull();
            assertThat(ConsistencyToken.parse("FFFFFFFF/FFFFFFFF")).isNull();

            ConsistencyToken forged = ConsistencyToken.parse("7FFFFFFF/FFFFFFFF");
            try (ReadYourWrites.Session session = engine.readYourWrites().open(forged)) {
                int port = engine.nodeContext().call("read_replica_1",
                        () -> TestNodes.serverPort(engine.getDataSource()));
                long primary = Long.parseLong(cluster.queryString("primary",
                        "SELECT (pg_current_wal_insert_lsn() - '0/0')::bigint"));
                assertThat(session.token().walPosition()).isLessThanOrEqualTo(primary);
                // Clamped to a position the primary has reached, the replica serves once it has replayed it.
                assertThat(port).isIn(cluster.replica(1).port(), cluster.primary().port());
            }
        }
    }

    /** A forged header sent with every request: the primary is asked about it once, not each time. */
    @Test
    void theSameForgedTokenAgainIsClampedWithoutAskingThePrimary() throws Exception {
        try (PostgresEngine engine = engine(Duration.ofMillis(20)); LogCapture logs = new LogCapture()) {
            insertInTransaction(engine);
            ConsistencyToken forged = ConsistencyToken.parse("7FFFFFFF/FFFFFFF0");
            for (int request = 0; request < 5; request++) {
                assertThat(engine.readYourWrites().call(forged, () -> engine.nodeContext().call("read_replica_1",
                        () -> TestNodes.serverPort(engine.getDataSource())))).isIn(cluster.replica(1).port(),
                                cluster.primary().port());
            }
            assertThat(logs.messages(ReadYourWrites.class.getName(), Level.DEBUG))
                    .filteredOn(message -> message.contains("is asked how far it has written")).hasSize(1);
        }
    }

    @Test
    void offNothingIsRecordedAndNothingChecked() throws Exception {
        try (PostgresEngine engine = TestNodes.engine(cluster, PostgresCluster.newApplicationName()).build().start()) {
            execute("read_replica_1", "SELECT pg_wal_replay_pause()");
            int id = insertInTransaction(engine);

            Read read = engine.nodeContext().call("read_replica_1", () -> read(engine, id));

            assertThat(engine.readYourWrites().isEnabled()).isFalse();
            assertThat(engine.readYourWrites().lastWrite()).isNull();
            assertThat(read.found()).isFalse();
            assertThat(read.port()).isEqualTo(cluster.replica(1).port());
        }
    }

    private static int insertInTransaction(PostgresEngine engine) throws SQLException {
        int id = ids.incrementAndGet();
        try (Connection connection = engine.getDataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO written VALUES (?)")) {
                insert.setInt(1, id);
                insert.executeUpdate();
            }
            connection.commit();
        }
        return id;
    }

    /** A read on {@code read_replica_1} for a {@code Runnable}, as a message listener's body is. */
    private static Read readOnReplica(PostgresEngine engine, int id) {
        try {
            return engine.nodeContext().call("read_replica_1", () -> read(engine, id));
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static Read read(PostgresEngine engine, int id) throws SQLException {
        try (Connection connection = engine.getDataSource().getConnection()) {
            return read(connection, id);
        }
    }

    private static Read read(Connection connection, int id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT inet_server_port(), count(*) FROM written WHERE id = ?")) {
            select.setInt(1, id);
            try (ResultSet result = select.executeQuery()) {
                result.next();
                return new Read(result.getInt(1), result.getInt(2) == 1);
            }
        }
    }

    private static void execute(PostgresEngine engine, String sql) throws SQLException {
        try (Connection connection = engine.getDataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * A first write and the read after it: the engine learns the cluster's identity from the main node
     * (no probe here), after which auto-commit writes leave their position to be read when needed.
     */
    private static void learnTheCluster(PostgresEngine engine) throws Exception {
        int id = insertInTransaction(engine);
        engine.nodeContext().call("read_replica_1", () -> read(engine, id));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static long walPosition(String lsn) {
        String[] halves = lsn.split("/");
        return (Long.parseLong(halves[0], 16) << 32) + Long.parseLong(halves[1], 16);
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }

    private static void execute(String node, String sql) throws SQLException {
        try (Connection connection = cluster.connect(node); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private record Read(int port, boolean found) {
    }
}
