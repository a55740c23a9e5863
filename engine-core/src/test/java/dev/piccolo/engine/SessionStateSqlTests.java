package dev.piccolo.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What statement text leaves in a server session, recognised without a server. */
class SessionStateSqlTests {

    @Test
    void sessionLevelStatementsAreRecognised() {
        assertThat(SessionStateSql.stateSetBy("SET app.tenant = 'alice'")).isEqualTo("SET");
        assertThat(SessionStateSql.stateSetBy("  /* c */ set search_path to s")).isEqualTo("SET");
        assertThat(SessionStateSql.stateSetBy("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")).isEqualTo("SET");
        assertThat(SessionStateSql.stateSetBy("RESET ALL")).isEqualTo("RESET");
        assertThat(SessionStateSql.stateSetBy("LISTEN jobs")).isEqualTo("LISTEN");
        assertThat(SessionStateSql.stateSetBy("PREPARE q AS SELECT 1")).isEqualTo("a prepared statement (PREPARE)");
        assertThat(SessionStateSql.stateSetBy("DECLARE c CURSOR WITH HOLD FOR SELECT 1")).isEqualTo("a cursor WITH HOLD");
        assertThat(SessionStateSql.stateSetBy("CREATE TEMP TABLE t (id int)")).isEqualTo("a temporary table");
        assertThat(SessionStateSql.stateSetBy("create global temporary table t (id int)")).isEqualTo("a temporary table");
        assertThat(SessionStateSql.stateSetBy("SELECT * INTO TEMP t FROM x")).isEqualTo("a temporary table");
        assertThat(SessionStateSql.stateSetBy("SELECT pg_advisory_lock(1)")).isEqualTo("an advisory lock");
        assertThat(SessionStateSql.stateSetBy("select PG_TRY_ADVISORY_LOCK(?)")).isEqualTo("an advisory lock");
        assertThat(SessionStateSql.stateSetBy("SELECT set_config('app.t', ?, false)")).isEqualTo("set_config(..., false)");
        assertThat(SessionStateSql.stateSetBy("SELECT 1; SET x.y = 1")).isEqualTo("SET");
        assertThat(SessionStateSql.stateSetBy("SELECT set_config('app.t', 'v', 'false')")).isEqualTo("set_config(..., false)");
        assertThat(SessionStateSql.stateSetBy("SELECT set_config(?, ?, ?)")).isEqualTo("set_config(..., false)");
        assertThat(SessionStateSql.stateSetBy("SELECT set_config('a', '1', true), set_config('b', '2', false)"))
                .isEqualTo("set_config(..., false)");
        assertThat(SessionStateSql.stateSetBy("CREATE TABLE pg_temp.scratch (id int)")).isEqualTo("a temporary table");
        assertThat(SessionStateSql.stateSetBy("SELECT 1 AS v INTO pg_temp.scratch")).isEqualTo("a temporary table");
        assertThat(SessionStateSql.stateSetBy("SELECT set_config('a', 'b', false), set_config('c', 'd', true)"))
                .isEqualTo("set_config(..., false)");
        assertThat(SessionStateSql.stateSetBy("UPDATE t SET x = set_config('a', f(1, 2), false) WHERE ok IS TRUE"))
                .isEqualTo("set_config(..., false)");
        assertThat(SessionStateSql.stateSetBy("SELECT E'it\\'s'; SET x.y = 1")).isEqualTo("SET");
        assertThat(SessionStateSql.stateSetBy("WITH w AS (SELECT 1) SELECT * INTO TEMP t FROM w")).isEqualTo("a temporary table");
    }

    @Test
    void transactionScopedAndOrdinaryStatementsAreNot() {
        assertThat(SessionStateSql.stateSetBy("SET LOCAL app.tenant = 'alice'")).isNull();
        assertThat(SessionStateSql.stateSetBy("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")).isNull();
        assertThat(SessionStateSql.stateSetBy("SET CONSTRAINTS ALL DEFERRED")).isNull();
        assertThat(SessionStateSql.stateSetBy("UPDATE t SET temp = 1 WHERE id = ?")).isNull();
        assertThat(SessionStateSql.stateSetBy("SELECT temp, reading FROM weather")).isNull();
        assertThat(SessionStateSql.stateSetBy("SELECT pg_advisory_xact_lock(1)")).isNull();
        assertThat(SessionStateSql.stateSetBy("SELECT set_config('app.t', ?, true)")).isNull();
        assertThat(SessionStateSql.stateSetBy("SELECT set_config('a', concat('x', ','), TRUE), 'set_config'")).isNull();
        assertThat(SessionStateSql.stateSetBy("SELECT 'SET x = 1' -- LISTEN y")).isNull();
        assertThat(SessionStateSql.stateSetBy("DECLARE c CURSOR FOR SELECT 1")).isNull();
        assertThat(SessionStateSql.stateSetBy("PREPARE TRANSACTION 'x'")).isNull();
        assertThat(SessionStateSql.stateSetBy("DO $$ BEGIN PERFORM pg_advisory_lock(1); END $$")).isNull();
        assertThat(SessionStateSql.stateSetBy("INSERT INTO temp (reading) VALUES (1)")).isNull();
        assertThat(SessionStateSql.stateSetBy("SELECT E'\\'; SET x = 1 '")).isNull();
        assertThat(SessionStateSql.stateSetBy("SELECT E'a''b SET x = 1'")).isNull();
        assertThat(SessionStateSql.stateSetBy(null)).isNull();
    }
}
