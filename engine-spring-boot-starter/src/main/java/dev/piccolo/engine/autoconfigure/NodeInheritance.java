package dev.piccolo.engine.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.piccolo.engine.PoolOptions;
import dev.piccolo.engine.jdbc.ConnectionUrls;
import org.jspecify.annotations.Nullable;

/**
 * What an extra node takes from the main node: every connection setting it does not give, and pool sizes.
 * Public for the starter's own packages (the {@code piccolo} endpoint adds nodes the same way), with no
 * compatibility promise.
 *
 * @since 0.3
 */
public final class NodeInheritance {

    private static final Set<String> URL_KEYS = Set.of(ConnectionUrls.URL, ConnectionUrls.DSN);

    private NodeInheritance() {
    }

    /**
     * The parent's entries overridden by the node's own. A node that gives its location (a URL, or any of
     * host, port, database) keeps the parent's other settings, the parameters of the parent's URL
     * included (sslmode, sslrootcert, prepareThreshold, user, password), but not its location's form.
     *
     * @param parent the main node's config
     * @param own the node's own entries
     * @return the node's config
     */
    public static Map<String, String> inherited(Map<String, String> parent, Map<String, String> own) {
        Map<String, String> config = new LinkedHashMap<>(parent);
        if (own.keySet().stream().anyMatch(ConnectionUrls.LOCATION_KEYS::contains)) {
            String parentUrl = config.containsKey(ConnectionUrls.URL) ? config.remove(ConnectionUrls.URL)
                    : config.remove(ConnectionUrls.DSN);
            if (parentUrl != null && ConnectionUrls.isPostgresUrl(parentUrl)) {
                // Separate entries win over the URL's parameters, as the engine reads a node's own URL.
                Map<String, String> read = new LinkedHashMap<>(ConnectionUrls.toConfig(parentUrl));
                read.putAll(config);
                config = read;
            }
            if (own.keySet().stream().anyMatch(URL_KEYS::contains)) {
                config.keySet().removeAll(ConnectionUrls.LOCATION_KEYS);
            }
        }
        config.putAll(own);
        return config;
    }

    /** The main node's min-size, but never more than the node's own smaller max-size. */
    static @Nullable Integer minSize(PoolOptions mainPool, int maxSize) {
        Integer mainMinSize = mainPool.minSize();
        return mainMinSize != null ? Math.min(mainMinSize, maxSize) : null;
    }
}
