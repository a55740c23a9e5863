package dev.piccolo.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cases of the interleaved rounds: {@code SELECT 1} on the replica through every path, against a raw
 * pool and against {@code pgbench}; a primary-key lookup on the replica, routed and raw; a primary-key
 * lookup, a two-table join and JPA's {@code findById} through {@code @UseNode}, against {@code pgbench -M
 * prepared} running the same statements; and read-your-writes on and off.
 */
final class SelectOneCases {

    static final List<Integer> CLIENT_COUNTS = List.of(1, 4, 16);

    static final String PGBENCH_EXTENDED = "pgbench -M extended";

    static final String PGBENCH_PREPARED = "pgbench -M prepared";

    static final String RAW = "raw HikariCP";

    static final String ROUTED = "routed, node bound via NodeContext";

    static final String RAW_PRIMARY_KEY = "raw HikariCP, PK lookup";

    static final String ROUTED_PRIMARY_KEY = "routed via NodeContext, PK lookup";

    static final String USE_NODE = "@UseNode + JdbcTemplate";

    static final String RAW_JDBC_TEMPLATE = "raw HikariCP + JdbcTemplate";

    static final String DYNAMIC_DATASOURCE = "@DS + JdbcTemplate";

    static final String USE_NODE_PRIMARY_KEY = "@UseNode + JdbcTemplate, PK lookup";

    static final String USE_NODE_JOIN = "@UseNode + JdbcTemplate, join";

    static final String USE_NODE_JPA = "@UseNode + Spring Data JPA findById";

    static final String PGBENCH_PREPARED_PRIMARY_KEY = "pgbench -M prepared, PK lookup";

    static final String PGBENCH_PREPARED_JOIN = "pgbench -M prepared, join";

    static final String RYW_READ_OFF = "read-your-writes off: replica read";

    static final String RYW_READ_ON = "read-your-writes on: replica read";

    static final String RYW_WRITE_READ_OFF = "read-your-writes off: insert, then replica read";

    static final String RYW_WRITE_READ_ON = "read-your-writes on: insert, then replica read";

    static final String RYW_TX_WRITE_READ_OFF = "read-your-writes off: insert in a transaction, then replica read";

    static final String RYW_TX_WRITE_READ_ON = "read-your-writes on: insert in a transaction, then replica read";

    /** Read-your-writes on, a replica read whose token is ahead of every server (forged, or from a buggy client). */
    static final String RYW_FORGED_TOKEN = "read-your-writes on: replica read, forged token";

    /** The control: the raw pool measured again at the other end of each round. */
    static final String RAW_AGAIN = "raw HikariCP, again (control)";

    /** Where the read-your-writes cases run: as many clients as cores and then some, the middle count. */
    static final int READ_YOUR_WRITES_CLIENTS = 4;

    /** The Spring cases' goals are set at 1 and 4 clients; at 16 they would add minutes and say nothing new. */
    private static final Set<Integer> SPRING_CLIENT_COUNTS = Set.of(1, 4);

    private static final Duration PGBENCH_TIME = Duration.ofSeconds(5);

    private SelectOneCases() {
    }

    /**
     * Lists the cases in the order of a round: the raw pool first, its control last.
     *
     * @param jvmArguments the cluster's coordinates for JMH's forks
     * @param pgbench PostgreSQL's client, when the cluster's installation has it
     */
    static List<InterleavedRounds.Case> all(List<String> jvmArguments, Optional<Pgbench> pgbench) {
        Set<Integer> every = Set.copyOf(CLIENT_COUNTS);
        Set<Integer> spring = SPRING_CLIENT_COUNTS;
        Set<Integer> readYourWrites = Set.of(READ_YOUR_WRITES_CLIENTS);
        InterleavedRounds.Throughput raw = plainJdbc(jvmArguments, "rawHikariReplica", JdbcQuery.SELECT_ONE);
        List<InterleavedRounds.Case> cases = new ArrayList<>();
        cases.add(new InterleavedRounds.Case(RAW, raw, every));
        cases.add(new InterleavedRounds.Case(ROUTED, plainJdbc(jvmArguments, "routedReplica", JdbcQuery.SELECT_ONE),
                every));
        cases.add(new InterleavedRounds.Case(RAW_PRIMARY_KEY,
                plainJdbc(jvmArguments, "rawHikariReplica", JdbcQuery.PRIMARY_KEY_LOOKUP), every));
        cases.add(new InterleavedRounds.Case(ROUTED_PRIMARY_KEY,
                plainJdbc(jvmArguments, "routedReplica", JdbcQuery.PRIMARY_KEY_LOOKUP), every));
        cases.add(springCase(jvmArguments, USE_NODE, "selectOneUseNode"));
        cases.add(springCase(jvmArguments, RAW_JDBC_TEMPLATE, "selectOneRawHikari"));
        cases.add(springCase(jvmArguments, DYNAMIC_DATASOURCE, "selectOneDynamicDatasource"));
        cases.add(springCase(jvmArguments, USE_NODE_PRIMARY_KEY, "findByIdUseNode"));
        cases.add(springCase(jvmArguments, USE_NODE_JOIN, "joinUseNode"));
        cases.add(springCase(jvmArguments, USE_NODE_JPA, "jpaFindByIdUseNode"));
        pgbench.ifPresent(client -> {
            cases.add(pgbench(client, PGBENCH_EXTENDED, Pgbench.Script.SELECT_ONE, "extended", every));
            cases.add(pgbench(client, PGBENCH_PREPARED, Pgbench.Script.SELECT_ONE, "prepared", every));
            cases.add(pgbench(client, PGBENCH_PREPARED_PRIMARY_KEY, Pgbench.Script.PRIMARY_KEY_LOOKUP, "prepared",
                    spring));
            cases.add(pgbench(client, PGBENCH_PREPARED_JOIN, Pgbench.Script.JOIN, "prepared", spring));
        });
        cases.add(readYourWrites(jvmArguments, RYW_READ_OFF, "replicaRead", "off", readYourWrites));
        cases.add(readYourWrites(jvmArguments, RYW_READ_ON, "replicaRead", "on", readYourWrites));
        cases.add(readYourWrites(jvmArguments, RYW_WRITE_READ_OFF, "writeThenReplicaRead", "off", readYourWrites));
        cases.add(readYourWrites(jvmArguments, RYW_WRITE_READ_ON, "writeThenReplicaRead", "on", readYourWrites));
        cases.add(readYourWrites(jvmArguments, RYW_TX_WRITE_READ_OFF, "transactionalWriteThenReplicaRead", "off",
                readYourWrites));
        cases.add(readYourWrites(jvmArguments, RYW_TX_WRITE_READ_ON, "transactionalWriteThenReplicaRead", "on",
                readYourWrites));
        cases.add(readYourWrites(jvmArguments, RYW_FORGED_TOKEN, "forgedTokenReplicaRead", "on", readYourWrites));
        cases.add(new InterleavedRounds.Case(RAW_AGAIN, raw, every));
        return cases;
    }

    /** A method of {@link SpringQueryBenchmark}, at the client counts of the Spring goals (1 and 4). */
    private static InterleavedRounds.Case springCase(List<String> jvmArguments, String name, String method) {
        return new InterleavedRounds.Case(name, new JmhThroughput(jvmArguments, SpringQueryBenchmark.class, method),
                SPRING_CLIENT_COUNTS);
    }

    private static InterleavedRounds.Case pgbench(Pgbench client, String name, Pgbench.Script script, String protocol,
            Set<Integer> clientCounts) {
        return new InterleavedRounds.Case(name,
                clients -> client.transactionsPerSecond(script, protocol, clients, PGBENCH_TIME), clientCounts);
    }

    /** A method of {@link ThroughputBenchmark} running one of its queries. */
    private static InterleavedRounds.Throughput plainJdbc(List<String> jvmArguments, String method, JdbcQuery query) {
        return new JmhThroughput(jvmArguments, ThroughputBenchmark.class, method, Map.of("query", query.name()));
    }

    private static InterleavedRounds.Case readYourWrites(List<String> jvmArguments, String name, String method,
            String setting, Set<Integer> clientCounts) {
        return new InterleavedRounds.Case(name, new JmhThroughput(jvmArguments, ReadYourWritesBenchmark.class, method,
                Map.of("readYourWrites", setting)), clientCounts);
    }
}
