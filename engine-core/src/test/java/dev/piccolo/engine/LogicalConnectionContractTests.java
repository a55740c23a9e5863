package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The logical connection keeps the JDBC promises a plain PgJDBC connection keeps, used the way MyBatis,
 * batch jobs and hand-written DAOs use connections: statements kept across commits, settings made through
 * SQL, {@code unwrap}, {@code abort}. Each test is one way it broke; rows are counted from a separate
 * plain connection, servers told apart by port.
 */
@ExtendWith(PostgresClusterExtension.class)
class LogicalConnectionContractTests {

    private static PostgresCluster cluster;

    private PostgresEngine engine;

    private String run;

    @BeforeAll
    static void table(PostgresCluster shared) throws SQLException {
        cluster = shared;
        try (Connection connection = cluster.connect("primary"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS contract (run text, value int)");
            statement.execute("CREATE SCHEMA IF NOT EXISTS contract_schema");
            statement.execute("CREATE OR REPLACE FUNCTION contract_lock() RETURNS void LANGUAGE sql "
                    + "AS $$ SELECT pg_advisory_lock(777) $$");
        }
        cluster.awaitReplication();
    }

    @AfterEach
    void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    private PostgresEngine pooled(int maxSize) {
        run = PostgresCluster.newApplicationName();
        engine = TestNodes.engine(cluster, run).startupChecks(false).build();
        engine.startConnectionPool(PoolOptions.builder().maxSize(maxSize).build());
        return engine;
    }

    @Test
    void aPreparedStatementReusedAcrossCommitsLosesNoCommit() throws SQLException {
        pooled(2);
        try (Connection connection = engine.getDataSource().getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO contract VALUES (?, ?)")) {
            connection.setAutoCommit(false);
            for (int round = 0; round < 3; round++) {
                insert.setString(1, run);
                insert.setInt(2, round);
                insert.executeUpdate();
                connection.commit();
            }
        }
        assertThat(rows()).isEqualTo(3);
    }

    @Test
    void aStatementMadeBeforeAutoCommitWasSwitchedOffIsUndoneByRollback() throws SQLException {
        pooled(2);
        try (Connection connection = engine.getDataSource().getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.executeUpdate("INSERT INTO contract VALUES ('" + run + "', 1)");
            connection.rollback();
            statement.executeUpdate("INSERT INTO contract VALUES ('" + run + "', 2)");
        }
        assertThat(rows()).as("the second insert was never committed, and closing rolls it back").isZero();
    }

    @Test
    void sessionStateSetThroughSqlStaysWithItsCallerAndReachesNoOtherBorrower() throws Exception {
        pooled(2);
        try (Connection held = engine.getDataSource().getConnection()) {
            held.setSchema("contract_schema");
            execute(held, "SET app.tenant = 'alice'");
            assertThat(queryString(held, "SELECT pg_advisory_lock(4242)::text")).isEmpty();
            int heldPid = Integer.parseInt(queryString(held, "SELECT pg_backend_pid()::text"));

            int portForReplica = engine.nodeContext().call("read_replica_1",
                    () -> Integer.parseInt(queryString(held, "SELECT inet_server_port()::text")));
            String otherBorrower;
            try (Connection other = engine.getDataSource().getConnection()) {
                otherBorrower = queryString(other, "SELECT pg_backend_pid() || ',' || "
                        + "coalesce(current_setting('app.tenant', true), '') || ',' || current_schema()");
            }

            assertThat(portForReplica).as("the pinned session serves, as inside a transaction")
                    .isEqualTo(cluster.primary().port());
            assertThat(queryString(held, "SELECT current_schema()")).isEqualTo("contract_schema");
            assertThat(queryString(held, "SELECT current_setting('app.tenant')")).isEqualTo("alice");
            assertThat(queryString(held, "SELECT pg_advisory_unlock(4242)::text")).isEqualTo("true");
            assertThat(otherBorrower).isNotEqualTo(heldPid + ",alice,contract_schema").doesNotContain("alice");
        }
    }

    @Test
    void aSessionVariableSetWithSetConfigPinsTheSession() throws Exception {
        pooled(2);
        try (Connection held = engine.getDataSource().getConnection()) {
            queryString(held, "SELECT set_config('app.tenant', 'bob', false)");
            int port = engine.nodeContext().call("read_replica_1",
                    () -> Integer.parseInt(queryString(held, "SELECT inet_server_port()::text")));

            assertThat(port).isEqualTo(cluster.primary().port());
            assertThat(queryString(held, "SELECT current_setting('app.tenant')")).isEqualTo("bob");
        }
    }

    @Test
    void aLockTakenInsideAServerFunctionIsFoundBeforeASwap() throws Exception {
        pooled(2);
        try (Connection held = engine.getDataSource().getConnection()) {
            queryString(held, "SELECT contract_lock()::text");
            int port = engine.nodeContext().call("read_replica_1",
                    () -> Integer.parseInt(queryString(held, "SELECT inet_server_port()::text")));

            assertThat(port).isEqualTo(cluster.primary().port());
            assertThat(queryString(held, "SELECT pg_advisory_unlock(777)::text")).isEqualTo("true");
        }
    }

    @Test
    void aConnectionWithNoSessionStateStillFollowsTheRequestAtEachUnitOfWork() throws Exception {
        pooled(2);
        try (Connection held = engine.getDataSource().getConnection()) {
            queryString(held, "SELECT set_config('app.tenant', 'carol', true)");
            int port = engine.nodeContext().call("read_replica_1",
                    () -> Integer.parseInt(queryString(held, "SELECT inet_server_port()::text")));

            assertThat(port).isEqualTo(cluster.replica(1).port());
        }
    }

    @Test
    void anUnwrappedDriverConnectionPinsTheSessionAndIsRefusedOnceTheConnectionCloses() throws Exception {
        pooled(2);
        PGConnection unwrapped;
        try (Connection held = engine.getDataSource().getConnection()) {
            unwrapped = held.unwrap(PGConnection.class);
            int pid = unwrapped.getBackendPID();
            int port = engine.nodeContext().call("read_replica_1",
                    () -> Integer.parseInt(queryString(held, "SELECT inet_server_port()::text")));

            assertThat(port).isEqualTo(cluster.primary().port());
            assertThat(queryString(held, "SELECT pg_backend_pid()::text")).isEqualTo(Integer.toString(pid));
        }
        PGConnection closed = unwrapped;
        assertThatExceptionOfType(SQLException.class).isThrownBy(closed::getNotifications)
                .satisfies(ex -> assertThat(ex.getSQLState()).isEqualTo("08003"));
    }

    @Test
    void aReadOnlyTransactionLeavesNoReadOnlyServerConnectionForTheNextBorrower() throws SQLException {
        pooled(1);
        try (Connection reader = engine.getDataSource().getConnection()) {
            reader.setReadOnly(true);
            reader.setAutoCommit(false);
            queryString(reader, "SELECT 1");
            reader.commit();
        }
        try (Connection writer = engine.getDataSource().getConnection()) {
            execute(writer, "INSERT INTO contract VALUES ('" + run + "', 1)");
        }
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void anEmptyTransactionForTheReplicaLeavesNothingBehind() throws Exception {
        pooled(2);
        try (Connection held = engine.getDataSource().getConnection()) {
            engine.nodeContext().run("read_replica_1", () -> {
                try {
                    held.setAutoCommit(false);
                    held.commit();
                    held.setAutoCommit(true);
                }
                catch (SQLException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            execute(held, "INSERT INTO contract VALUES ('" + run + "', 1)");
        }
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void abortReturnsThePoolSlot() throws SQLException {
        pooled(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Connection aborted = engine.getDataSource().getConnection();
            queryString(aborted, "SELECT 1");
            aborted.abort(executor);
            assertThat(aborted.isClosed()).isTrue();

            try (Connection next = engine.getDataSource().getConnection()) {
                assertThat(queryString(next, "SELECT 'served'")).isEqualTo("served");
            }
        }
        finally {
            executor.shutdown();
        }
    }

    @Test
    void abortBeforeThePoolsOpenReturnsTheUnpooledPermit() throws SQLException {
        run = PostgresCluster.newApplicationName();
        engine = TestNodes.engine(cluster, run).startupChecks(false).build();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            List<Connection> aborted = new ArrayList<>();
            // More than the unpooled limit (the pool's max-size, 10): each abort must give its permit back.
            for (int i = 0; i < 12; i++) {
                Connection connection = engine.getDataSource().getConnection();
                queryString(connection, "SELECT 1");
                connection.abort(executor);
                aborted.add(connection);
            }
            assertThat(aborted).allMatch(this::isClosed);
        }
        finally {
            executor.shutdown();
        }
        TestNodes.awaitConnections(cluster, "primary", run, 0);
    }

    @Test
    void autoCommitIsThePoolsSettingBeforeAndAfterThePoolsOpen() throws SQLException {
        run = PostgresCluster.newApplicationName();
        PoolOptions manual = PoolOptions.builder().maxSize(2).hikari(config -> config.setAutoCommit(false)).build();
        engine = PostgresEngine.builder(NodeConfig.builder().config(cluster.primary().config(run)).pool(manual).build())
                .startupChecks(false).build();
        boolean before;
        try (Connection connection = engine.getDataSource().getConnection()) {
            before = connection.getAutoCommit();
        }
        engine.startConnectionPool(manual);
        try (Connection connection = engine.getDataSource().getConnection()) {
            assertThat(List.of(before, connection.getAutoCommit())).containsExactly(false, false);
        }
    }

    @Test
    void statementsAndMetadataAnswerTheLogicalConnection() throws SQLException {
        pooled(2);
        try (Connection connection = engine.getDataSource().getConnection();
                Statement statement = connection.createStatement();
                PreparedStatement prepared = connection.prepareStatement("SELECT 1")) {
            DatabaseMetaData metaData = connection.getMetaData();

            assertThat(statement.getConnection()).isSameAs(connection);
            assertThat(prepared.getConnection()).isSameAs(connection);
            assertThat(metaData.getConnection()).isSameAs(connection);
            assertThat(metaData.getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
    }

    @Test
    void isValidNeitherThrowsNorTakesAConnection() throws Exception {
        pooled(2);
        try (Connection connection = engine.getDataSource().getConnection();
                NodeContext.Scope scope = engine.nodeContext().propagate("no_such_node")) {
            assertThat(connection.isValid(1)).isTrue();
            assertThat(engine.node("primary").borrowedConnections()).isZero();
        }
    }

    @Test
    void serializableIsRefusedByNameWhenTheWorkMovesToAStandby() throws Exception {
        pooled(2);
        try (Connection held = engine.getDataSource().getConnection()) {
            held.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            queryString(held, "SELECT 1");
            assertThatExceptionOfType(SQLException.class).isThrownBy(() -> engine.nodeContext().call(
                    "read_replica_1", () -> queryString(held, "SELECT 1")))
                    .withMessageContaining("Node 'read_replica_1' is a standby")
                    .withMessageContaining("REPEATABLE READ");
        }
    }

    @Test
    void threadsRacingForTheFirstServerConnectionLeakNone() throws Exception {
        pooled(4);
        for (int attempt = 0; attempt < 50; attempt++) {
            Connection shared = engine.getDataSource().getConnection();
            CompletableFuture<?> first = CompletableFuture.runAsync(() -> touch(shared));
            CompletableFuture<?> second = CompletableFuture.runAsync(() -> touch(shared));
            CompletableFuture.allOf(first, second).join();
            shared.close();
        }
        assertThat(engine.node("primary").borrowedConnections()).isZero();
    }

    @Test
    void observationsNameTheNodeThatExecutedTheStatement() throws Exception {
        pooled(2);
        try (Connection connection = engine.getDataSource().getConnection()) {
            String served = engine.nodeContext().call("read_replica_1", () -> {
                try (Statement statement = connection.createStatement()) {
                    engine.nodeContext().call(PostgresEngine.PRIMARY, () -> statement.execute("SELECT 1"));
                    return engine.nodeContext().lastServedNode().orElseThrow();
                }
            });
            assertThat(served).isEqualTo("read_replica_1");
        }
    }

    @Test
    void changingIsolationInsideATransactionIsRefusedAndCommitsNothing() throws SQLException {
        pooled(2);
        try (Connection connection = engine.getDataSource().getConnection()) {
            connection.setAutoCommit(false);
            execute(connection, "INSERT INTO contract VALUES ('" + run + "', 1)");
            assertThatExceptionOfType(SQLException.class)
                    .isThrownBy(() -> connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE));
            connection.rollback();
        }
        assertThat(rows()).isZero();
    }

    @Test
    void serializableAfterAUnitOnTheReplicaIsForTheNextUnitOfWork() throws Exception {
        pooled(2);
        try (Connection connection = engine.getDataSource().getConnection()) {
            engine.nodeContext().call("read_replica_1", () -> queryString(connection, "SELECT 1"));
            connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            connection.setAutoCommit(false);

            assertThat(queryString(connection, "SELECT inet_server_port() || ' ' || current_setting('transaction_isolation')"))
                    .isEqualTo(cluster.primary().port() + " serializable");
            connection.commit();
        }
    }

    @Test
    void jdbcCallsOnAnUnwrappedDriverConnectionAreTheLogicalConnections() throws SQLException {
        pooled(2);
        try (Connection connection = engine.getDataSource().getConnection()) {
            BaseConnection driver = connection.unwrap(BaseConnection.class);
            driver.setAutoCommit(false);
            execute(connection, "INSERT INTO contract VALUES ('" + run + "', 1)");

            assertThat(connection.getAutoCommit()).isFalse();
            driver.rollback();
            execute(connection, "INSERT INTO contract VALUES ('" + run + "', 2)");
            driver.commit();
            assertThat(driver.getBackendPID()).isPositive();
        }
        assertThat(cluster.queryString("primary", "SELECT string_agg(value::text, ',') FROM contract WHERE run = '"
                + run + "'")).isEqualTo("2");
    }

    @Test
    void abortThroughAnExecutorThatRefusesStillReturnsThePoolSlot() throws SQLException {
        pooled(1);
        Connection aborted = engine.getDataSource().getConnection();
        queryString(aborted, "SELECT 1");
        assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> aborted.abort(task -> {
            throw new RejectedExecutionException("shut down");
        }));
        try (Connection next = engine.getDataSource().getConnection()) {
            assertThat(queryString(next, "SELECT 'served'")).isEqualTo("served");
        }
    }

    @Test
    void abortDoesNotWaitForTheThreadStuckInABorrow() throws Exception {
        run = PostgresCluster.newApplicationName();
        engine = TestNodes.engine(cluster, run).startupChecks(false).build();
        engine.startConnectionPool(PoolOptions.builder().maxSize(1)
                .hikari(config -> config.setConnectionTimeout(30_000)).build());
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Connection occupying = engine.getDataSource().getConnection()) {
            queryString(occupying, "SELECT 1");
            Connection waiting = engine.getDataSource().getConnection();
            Future<?> borrowing = threads.submit(() -> touch(waiting));
            await().until(() -> engine.node("primary").poolStatistics().orElseThrow().waiting() == 1);

            threads.submit(() -> {
                waiting.abort(Runnable::run);
                return null;
            }).get(10, TimeUnit.SECONDS);

            assertThat(borrowing).isNotDone();
            assertThat(waiting.isClosed()).isTrue();
        }
        finally {
            threads.shutdownNow();
        }
        await().until(() -> engine.node("primary").borrowedConnections() == 0);
    }

    @Test
    void aStatementThatClosesOnCompletionNoLongerHoldsTheSession() throws Exception {
        pooled(2);
        try (Connection connection = engine.getDataSource().getConnection()) {
            Statement statement = closedOnCompletion(connection);
            int port = engine.nodeContext().call("read_replica_1",
                    () -> Integer.parseInt(queryString(connection, "SELECT inet_server_port()::text")));

            assertThat(statement.isClosed()).isTrue();
            assertThat(port).isEqualTo(cluster.replica(1).port());
        }
    }

    @Test
    void notificationsReceivedBeforeCloseReachNoOtherBorrower() throws SQLException {
        pooled(1);
        try (Connection listening = engine.getDataSource().getConnection()) {
            execute(listening, "LISTEN contract_channel");
            try (Connection other = cluster.connect("primary")) {
                execute(other, "NOTIFY contract_channel, 'for the listener'");
            }
            // The driver takes the notification in with the answer to the next query and keeps it queued.
            queryString(listening, "SELECT 1");
        }
        try (Connection next = engine.getDataSource().getConnection()) {
            queryString(next, "SELECT 1");
            assertThat(next.unwrap(PGConnection.class).getNotifications()).isEmpty();
        }
    }

    @Test
    void theSearchPathComesBackAsItWasNotAsTheSchemaItResolvedTo() throws SQLException {
        pooled(1);
        String before;
        try (Connection first = engine.getDataSource().getConnection()) {
            before = queryString(first, "SHOW search_path");
        }
        try (Connection changing = engine.getDataSource().getConnection()) {
            changing.setSchema("contract_schema");
            assertThat(changing.getSchema()).isEqualTo("contract_schema");
        }
        try (Connection next = engine.getDataSource().getConnection()) {
            assertThat(queryString(next, "SHOW search_path")).isEqualTo(before).contains("$user");
        }
    }

    @Test
    void aSchemaCarriedToAnotherNodeSurvivesARollbackWithThePoolInManualCommitMode() throws Exception {
        run = PostgresCluster.newApplicationName();
        PoolOptions manual = PoolOptions.builder().maxSize(2).hikari(config -> config.setAutoCommit(false)).build();
        engine = TestNodes.engine(cluster, run).startupChecks(false).build();
        engine.startConnectionPool(manual);
        try (Connection connection = engine.getDataSource().getConnection()) {
            connection.setSchema("contract_schema");
            connection.commit();
            String onReplica = engine.nodeContext().call("read_replica_1", () -> {
                String schema = queryString(connection, "SELECT inet_server_port() || ' ' || current_schema()");
                connection.rollback();
                return schema;
            });

            assertThat(onReplica).isEqualTo(cluster.replica(1).port() + " contract_schema");
            assertThat(connection.getSchema()).isEqualTo("contract_schema");
        }
    }

    @Test
    void closingAfterAnAbortWhoseTaskNeverRanReturnsThePoolSlot() throws SQLException {
        pooled(1);
        Connection aborted = engine.getDataSource().getConnection();
        queryString(aborted, "SELECT 1");
        List<Runnable> neverRun = new ArrayList<>();
        aborted.abort(neverRun::add);
        aborted.close();
        try (Connection next = engine.getDataSource().getConnection()) {
            assertThat(queryString(next, "SELECT 'served'")).isEqualTo("served");
        }
    }

    @Test
    void aRolledBackSchemaChangeLeavesTheSearchPathAsItWasForTheNextNode() throws Exception {
        pooled(2);
        try (Connection connection = engine.getDataSource().getConnection()) {
            String before = queryString(connection, "SHOW search_path");
            connection.setAutoCommit(false);
            connection.setSchema("contract_schema");
            connection.rollback();
            connection.setAutoCommit(true);

            assertThat(engine.nodeContext().call("read_replica_1", () -> queryString(connection, "SHOW search_path")))
                    .isEqualTo(before);
        }
    }

    @Test
    void aStatementClosedOnCompletionFailsWithoutRouting() throws Exception {
        pooled(2);
        try (Connection connection = engine.getDataSource().getConnection()) {
            Statement statement = closedOnCompletion(connection);
            assertThatExceptionOfType(SQLException.class).isThrownBy(() -> engine.nodeContext()
                    .call("read_replica_1", () -> statement.executeQuery("SELECT 1")));
            assertThat(engine.node("read_replica_1").borrowedConnections()).isZero();
        }
    }

    /** A statement set to close on completion whose one result set was read and closed: closed by the driver. */
    private static Statement closedOnCompletion(Connection connection) throws SQLException {
        Statement statement = connection.createStatement();
        statement.closeOnCompletion();
        try (ResultSet result = statement.executeQuery("SELECT 1")) {
            result.next();
        }
        return statement;
    }

    private boolean isClosed(Connection connection) {
        try {
            return connection.isClosed();
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void touch(Connection connection) {
        try {
            connection.getMetaData().getURL();
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private int rows() throws SQLException {
        return Integer.parseInt(cluster.queryString("primary", "SELECT count(*) FROM contract WHERE run = '" + run + "'"));
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String queryString(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }
}
