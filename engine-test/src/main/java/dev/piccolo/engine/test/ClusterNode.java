package dev.piccolo.engine.test;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Connection settings of one PostgreSQL server of a {@link PostgresCluster}.
 *
 * <p>The primary is named {@code primary} and replica {@code i} (counting from 1) is named
 * {@code read_replica_i}, the names the engine uses for its nodes. {@link #toString()} never shows
 * the password.
 *
 * @param name the node name, {@code primary} or {@code read_replica_<i>}
 * @param host the address the server listens on, always a loopback address
 * @param port the TCP port the server listens on
 * @param database the database created for tests
 * @param user the user tests connect as (a superuser, so tests can create extensions)
 * @param password that user's password
 *
 * @since 0.1
 */
public record ClusterNode(String name, String host, int port, String database, String user, String password) {

    /** Name of the primary node. */
    public static final String PRIMARY = "primary";

    /** Prefix of replica node names; replica {@code i} is {@code read_replica_i}. */
    public static final String REPLICA_PREFIX = "read_replica_";

    /**
     * Returns the name of replica {@code index}.
     *
     * @param index the replica's position, counting from 1
     * @return {@code read_replica_<index>}
     */
    public static String replicaName(int index) {
        return REPLICA_PREFIX + index;
    }

    /**
     * Returns the PgJDBC URL of this node, without credentials.
     *
     * @return a {@code jdbc:postgresql://host:port/database} URL
     */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /**
     * Returns this node as an engine node's {@code config} map (PgJDBC connection properties), its
     * connections named {@code applicationName} so that {@link PostgresCluster#connectionCount} counts
     * only them.
     *
     * @param applicationName the connections' {@code application_name}, e.g. from
     * {@link PostgresCluster#newApplicationName()}
     * @return host, port, database, user, password and ApplicationName, in that order
     * @since 0.2
     */
    public Map<String, String> config(String applicationName) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("host", host);
        config.put("port", Integer.toString(port));
        config.put("database", database);
        config.put("user", user);
        config.put("password", password);
        config.put("ApplicationName", applicationName);
        return config;
    }

    /**
     * Returns whether this node is the primary.
     *
     * @return {@code true} for the primary, {@code false} for a replica
     */
    public boolean isPrimary() {
        return PRIMARY.equals(name);
    }

    @Override
    public String toString() {
        return "ClusterNode[name=" + name + ", url=" + jdbcUrl() + ", user=" + user + ", password=******]";
    }
}
