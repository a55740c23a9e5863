package dev.piccolo.engine;

import java.util.List;
import java.util.Map;

import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import ch.qos.logback.classic.Level;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(PostgresClusterExtension.class)
class QueryLoggingTests {

    private static final String QUERY_LOGGER = "dev.piccolo.engine.query";

    @Test
    void logQueriesLogsEachStatementWithNodeAndIdAndParametersApart(PostgresCluster cluster) throws Exception {
        try (PostgresEngine engine = engine(cluster, true, false); LogCapture logs = new LogCapture()) {
            JdbcTemplate jdbc = new JdbcTemplate(engine.getDataSource());
            engine.nodeContext().run("read_replica_1",
                    () -> jdbc.queryForObject("SELECT ?::int + 1", Integer.class, 41));

            List<String> lines = logs.messages(QUERY_LOGGER, Level.INFO);
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).matches("Query \\d+ on node read_replica_1: SELECT \\?::int \\+ 1");
            String id = lines.get(0).split(" ")[1];
            assertThat(lines.get(1)).isEqualTo("Query " + id + " parameters: [1=41]");
        }
    }

    @Test
    void ddlIsLoggedAndIdsCountUpAcrossNodes(PostgresCluster cluster) {
        try (PostgresEngine engine = engine(cluster, true, false); LogCapture logs = new LogCapture()) {
            JdbcTemplate jdbc = new JdbcTemplate(engine.getDataSource());
            jdbc.execute("CREATE TABLE IF NOT EXISTS logged_ddl (id int)");
            engine.nodeContext().run("read_replica_1", () -> jdbc.execute("SELECT 1"));

            List<String> lines = logs.messages(QUERY_LOGGER, Level.INFO);
            assertThat(lines).hasSize(2);
            long first = Long.parseLong(lines.get(0).split(" ")[1]);
            assertThat(lines.get(0)).endsWith("on node primary: CREATE TABLE IF NOT EXISTS logged_ddl (id int)");
            assertThat(lines.get(1)).isEqualTo("Query " + (first + 1) + " on node read_replica_1: SELECT 1");
        }
    }

    @Test
    void logResponsesLogsRowsNodeIdAndElapsedTime(PostgresCluster cluster) {
        try (PostgresEngine engine = engine(cluster, false, true); LogCapture logs = new LogCapture()) {
            JdbcTemplate jdbc = new JdbcTemplate(engine.getDataSource());
            List<Map<String, Object>> rows = jdbc.queryForList("SELECT n, 'row ' || n AS label FROM "
                    + "generate_series(1, 2) AS n");

            assertThat(rows).hasSize(2);
            assertThat(logs.messages(QUERY_LOGGER, Level.INFO)).singleElement().asString()
                    .matches("Query \\d+ response on node primary in \\d+ ms: 2 row\\(s\\) "
                            + "\\[\\{n=1, label=row 1}, \\{n=2, label=row 2}]");
        }
    }

    @Test
    void longResponsesAreCutAtOneHundredRowsWithACountOfTheRest(PostgresCluster cluster) {
        try (PostgresEngine engine = engine(cluster, false, true); LogCapture logs = new LogCapture()) {
            new JdbcTemplate(engine.getDataSource()).queryForList("SELECT n FROM generate_series(1, 150) AS n");

            String line = logs.messages(QUERY_LOGGER, Level.INFO).get(0);
            assertThat(line).contains("150 row(s)").contains("{n=100}").doesNotContain("{n=101}")
                    .endsWith("(and 50 more)");
        }
    }

    @Test
    void updatesLogTheirAffectedRowCount(PostgresCluster cluster) {
        try (PostgresEngine engine = engine(cluster, false, true); LogCapture logs = new LogCapture()) {
            JdbcTemplate jdbc = new JdbcTemplate(engine.getDataSource());
            jdbc.execute("CREATE TABLE IF NOT EXISTS logged_updates (id int)");
            jdbc.update("INSERT INTO logged_updates SELECT generate_series(1, 3)");

            assertThat(logs.messages(QUERY_LOGGER, Level.INFO)).last().asString()
                    .matches("Query \\d+ response on node primary in \\d+ ms: 3 row\\(s\\) affected");
        }
    }

    @Test
    void withBothFlagsOffTheDataSourceIsNotWrapped(PostgresCluster cluster) {
        try (PostgresEngine engine = engine(cluster, false, false);
                PostgresEngine logging = engine(cluster, true, false)) {
            assertThat(engine.node("primary").dataSource()).isNotInstanceOf(ProxyDataSource.class);
            assertThat(logging.node("primary").dataSource()).isInstanceOf(ProxyDataSource.class);
        }
    }

    @Test
    void passwordAppearsInNoLogLineExceptionOrToStringEvenAtTrace(PostgresCluster cluster) {
        String password = cluster.primary().password();
        try (LogCapture logs = new LogCapture()) {
            try (PostgresEngine engine = engine(cluster, true, true)) {
                engine.startConnectionPool(PoolOptions.builder().maxSize(1).build());
                new JdbcTemplate(engine.getDataSource()).queryForList("SELECT current_user");
                assertThat(engine.toString()).doesNotContain(password);
                assertThat(engine.node("primary").config().toString()).doesNotContain(password);
                assertThat(engine.node("primary").pool().orElseThrow().toString()).doesNotContain(password);
            }
            Map<String, String> wrong = cluster.primary().config("x");
            wrong.put("password", password + "-wrong");
            assertThatExceptionOfType(NodeUnavailableException.class).isThrownBy(() -> PostgresEngine.builder(
                    NodeConfig.builder().config(wrong).logQueries(true).logResponses(true).build()).build().start())
                    .satisfies(ex -> assertThat(ex).message().doesNotContain(password));

            assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(password));
        }
    }

    @Test
    void withoutValuesStatementsAndCountsAreLoggedButNeitherParametersNorRows(PostgresCluster cluster) {
        String secret = "personal-" + System.nanoTime();
        try (PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder()
                .config(cluster.primary().config(PostgresCluster.newApplicationName())).extensions()
                .logQueries(true).logResponses(true).logValues(false).build()).build().start();
                LogCapture logs = new LogCapture()) {
            new JdbcTemplate(engine.getDataSource()).queryForList("SELECT ?::text AS who", secret);

            List<String> lines = logs.messages(QUERY_LOGGER, Level.INFO);
            assertThat(lines).hasSize(3).noneMatch(line -> line.contains(secret));
            assertThat(lines.get(1)).endsWith("has 1 parameter(s), values not logged");
            assertThat(lines.get(2)).endsWith(": 1 row(s)");
        }
    }

    @Test
    void binaryValuesShowTheirSizeNotAnArrayIdentity(PostgresCluster cluster) {
        try (PostgresEngine engine = engine(cluster, true, true); LogCapture logs = new LogCapture()) {
            new JdbcTemplate(engine.getDataSource()).queryForList("SELECT ?::bytea AS data", (Object) new byte[16]);

            List<String> lines = logs.messages(QUERY_LOGGER, Level.INFO);
            assertThat(lines.get(1)).endsWith("parameters: [1=<16 bytes>]");
            assertThat(lines.get(2)).endsWith("[{data=<16 bytes>}]");
            assertThat(lines).noneMatch(line -> line.contains("[B@"));
        }
    }

    private static PostgresEngine engine(PostgresCluster cluster, boolean logQueries, boolean logResponses) {
        String application = PostgresCluster.newApplicationName();
        return PostgresEngine.builder(NodeConfig.builder().config(cluster.primary().config(application))
                .logQueries(logQueries).logResponses(logResponses).extensions().build())
                .extraNode("read_replica_1", NodeConfig.builder().config(cluster.replica(1).config(application))
                        .logQueries(logQueries).logResponses(logResponses).build())
                .build().start();
    }
}
