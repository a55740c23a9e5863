package dev.piccolo.ecosystem.readme;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import javax.sql.DataSource;

import dev.piccolo.engine.NodeConfig;
import dev.piccolo.engine.PoolOptions;
import dev.piccolo.engine.PostgresEngine;

/** README's plain Java example, run by {@link ReadmeSnippetsTests} against the test cluster. */
final class PlainJava {

    private PlainJava() {
    }

    /** Returns whether the replica's server answered the read (it is in recovery). */
    static boolean readOnTheReplica(Map<String, String> primaryConfig, Map<String, String> replicaConfig)
            throws Exception {
        // tag::plain-java[]
        try (PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder().config(primaryConfig).build())
                .extraNode("read_replica_1", NodeConfig.builder().config(replicaConfig).build())
                .build()          // validates only
                .start()) {       // checks nodes, creates extensions, starts the health probe
            engine.startConnectionPool(PoolOptions.builder().maxSize(20).build());
            DataSource dataSource = engine.getDataSource();               // routes by NodeContext
            boolean onReplica = engine.nodeContext().call("read_replica_1", () -> {
                try (Connection connection = dataSource.getConnection();
                        Statement statement = connection.createStatement();
                        ResultSet result = statement.executeQuery("SELECT pg_is_in_recovery()")) {
                    result.next();
                    return result.getBoolean(1);                          // true: the replica answered
                }
            });
            engine.closeConnectionPool();
            return onReplica;
        }
        // end::plain-java[]
    }
}
