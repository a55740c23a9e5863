package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.core.BaseConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential conformance: seeded random sequences of JDBC operations (auto-commit switches, statements
 * created early and reused, inserts, batches, commits, rollbacks, savepoints, read-only, schema, {@code SET},
 * advisory locks, isolation, JDBC calls on the unwrapped driver connection, statements closing on completion,
 * abort, reads bound to the replica between units of work) run once on a plain PgJDBC connection and once on
 * a logical connection of the same primary. Every answer (value, or SQLState of the exception) and the rows
 * that persist must be the same; a read bound to the replica must run on the replica exactly when the
 * logical connection is free to move, else on the primary; once the logical connection is closed, no
 * connection of any node may be left borrowed. A failing sequence is shrunk, one
 * operation at a time, to the shortest that still differs, and printed with its seed.
 *
 * <p>{@code -Dconformance.sequences=N} sets how many run (10,000 by default), {@code -Dconformance.seed}
 * the first seed. The run is made twice: on an engine with defaults, and on one with read-your-writes on.
 */
@ExtendWith(PostgresClusterExtension.class)
class ConnectionConformanceTests {

    private static final int SEQUENCES = Integer.getInteger("conformance.sequences", 10_000);

    private static final long FIRST_SEED = Long.getLong("conformance.seed", 20261202L);

    private static final AtomicLong runs = new AtomicLong(System.currentTimeMillis());

    private static final int[] ISOLATIONS = { Connection.TRANSACTION_READ_COMMITTED,
        Connection.TRANSACTION_REPEATABLE_READ, Connection.TRANSACTION_SERIALIZABLE };

    private static PostgresCluster cluster;

    private static PostgresEngine engine;

    /** The same nodes with read-your-writes on: commits that read the primary's position, reads it may move. */
    private static PostgresEngine causalEngine;

    @BeforeAll
    static void start(PostgresCluster shared) throws SQLException {
        cluster = shared;
        try (Connection connection = cluster.connect("primary"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS conformance (run text, value int)");
            statement.execute("CREATE SCHEMA IF NOT EXISTS conformance_schema");
        }
        engine = TestNodes.engine(cluster, PostgresCluster.newApplicationName()).startupChecks(false).build();
        engine.startConnectionPool(PoolOptions.builder().maxSize(2).build());
        causalEngine = TestNodes.engine(cluster, PostgresCluster.newApplicationName()).startupChecks(false)
                .readYourWrites(Duration.ofMillis(20)).build();
        causalEngine.startConnectionPool(PoolOptions.builder().maxSize(2).build());
    }

    @AfterAll
    static void stop() {
        engine.close();
        causalEngine.close();
    }

    @Test
    void randomSequencesCannotTellTheLogicalConnectionFromPgJdbc() throws Exception {
        randomSequences(engine);
    }

    /** The same with read-your-writes on: a replica read may go to the primary, nothing else may differ. */
    @Test
    void randomSequencesCannotTellTheLogicalConnectionFromPgJdbcWithReadYourWritesOn() throws Exception {
        randomSequences(causalEngine);
    }

    private static void randomSequences(PostgresEngine logical) throws Exception {
        for (int i = 0; i < SEQUENCES; i++) {
            long seed = FIRST_SEED + i;
            List<Op> ops = generate(new Random(seed));
            String difference = difference(logical, seed, ops);
            if (difference != null) {
                List<Op> shortest = shrink(logical, seed, ops);
                assertThat(difference(logical, seed, shortest)).as("seed %d, shortest sequence %s (of %s)", seed,
                        shortest, ops).isNull();
                assertThat(difference).as("seed %d: %s", seed, ops).isNull();
            }
        }
    }

    private static List<Op> shrink(PostgresEngine logical, long seed, List<Op> ops) throws Exception {
        List<Op> shortest = ops;
        boolean shorter = true;
        while (shorter) {
            shorter = false;
            for (int i = 0; i < shortest.size() && !shorter; i++) {
                List<Op> candidate = new ArrayList<>(shortest);
                candidate.remove(i);
                if (difference(logical, seed, candidate) != null) {
                    shortest = candidate;
                    shorter = true;
                }
            }
        }
        return shortest;
    }

    private static List<Op> generate(Random random) {
        int length = 1 + random.nextInt(12);
        List<Op> ops = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            ops.add(new Op(kind, random.nextInt(3), random.nextInt(1000)));
        }
        return ops;
    }

    /** Runs {@code ops} on both connections; returns how they differed, or {@code null}. */
    private static String difference(PostgresEngine engine, long seed, List<Op> ops) throws Exception {
        // Each run its own names: what SET leaves in a pooled session outlives the connection, as in any pool.
        long unique = runs.incrementAndGet();
        String plainRun = "p" + unique;
        String logicalRun = "l" + unique;
        List<String> plain;
        try (Connection connection = cluster.connect("primary")) {
            plain = new Session(connection, plainRun, unique, 0, null).run(ops);
        }
        List<String> logical;
        try (Connection connection = engine.getDataSource().getConnection()) {
            logical = new Session(connection, logicalRun, unique, 1, engine).run(ops);
        }
        if (!plain.equals(logical)) {
            return "answers differ: PgJDBC " + plain + ", logical " + logical;
        }
        for (String node : List.of("primary", "read_replica_1")) {
            int borrowed = engine.node(node).borrowedConnections();
            if (borrowed != 0) {
                return borrowed + " connection(s) of node '" + node + "' still borrowed after close";
            }
        }
        String persistedPlain = persisted(plainRun);
        String persistedLogical = persisted(logicalRun);
        return persistedPlain.equals(persistedLogical) ? null
                : "persisted rows differ: PgJDBC " + persistedPlain + ", logical " + persistedLogical;
    }

    private static String persisted(String run) throws SQLException {
        return String.valueOf(cluster.queryString("primary",
                "SELECT string_agg(value::text, ',' ORDER BY value) FROM conformance WHERE run = '" + run + "'"));
    }

    private enum Kind {
        AUTO_COMMIT_ON, AUTO_COMMIT_OFF, CREATE_STATEMENT, PREPARE_INSERT, INSERT, BATCH, COMMIT, ROLLBACK, SAVEPOINT,
        ROLLBACK_TO_SAVEPOINT, READ_ONLY_ON, READ_ONLY_OFF, SET_SCHEMA, GET_SCHEMA, SET_VARIABLE, SHOW_VARIABLE, LOCK,
        UNLOCK, READ_ON_REPLICA, CLOSE_STATEMENT, COUNT, ISOLATION, SHOW_ISOLATION, UNWRAPPED_AUTO_COMMIT,
        UNWRAPPED_COMMIT, CLOSE_ON_COMPLETION, ABORT
    }

    /** One operation: its kind, a statement slot and a value. */
    private record Op(Kind kind, int slot, int value) {

        @Override
        public String toString() {
            return kind + "(" + slot + "," + value + ")";
        }
    }

    /** One connection running a sequence, with what a reader of the answers needs to compare. */
    private static final class Session {

        private final Connection connection;

        private final String run;

        private final long seed;

        /** Added to lock keys so that the two sides never contend for one lock. */
        private final int side;

        private final boolean logical;

        /** The engine of a logical connection, {@code null} for PgJDBC's. */
        private final @Nullable PostgresEngine engine;

        private final Statement[] slots = new Statement[3];

        private final List<Savepoint> savepoints = new ArrayList<>();

        /** Whether SQL set session state that pins a logical connection (the model of where work may run). */
        private boolean pinned;

        /** Whether the isolation set last is SERIALIZABLE, which a standby refuses. */
        private boolean serializable;

        private boolean aborted;

        Session(Connection connection, String run, long seed, int side, @Nullable PostgresEngine engine) {
            this.connection = connection;
            this.run = run;
            this.seed = seed;
            this.side = side;
            this.logical = engine != null;
            this.engine = engine;
        }

        List<String> run(List<Op> ops) {
            List<String> answers = new ArrayList<>();
            for (Op op : ops) {
                if (aborted) {
                    // After abort every call fails; which way depends on where the driver notices.
                    break;
                }
                try {
                    answers.add(op.kind() + "=" + apply(op));
                }
                catch (SQLException ex) {
                    answers.add(op.kind() + "!" + ex.getSQLState());
                }
                catch (Exception ex) {
                    answers.add(op.kind() + "!" + ex.getClass().getSimpleName());
                }
            }
            try {
                answers.add(aborted ? "aborted, closed=" + connection.isClosed()
                        : "autoCommit=" + connection.getAutoCommit() + ",readOnly=" + connection.isReadOnly());
            }
            catch (SQLException ex) {
                answers.add("state!" + ex.getSQLState());
            }
            return answers;
        }

        private Object apply(Op op) throws Exception {
            switch (op.kind()) {
                case AUTO_COMMIT_ON -> connection.setAutoCommit(true);
                case AUTO_COMMIT_OFF -> connection.setAutoCommit(false);
                case CREATE_STATEMENT -> open(op.slot(), connection.createStatement());
                case PREPARE_INSERT -> open(op.slot(),
                        connection.prepareStatement("INSERT INTO conformance VALUES ('" + run + "', ?)"));
                case INSERT -> {
                    return insert(op.slot(), op.value());
                }
                case BATCH -> {
                    return batch(op.slot(), op.value());
                }
                case COMMIT -> connection.commit();
                case ROLLBACK -> connection.rollback();
                case SAVEPOINT -> savepoints.add(connection.setSavepoint());
                case ROLLBACK_TO_SAVEPOINT -> {
                    if (savepoints.isEmpty()) {
                        return "none";
                    }
                    connection.rollback(savepoints.get(savepoints.size() - 1));
                }
                case READ_ONLY_ON -> connection.setReadOnly(true);
                case READ_ONLY_OFF -> connection.setReadOnly(false);
                case SET_SCHEMA -> connection.setSchema(op.value() % 2 == 0 ? "public" : "conformance_schema");
                case GET_SCHEMA -> {
                    return connection.getSchema();
                }
                case SET_VARIABLE -> {
                    query("SET app.v" + seed + " = '" + op.value() + "'");
                    pinned = true;
                }
                case SHOW_VARIABLE -> {
                    return query("SELECT current_setting('app.v" + seed + "', true)");
                }
                case LOCK -> {
                    String locked = query("SELECT pg_try_advisory_lock(" + (seed * 2 + side) + ")");
                    pinned = true;
                    return locked;
                }
                case UNLOCK -> {
                    return query("SELECT pg_advisory_unlock(" + (seed * 2 + side) + ")");
                }
                case READ_ON_REPLICA -> {
                    return readOnReplica();
                }
                case CLOSE_STATEMENT -> {
                    if (slots[op.slot()] != null) {
                        slots[op.slot()].close();
                        slots[op.slot()] = null;
                    }
                }
                case COUNT -> {
                    return query("SELECT count(*) FROM conformance WHERE run = '" + run + "'");
                }
                case ISOLATION -> {
                    int level = ISOLATIONS[op.value() % ISOLATIONS.length];
                    connection.setTransactionIsolation(level);
                    serializable = level == Connection.TRANSACTION_SERIALIZABLE;
                }
                case SHOW_ISOLATION -> {
                    return connection.getTransactionIsolation() + " " + query("SHOW transaction_isolation");
                }
                case UNWRAPPED_AUTO_COMMIT -> {
                    BaseConnection driver = connection.unwrap(BaseConnection.class);
                    pinned = true;
                    driver.setAutoCommit(op.value() % 2 == 0);
                }
                case UNWRAPPED_COMMIT -> {
                    BaseConnection driver = connection.unwrap(BaseConnection.class);
                    pinned = true;
                    driver.commit();
                }
                case CLOSE_ON_COMPLETION -> {
                    return closeOnCompletion(op.slot());
                }
                case ABORT -> {
                    aborted = true;
                    connection.abort(Runnable::run);
                }
            }
            return "ok";
        }

        /** Executes a query on a plain statement set to close on completion, then closes its result. */
        private Object closeOnCompletion(int slot) throws SQLException {
            Statement statement = slots[slot];
            if (statement == null || statement instanceof PreparedStatement) {
                return "no plain statement";
            }
            statement.closeOnCompletion();
            try (ResultSet result = statement.executeQuery("SELECT count(*) FROM conformance WHERE run = '" + run + "'")) {
                result.next();
            }
            if (statement.isClosed()) {
                slots[slot] = null;
                return "closed";
            }
            return "open";
        }

        private void open(int slot, Statement statement) throws SQLException {
            if (slots[slot] != null) {
                slots[slot].close();
            }
            slots[slot] = statement;
        }

        private Object insert(int slot, int value) throws SQLException {
            Statement statement = slots[slot];
            if (statement == null) {
                return "no statement";
            }
            if (statement instanceof PreparedStatement prepared) {
                prepared.setInt(1, value);
                return prepared.executeUpdate();
            }
            return statement.executeUpdate("INSERT INTO conformance VALUES ('" + run + "', " + value + ")");
        }

        private Object batch(int slot, int value) throws SQLException {
            if (!(slots[slot] instanceof PreparedStatement prepared)) {
                return "no prepared statement";
            }
            prepared.setInt(1, value);
            prepared.addBatch();
            prepared.setInt(1, value + 1);
            prepared.addBatch();
            return prepared.executeBatch().length;
        }

        /**
         * In auto-commit mode, a read bound to the replica: the logical connection must run it on the replica
         * when nothing holds its session (no open statement, no state set through SQL), else on the primary.
         * PgJDBC has no replica: both sides answer whether the read ran where it should.
         */
        private Object readOnReplica() throws Exception {
            if (!connection.getAutoCommit()) {
                return "skipped";
            }
            if (!logical) {
                return true;
            }
            boolean free = !pinned && Arrays.stream(slots).allMatch(s -> s == null);
            int port;
            try {
                port = engine.nodeContext().call("read_replica_1", () -> Integer.parseInt(query(
                        "SELECT inet_server_port()::text")));
            }
            catch (SQLException ex) {
                // The one refusal a caller is promised: a serializable connection's work moving to a standby.
                return free && serializable && "0A000".equals(ex.getSQLState());
            }
            // With read-your-writes on, a free connection's read may go to the primary: the replica had not
            // replayed the session's writes yet.
            boolean movedForItsWrites = free && engine.readYourWrites().isEnabled() && port == cluster.primary().port();
            return movedForItsWrites || port == (free ? cluster.replica(1).port() : cluster.primary().port());
        }

        private String query(String sql) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                if (!statement.execute(sql)) {
                    return "updated";
                }
                try (ResultSet result = statement.getResultSet()) {
                    result.next();
                    return String.valueOf(result.getString(1));
                }
            }
        }
    }
}
