package dev.piccolo.engine.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.piccolo.engine.PostgresEngine;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * Assigns the application's {@link JdbcConnectionDetails} beans (Testcontainers {@code @ServiceConnection},
 * Docker Compose services) to nodes. Their bean names end with the name of what they came from, as in
 * {@code jdbcConnectionDetailsForReplica}: an extra node takes the bean whose name ends with its
 * {@code service-connection} (its own name by default, {@code read_replica_1} matching
 * {@code ...ForReadReplica1}); the main node takes the one its {@code service-connection} names, else
 * the single one left.
 */
final class ServiceConnections {

    private final Map<String, JdbcConnectionDetails> unassigned;

    ServiceConnections(Map<String, JdbcConnectionDetails> beans) {
        this.unassigned = new LinkedHashMap<>(beans);
    }

    /**
     * Takes the connection of an extra node, if any.
     *
     * @param node the node's name
     * @param configured the node's {@code service-connection}, or {@code null} to match its name
     * @return the node's connection
     */
    Optional<JdbcConnectionDetails> takeForExtraNode(String node, @Nullable String configured) {
        Optional<JdbcConnectionDetails> found = take(configured != null ? configured : node);
        if (found.isEmpty() && configured != null) {
            throw notFound(node, configured);
        }
        return found;
    }

    /**
     * Takes the main node's connection: the one named by {@code piccolo.db.service-connection}, else the
     * only one not taken by an extra node. Call after every extra node has taken its own.
     *
     * @param configured the main node's {@code service-connection}, or {@code null}
     * @return the main node's connection, empty when the application has none
     */
    Optional<JdbcConnectionDetails> takeForMainNode(@Nullable String configured) {
        if (configured != null) {
            return Optional.of(take(configured).orElseThrow(() -> notFound(PostgresEngine.PRIMARY, configured)));
        }
        if (unassigned.size() > 1) {
            throw new EnginePropertyException(property(PostgresEngine.PRIMARY), "The application has several "
                    + "JdbcConnectionDetails beans " + unassigned.keySet() + " and the engine cannot tell which "
                    + "connects the main node.", "Set " + property(PostgresEngine.PRIMARY) + " to the name its bean "
                    + "ends with, and give each extra node the name of its own (" + property("<name>") + ").");
        }
        return unassigned.values().stream().findFirst();
    }

    private Optional<JdbcConnectionDetails> take(String name) {
        String wanted = normalized(name);
        return unassigned.keySet().stream()
                .filter(bean -> normalized(bean).equals(wanted) || normalized(bean).endsWith("for" + wanted))
                .findFirst()
                .map(unassigned::remove);
    }

    private static String property(String node) {
        return PropertyNames.nodePrefix(node) + ".service-connection";
    }

    private EnginePropertyException notFound(String node, String configured) {
        return new EnginePropertyException(property(node), "Node '" + node + "' asks for service connection '"
                + configured + "', but no JdbcConnectionDetails bean's name ends with it.", "Name one of the beans "
                + "left, " + unassigned.keySet() + ", or remove " + property(node) + ".");
    }

    /** Names compared without case and separators, so {@code read_replica_1} matches {@code ForReadReplica1}. */
    private static String normalized(String name) {
        return name.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    }
}
