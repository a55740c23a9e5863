package dev.piccolo.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import dev.piccolo.engine.jdbc.ConnectionUrls;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static dev.piccolo.engine.jdbc.ConnectionUrls.DATABASE;
import static dev.piccolo.engine.jdbc.ConnectionUrls.DSN;
import static dev.piccolo.engine.jdbc.ConnectionUrls.HOST;
import static dev.piccolo.engine.jdbc.ConnectionUrls.PASSWORD;
import static dev.piccolo.engine.jdbc.ConnectionUrls.PORT;
import static dev.piccolo.engine.jdbc.ConnectionUrls.URL;
import static dev.piccolo.engine.jdbc.ConnectionUrls.USER;

/**
 * How to reach one node, read from its {@code config} map: a PgJDBC URL built from {@code host},
 * {@code port} and {@code database} (or given whole as a PgJDBC {@code url}, or as a libpq URI in
 * {@code dsn} or {@code url}, Piccolo's form), the user
 * and password, and every other key passed verbatim to the driver.
 */
final class ConnectionSettings {

    private static final Logger logger = LoggerFactory.getLogger(ConnectionSettings.class);

    static final String DEFAULT_APPLICATION_NAME = "piccolo-engine";

    private static final Set<String> WELL_KNOWN_KEYS = Set.of(HOST, PORT, DATABASE, USER, PASSWORD, URL, DSN);

    /** "Set it to the server's TCP port, 1 to 65535 ...": the range as {@link EngineSetting#CONFIG_PORT} says it. */
    private static final String PORT_REMEDY = "Set it to "
            + EngineSetting.CONFIG_PORT.description().substring(0, 1).toLowerCase(Locale.ROOT)
            + EngineSetting.CONFIG_PORT.description().substring(1);

    private final String url;

    private final @Nullable String user;

    private final @Nullable String password;

    private final Properties driverProperties;

    private ConnectionSettings(String url, @Nullable String user, @Nullable String password,
            Properties driverProperties) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.driverProperties = driverProperties;
    }

    /**
     * Reads a node's connection settings and warns about keys PgJDBC does not know.
     *
     * @param node the node name, for messages
     * @param given the node's {@code config} map, a URL in it not read yet
     * @param readOnly whether the node's connections must be read-only
     * @return the settings
     * @throws NodeConfigurationException when the settings cannot make a connection
     */
    static ConnectionSettings read(String node, Map<String, String> given, boolean readOnly) {
        Map<String, String> config = withUrlRead(node, given);
        Properties properties = new Properties();
        properties.setProperty(PGProperty.APPLICATION_NAME.getName(), DEFAULT_APPLICATION_NAME);
        config.forEach((key, value) -> {
            if (!WELL_KNOWN_KEYS.contains(key)) {
                if (PGProperty.forName(key) == null) {
                    logger.warn("Node '{}': config key '{}' is not a PgJDBC connection property; it is passed to the "
                            + "driver, which ignores it. Check its spelling against PgJDBC's PGProperty names.", node,
                            key);
                }
                properties.setProperty(key, value);
            }
        });
        if (readOnly) {
            // readOnlyMode=always makes even auto-commit statements read-only, not only explicit transactions.
            properties.setProperty(PGProperty.READ_ONLY.getName(), "true");
            properties.setProperty(PGProperty.READ_ONLY_MODE.getName(), "always");
        }
        String user = config.get(USER);
        String password = config.get(PASSWORD);
        if (user != null) {
            properties.setProperty(USER, user);
        }
        if (password != null) {
            properties.setProperty(PASSWORD, password);
        }
        return new ConnectionSettings(url(node, config), user, password, properties);
    }

    /**
     * A URL (PgJDBC's in {@code url}, or a libpq URI in {@code dsn} or {@code url}) read into separate
     * entries, which the node's own separate entries override. The driver is then given a URL without
     * parameters and the rest as properties, so no credential travels inside a URL that the driver or
     * a {@code DataSource} might log.
     */
    private static Map<String, String> withUrlRead(String node, Map<String, String> config) {
        String setting = config.containsKey(DSN) ? DSN : URL;
        String uri = config.get(setting);
        if (uri == null) {
            return config;
        }
        if (!ConnectionUrls.isPostgresUrl(uri)) {
            throw new NodeConfigurationException(node, urlSetting(setting), "Node '" + node + "' has a config."
                    + setting + " " + describe(uri) + ", which is not a PostgreSQL URL.", "Give a "
                    + "jdbc:postgresql://host:port/database URL or a postgresql://user@host:port/database URI.");
        }
        if (config.containsKey(DSN) && config.containsKey(URL)) {
            throw new NodeConfigurationException(node, EngineSetting.CONFIG_DSN, "Node '" + node + "' sets both "
                    + "config.dsn and config.url.", "Set one of them.");
        }
        rejectLocationBesideUrl(node, config, setting);
        Map<String, String> read = new LinkedHashMap<>(ConnectionUrls.toConfig(uri));
        config.forEach((key, value) -> {
            if (!key.equals(setting)) {
                read.put(key, value);
            }
        });
        return read;
    }

    private static EngineSetting urlSetting(String key) {
        return DSN.equals(key) ? EngineSetting.CONFIG_DSN : EngineSetting.CONFIG_URL;
    }

    /** What kind of text a rejected URL is, without repeating it: it may carry a password. */
    private static String describe(String url) {
        int colon = url.indexOf("://");
        if (colon < 0) {
            return url.contains("=") ? "in key=value form (the engine reads only URLs)" : "that is not a URL";
        }
        String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
        return "starting with '" + scheme + "://'";
    }

    private static void rejectLocationBesideUrl(String node, Map<String, String> config, String setting) {
        if (config.containsKey(HOST) || config.containsKey(PORT) || config.containsKey(DATABASE)) {
            throw new NodeConfigurationException(node, urlSetting(setting), "Node '" + node + "' sets both config."
                    + setting + " and config.host/port/database.", "Set either the whole URL or its parts, not both.");
        }
    }

    private static String url(String node, Map<String, String> config) {
        String host = required(node, config, EngineSetting.CONFIG_HOST, HOST,
                "the server's host name or address, e.g. localhost");
        String database = required(node, config, EngineSetting.CONFIG_DATABASE, DATABASE,
                "the name of the database to connect to");
        return ConnectionUrls.JDBC_PREFIX + "//" + hostsAndPorts(node, host, config.get(PORT)) + "/" + database;
    }

    /** {@code host:port}, or for several hosts ({@code a,b} with ports {@code 5432,5433}) each with its port. */
    private static String hostsAndPorts(String node, String hosts, @Nullable String ports) {
        String[] hostList = hosts.split(",");
        String[] portList = ports == null || ports.isBlank() ? new String[] { null } : ports.split(",");
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < hostList.length; i++) {
            String port = portList[Math.min(i, portList.length - 1)];
            joined.append(i == 0 ? "" : ",").append(hostList[i].strip()).append(':').append(port(node, port));
        }
        return joined.toString();
    }

    private static String required(String node, Map<String, String> config, EngineSetting setting, String key,
            String what) {
        String value = config.get(key);
        if (value == null || value.isBlank()) {
            throw new NodeConfigurationException(node, setting, "Node '" + node + "' has no config." + key + ".",
                    "Set it to " + what + " (or give config.url, a full jdbc:postgresql:// URL).");
        }
        return value.strip();
    }

    private static int port(String node, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return ConnectionUrls.DEFAULT_PORT;
        }
        int port;
        try {
            port = Integer.parseInt(value.strip());
        }
        catch (NumberFormatException ex) {
            throw new NodeConfigurationException(node, EngineSetting.CONFIG_PORT, "Node '" + node + "' has config.port '"
                    + value + "', which is not a number.", PORT_REMEDY);
        }
        if (port < 1 || port > 65535) {
            throw new NodeConfigurationException(node, EngineSetting.CONFIG_PORT, "Node '" + node + "' has config.port "
                    + port + ", out of range.", PORT_REMEDY);
        }
        return port;
    }

    String url() {
        return url;
    }

    /** Whether the URL lists several hosts, of which PgJDBC picks one per connection (a failover pair). */
    boolean severalHosts() {
        return hosts().size() > 1;
    }

    /** The URL's {@code host:port} entries, in the order PgJDBC tries them. */
    List<String> hosts() {
        return List.of(url.substring(hostsStart(), hostsEnd()).split(","));
    }

    /** The URL for one of {@link #hosts()}: the same database and options, that server only. */
    String urlFor(String host) {
        return urlFor(List.of(host));
    }

    /** The URL with {@link #hosts()} in another order, or some of them: the same database and options. */
    String urlFor(List<String> hosts) {
        return url.substring(0, hostsStart()) + String.join(",", hosts) + url.substring(hostsEnd());
    }

    /** Whether the node asks the driver to spread its connections over its hosts ({@code loadBalanceHosts}). */
    boolean loadBalanced() {
        return Boolean.parseBoolean(driverProperties.getProperty(PGProperty.LOAD_BALANCE_HOSTS.getName()));
    }

    /** What the node asks PgJDBC for among its hosts ({@code targetServerType}), {@code null} for any. */
    @Nullable String targetServerType() {
        return driverProperties.getProperty(PGProperty.TARGET_SERVER_TYPE.getName());
    }

    private int hostsStart() {
        return url.indexOf("//") + 2;
    }

    private int hostsEnd() {
        int end = url.indexOf('/', hostsStart());
        return end < 0 ? url.length() : end;
    }

    @Nullable String user() {
        return user;
    }

    @Nullable String password() {
        return password;
    }

    /**
     * Returns the properties for the driver, user and password included; a copy the caller may keep.
     *
     * @return the driver properties
     */
    Properties driverProperties() {
        Properties copy = new Properties();
        copy.putAll(driverProperties);
        return copy;
    }

    /**
     * Returns the properties for a HikariCP pool, which takes user and password separately.
     *
     * @return the driver properties without user and password
     */
    Properties poolDriverProperties() {
        Properties copy = driverProperties();
        copy.remove(USER);
        copy.remove(PASSWORD);
        return copy;
    }

    @Override
    public String toString() {
        return "ConnectionSettings[url=" + ConnectionUrls.mask(url) + ", user=" + user + ", password="
                + ConnectionUrls.MASK + "]";
    }
}
