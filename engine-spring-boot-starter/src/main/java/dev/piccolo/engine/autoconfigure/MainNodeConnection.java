package dev.piccolo.engine.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.piccolo.engine.EngineSetting;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.jdbc.ConnectionUrls;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * Where the main node connects, and whether that came from Spring Boot's own sources (drop-in mode): a
 * {@link JdbcConnectionDetails} bean wins; else {@code piccolo.db.config}; else, when that gives no location,
 * Spring Boot's own {@code spring.datasource.url/username/password} read from the environment (not from a
 * bean that may be absent), so an existing application only adds the starter and its extra nodes.
 *
 * @param config the main node's {@code config} map
 * @param dropIn whether the connection came from Spring Boot's sources rather than {@code piccolo.db.config}
 */
record MainNodeConnection(Map<String, String> config, boolean dropIn) {

    static final String SPRING_DATASOURCE_URL = "spring.datasource.url";

    /**
     * Reads the main node's connection.
     *
     * @param config {@code piccolo.db.config}
     * @param details the service connection of the main node, if any
     * @param binder the environment's binder
     * @return the connection
     * @throws EnginePropertyException when nothing says where the main node is, or it is not PostgreSQL
     */
    static MainNodeConnection read(Map<String, String> config, Optional<JdbcConnectionDetails> details,
            Binder binder) {
        Map<String, String> own = new LinkedHashMap<>(config);
        if (details.isPresent()) {
            return new MainNodeConnection(withConnection(own, details.get()), true);
        }
        if (own.keySet().stream().anyMatch(ConnectionUrls.LOCATION_KEYS::contains)) {
            return new MainNodeConnection(own, false);
        }
        String url = binder.bind(SPRING_DATASOURCE_URL, String.class).orElse(null);
        if (url == null) {
            String host = PropertyNames.of(PostgresEngine.PRIMARY, EngineSetting.CONFIG_HOST);
            throw new EnginePropertyException(host, "No PostgreSQL server is configured for the main node: "
                    + PropertyNames.of(PostgresEngine.PRIMARY, EngineSetting.CONFIG) + " gives no host or url, and "
                    + SPRING_DATASOURCE_URL + " is not set.", "Set " + host + " and "
                    + PropertyNames.of(PostgresEngine.PRIMARY, EngineSetting.CONFIG_DATABASE) + ", or "
                    + SPRING_DATASOURCE_URL + "; if this application is not meant to use PostgreSQL here, set "
                    + PropertyNames.ENABLED + "=false.");
        }
        if (!url.startsWith(ConnectionUrls.JDBC_PREFIX)) {
            // The URL itself is not repeated: it may carry a password.
            throw new EnginePropertyException(SPRING_DATASOURCE_URL, SPRING_DATASOURCE_URL + " is not a PostgreSQL "
                    + "URL (it starts with '" + url.substring(0, Math.max(0, url.indexOf("//"))) + "//'). The Piccolo "
                    + "engine connects to PostgreSQL only, and takes the main node's connection from "
                    + SPRING_DATASOURCE_URL + " because " + PropertyNames.PREFIX + ".config gives no host or url.",
                    "Point it at PostgreSQL (jdbc:postgresql://host:port/database), or set " + PropertyNames.ENABLED
                            + "=false to leave this database to Spring Boot.");
        }
        own.put(ConnectionUrls.URL, url);
        binder.bind("spring.datasource.username", String.class)
                .ifBound(user -> own.putIfAbsent(ConnectionUrls.USER, user));
        binder.bind("spring.datasource.password", String.class)
                .ifBound(password -> own.putIfAbsent(ConnectionUrls.PASSWORD, password));
        return new MainNodeConnection(own, true);
    }

    /** What an extra node inherits: the main node's config, moved to its own service connection if it has one. */
    Map<String, String> parentOf(@Nullable JdbcConnectionDetails extraNodeConnection) {
        return extraNodeConnection != null ? withConnection(NodeInheritance.inherited(config,
                Map.of(ConnectionUrls.URL, extraNodeConnection.getJdbcUrl())), extraNodeConnection) : config;
    }

    private static Map<String, String> withConnection(Map<String, String> config, JdbcConnectionDetails details) {
        String url = details.getJdbcUrl();
        if (url == null || !url.startsWith(ConnectionUrls.JDBC_PREFIX)) {
            throw new EnginePropertyException(PropertyNames.PREFIX + ".service-connection", "A JdbcConnectionDetails "
                    + "bean (a service connection) gives a node a URL that is not PostgreSQL's ("
                    + (url != null ? ConnectionUrls.mask(url) : null) + "). The Piccolo engine connects to "
                    + "PostgreSQL only.", "Connect a PostgreSQL service, or set " + PropertyNames.ENABLED + "=false.");
        }
        Map<String, String> connected = new LinkedHashMap<>(config);
        connected.keySet().removeAll(ConnectionUrls.LOCATION_KEYS);
        connected.put(ConnectionUrls.URL, url);
        putIfNotNull(connected, ConnectionUrls.USER, details.getUsername());
        putIfNotNull(connected, ConnectionUrls.PASSWORD, details.getPassword());
        return connected;
    }

    private static void putIfNotNull(Map<String, String> config, String key, @Nullable String value) {
        if (value != null) {
            config.put(key, value);
        }
    }
}
