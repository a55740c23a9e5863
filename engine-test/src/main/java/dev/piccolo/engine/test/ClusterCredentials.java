package dev.piccolo.engine.test;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The user, password and database every node of a cluster is set up with.
 *
 * @param user the superuser tests connect as
 * @param password a random password, new for every cluster
 * @param database the database created for tests
 */
record ClusterCredentials(String user, String password, String database) {

    static ClusterCredentials random() {
        byte[] secret = new byte[12];
        new SecureRandom().nextBytes(secret);
        return new ClusterCredentials("piccolo", HexFormat.of().formatHex(secret), "piccolo");
    }

    @Override
    public String toString() {
        return "ClusterCredentials[user=" + user + ", database=" + database + ", password=******]";
    }
}
