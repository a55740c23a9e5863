package dev.piccolo.engine.jdbc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * The two URL forms a node's connection may be given in, PgJDBC's {@code jdbc:postgresql://...} and
 * libpq's {@code postgresql://user:password@host:port/database?...} (Piccolo's {@code dsn}), read into
 * {@code config} entries, and the masking of credentials wherever a URL may be shown.
 *
 * @since 0.2
 */
public final class ConnectionUrls {

    /** What a masked secret reads as. */
    public static final String MASK = "******";

    /** How every PgJDBC URL starts. */
    public static final String JDBC_PREFIX = "jdbc:postgresql:";

    /** The {@code config} key of the host, or comma-separated hosts. */
    public static final String HOST = "host";

    /** The {@code config} key of the port, or comma-separated ports. */
    public static final String PORT = "port";

    /** PostgreSQL's port when none is given. */
    public static final int DEFAULT_PORT = 5432;

    /** The {@code config} key of the database name. */
    public static final String DATABASE = "database";

    /** The {@code config} key of the user. */
    public static final String USER = "user";

    /** The {@code config} key of the password. */
    public static final String PASSWORD = "password";

    /** The {@code config} key of a whole URL, PgJDBC's or a libpq URI. */
    public static final String URL = "url";

    /** Piccolo's {@code config} key of a libpq connection URI, {@code postgresql://user:password@host:port/db}. */
    public static final String DSN = "dsn";

    /** The {@code config} keys that say where a server is. */
    public static final Set<String> LOCATION_KEYS = Set.of(HOST, PORT, DATABASE, URL, DSN);

    /** The {@code config} keys that say which of a node's servers it wants: its role, and spreading over them. */
    public static final Set<String> SERVER_CHOICE_KEYS = Set.of(PGProperty.TARGET_SERVER_TYPE.getName(),
            PGProperty.LOAD_BALANCE_HOSTS.getName());

    private static final Pattern LIBPQ_URI = Pattern
            .compile("(?i)postgres(?:ql)?://(?:(?<userinfo>[^@/?]*)@)?(?<hosts>[^/?]*)(?:/(?<database>[^?]*))?"
                    + "(?:\\?(?<query>.*))?");

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)((?:ssl)?password=)[^&\\s]*");

    private static final Pattern USERINFO_PASSWORD = Pattern.compile("(?i)(postgres(?:ql)?://[^:@/\\s]*:)[^@/\\s]*@");

    private ConnectionUrls() {
    }

    /**
     * Returns whether a config key holds a secret that must never be shown (passwords and the like).
     *
     * @param key a config key, any case
     * @return {@code true} when its value must be masked
     */
    public static boolean isSecretKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.contains("password") || lower.contains("secret");
    }

    /**
     * Returns the text with every credential a URL in it carries ({@code password=} and
     * {@code sslpassword=} parameters, the password of a {@code postgresql://user:password@} URI) masked.
     *
     * @param text a URL, a DSN, or a message that may contain one
     * @return the text, masked
     */
    public static String mask(String text) {
        String masked = PASSWORD_PARAMETER.matcher(text).replaceAll("$1" + MASK);
        return USERINFO_PASSWORD.matcher(masked).replaceAll("$1" + MASK + "@");
    }

    /**
     * Returns whether the value is a URL of either form this class reads.
     *
     * @param url a candidate
     * @return {@code true} for a PgJDBC URL or a libpq URI
     */
    public static boolean isPostgresUrl(@Nullable String url) {
        return url != null && (url.startsWith(JDBC_PREFIX) || LIBPQ_URI.matcher(url).matches());
    }

    /**
     * Reads a URL into {@code config} entries: {@code host}, {@code port}, {@code database}, {@code user},
     * {@code password} and every parameter under its own name, so that a node given a URL can be
     * combined key by key with settings of its own or inherited.
     *
     * @param url a PgJDBC URL or a libpq URI
     * @return the entries, in that order
     * @throws IllegalArgumentException when the URL is of neither form; the message does not repeat it
     */
    public static Map<String, String> toConfig(String url) {
        Map<String, String> config = new LinkedHashMap<>();
        Matcher libpq = LIBPQ_URI.matcher(url);
        if (libpq.matches()) {
            readLibpq(libpq, config);
            return config;
        }
        Properties parsed = url.startsWith(JDBC_PREFIX) ? Driver.parseURL(url, null) : null;
        if (parsed == null) {
            throw new IllegalArgumentException("not a jdbc:postgresql:// URL or a postgresql:// URI");
        }
        putIfPresent(config, HOST, parsed.getProperty(PGProperty.PG_HOST.getName()));
        putIfPresent(config, PORT, parsed.getProperty(PGProperty.PG_PORT.getName()));
        putIfPresent(config, DATABASE, parsed.getProperty(PGProperty.PG_DBNAME.getName()));
        parsed.stringPropertyNames().stream()
                .filter(key -> !key.equals(PGProperty.PG_HOST.getName()) && !key.equals(PGProperty.PG_PORT.getName())
                        && !key.equals(PGProperty.PG_DBNAME.getName()))
                .sorted()
                .forEach(key -> config.put(key, parsed.getProperty(key)));
        return config;
    }

    /**
     * Returns a node's config without the keys that say which of its servers it wants, for a node made
     * from it for another server: the main node's {@code targetServerType=primary} would refuse every
     * standby.
     *
     * @param config a node's config
     * @return a copy without the {@link #SERVER_CHOICE_KEYS}
     */
    public static Map<String, String> withoutServerChoice(Map<String, String> config) {
        Map<String, String> kept = new LinkedHashMap<>();
        // A URL's parameters are read into keys first: its targetServerType would otherwise come back with it.
        config.forEach((key, value) -> {
            if ((URL.equals(key) || DSN.equals(key)) && isPostgresUrl(value)) {
                kept.putAll(toConfig(value));
            }
        });
        config.forEach((key, value) -> {
            if (!(URL.equals(key) || DSN.equals(key)) || !isPostgresUrl(value)) {
                kept.put(key, value);
            }
        });
        kept.keySet().removeAll(SERVER_CHOICE_KEYS);
        return kept;
    }

    private static void readLibpq(Matcher uri, Map<String, String> config) {
        String hosts = uri.group("hosts");
        if (!hosts.isEmpty()) {
            StringBuilder names = new StringBuilder();
            StringBuilder ports = new StringBuilder();
            for (String host : hosts.split(",")) {
                int colon = host.lastIndexOf(':');
                boolean hasPort = colon > 0 && !host.endsWith("]");
                names.append(names.isEmpty() ? "" : ",").append(hasPort ? host.substring(0, colon) : host);
                ports.append(ports.isEmpty() ? "" : ",").append(hasPort ? host.substring(colon + 1) : String.valueOf(DEFAULT_PORT));
            }
            config.put(HOST, decodeOrNull(names.toString()));
            config.put(PORT, ports.toString());
        }
        putIfPresent(config, DATABASE, decodeOrNull(uri.group("database")));
        String userinfo = uri.group("userinfo");
        if (userinfo != null) {
            int colon = userinfo.indexOf(':');
            putIfPresent(config, USER, decodeOrNull(colon < 0 ? userinfo : userinfo.substring(0, colon)));
            if (colon >= 0) {
                config.put(PASSWORD, decodeOrNull(userinfo.substring(colon + 1)));
            }
        }
        String query = uri.group("query");
        if (query != null) {
            for (String parameter : query.split("&")) {
                int equals = parameter.indexOf('=');
                if (equals > 0) {
                    config.put(libpqToPgjdbc(URLDecoder.decode(parameter.substring(0, equals), StandardCharsets.UTF_8)),
                            decodeOrNull(parameter.substring(equals + 1)));
                }
            }
        }
    }

    /** libpq's spellings of the parameters whose PgJDBC names differ. */
    private static String libpqToPgjdbc(String name) {
        return switch (name) {
            case "dbname" -> DATABASE;
            case "application_name" -> PGProperty.APPLICATION_NAME.getName();
            case "connect_timeout" -> PGProperty.CONNECT_TIMEOUT.getName();
            default -> name;
        };
    }

    /** The URL-decoded value; {@code null} for none or an empty one. */
    private static @Nullable String decodeOrNull(@Nullable String value) {
        return value == null || value.isEmpty() ? null : URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static void putIfPresent(Map<String, String> config, String key, @Nullable String value) {
        if (value != null && !value.isEmpty()) {
            config.put(key, value);
        }
    }
}
