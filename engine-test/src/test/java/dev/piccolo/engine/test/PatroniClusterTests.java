package dev.piccolo.engine.test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One Patroni cluster for the class. Each test starts from, and leaves, a healthy cluster: a writable
 * leader with both other members streaming from it, whichever member leads.
 */
class PatroniClusterTests {

    private static PatroniCluster cluster;

    @BeforeAll
    static void startCluster() {
        assumeTrue(PatroniCluster.available(), "Patroni, etcd or the PostgreSQL server programs are not installed "
                + "(Debian/Ubuntu: apt-get install patroni etcd-server etcd-client postgresql)");
        cluster = PatroniCluster.start();
    }

    @AfterAll
    static void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void healthy() {
        cluster.awaitHealthy();
    }

    @Test
    void threeMembersWithOneWritableLeaderAndTwoReplicas() throws SQLException {
        List<PatroniCluster.Member> members = cluster.members();

        assertThat(members).extracting(PatroniCluster.Member::name).containsExactly("member1", "member2", "member3");
        assertThat(members).filteredOn(PatroniCluster.Member::isLeader).hasSize(1);
        for (PatroniCluster.Member member : members) {
            assertThat(query(cluster, member, "SELECT inet_server_port()::text"))
                    .isEqualTo(Integer.toString(member.port()));
            assertThat(query(cluster, member, "SELECT pg_is_in_recovery()::text"))
                    .isEqualTo(member.isLeader() ? "false" : "true");
        }
        assertThat(cluster.hostList()).isEqualTo(members.stream()
                .map(member -> "127.0.0.1:" + member.port())
                .collect(Collectors.joining(",")));
        assertThat(cluster.restUrls()).hasSize(3).contains(cluster.restUrl(cluster.leader()));
    }

    @Test
    void switchoverHandsTheLeadToAReplicaKeepsCommittedRowsAndTheOldLeaderRejoins() throws SQLException {
        PatroniCluster.Member before = cluster.leader();
        String table = "before_switchover_" + System.nanoTime();
        execute(cluster, before, "CREATE TABLE " + table + " (note text)");
        execute(cluster, before, "INSERT INTO " + table + " VALUES ('committed on " + before.name() + "')");

        cluster.switchover();

        PatroniCluster.Member after = cluster.leader();
        assertThat(after.name()).isNotEqualTo(before.name());
        assertThat(after.timeline()).isGreaterThan(before.timeline());
        assertThat(query(cluster, after, "SELECT note FROM " + table)).isEqualTo("committed on " + before.name());
        assertRejoinedAsReplica(before.name(), after);
    }

    @Test
    void killedLeaderIsReplacedAndRejoinsAsReplica() {
        PatroniCluster.Member before = cluster.leader();

        cluster.killLeader();

        PatroniCluster.Member after = cluster.leader();
        assertThat(after.name()).isNotEqualTo(before.name());
        assertThat(after.timeline()).isGreaterThan(before.timeline());
        assertRejoinedAsReplica(before.name(), after);
    }

    private static void assertRejoinedAsReplica(String oldLeader, PatroniCluster.Member newLeader) {
        cluster.awaitHealthy();
        PatroniCluster.Member rejoined = cluster.member(oldLeader);
        assertThat(rejoined.isLeader()).isFalse();
        assertThat(rejoined.timeline()).isEqualTo(newLeader.timeline());
        assertThat(cluster.leader().name()).isEqualTo(newLeader.name());
    }

    private static String query(PatroniCluster cluster, PatroniCluster.Member member, String sql) throws SQLException {
        try (Connection connection = cluster.connect(member);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).as("a row from " + member.name()).isTrue();
            return result.getString(1);
        }
    }

    private static void execute(PatroniCluster cluster, PatroniCluster.Member member, String sql) throws SQLException {
        try (Connection connection = cluster.connect(member); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
