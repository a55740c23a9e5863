package dev.piccolo.engine.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterProperties;

/** The shared cluster as {@code piccolo.db.*} pairs, with an application name of the test's own. */
final class ClusterProperties {

    private ClusterProperties() {
    }

    /** Main node and replicas, each connection named {@code applicationName}, with {@code overrides} by name. */
    static String[] of(PostgresCluster cluster, String applicationName, String... overrides) {
        List<String> pairs = new ArrayList<>(List.of("piccolo.db.config.ApplicationName=" + applicationName));
        pairs.addAll(List.of(overrides));
        return PostgresClusterProperties.asPairs(cluster, pairs.toArray(String[]::new));
    }
}
