package dev.piccolo.engine.autoconfigure.metrics;

import java.util.List;

import dev.piccolo.engine.NodeContext;

/**
 * Every meter the starter registers, with its name, description and tag keys, in one place (in the manner
 * of datasource-micrometer's {@code JdbcObservationDocumentation}). HikariCP's own {@code hikaricp.*}
 * meters of the engine's pools get the {@link Tag#NODE} tag besides their {@code pool} tag.
 *
 * <p>Meters tag the node as {@code node}; JDBC observations carry it as the low-cardinality key
 * {@value NodeContext#KEY}, namespaced because observations share keys with every other instrumentation
 * of the same call.
 *
 * @since 0.2
 */
public enum PiccoloMeter {

    /** Counter: work that asked for a node or group and joined a transaction open on another node. */
    ROUTING_JOINED("piccolo.routing.joined",
            "Work that asked for a node or group and joined a transaction open on another node", Tag.REQUESTED,
            Tag.NODE),

    /** Counter: connections for a node or group that went to its fallback node. */
    ROUTING_FALLBACKS("piccolo.routing.fallbacks",
            "Connections for a node or group that went to its fallback node instead", Tag.REQUESTED, Tag.FALLBACK),

    /** Counter: reads that had to see their session's writes on a replica, by outcome. */
    ROUTING_READ_YOUR_WRITES("piccolo.routing.read-your-writes",
            "Reads that had to see their session's writes on a replica: served by it at once, after waiting, or "
                    + "by the primary", Tag.NODE, Tag.OUTCOME),

    /** Gauge, in seconds: a node's replication lag as the health probe last measured it. */
    REPLICATION_LAG("piccolo.node.replication.lag", "Replication lag of the node as the health probe last "
            + "measured it", Tag.NODE);

    private final String meterName;

    private final String description;

    private final List<Tag> tags;

    PiccoloMeter(String meterName, String description, Tag... tags) {
        this.meterName = meterName;
        this.description = description;
        this.tags = List.of(tags);
    }

    /**
     * Returns the meter's name.
     *
     * @return e.g. {@code piccolo.routing.fallbacks}
     */
    public String meterName() {
        return meterName;
    }

    /**
     * Returns the meter's description.
     *
     * @return what it counts or measures
     */
    public String description() {
        return description;
    }

    /**
     * Returns the keys of the meter's tags.
     *
     * @return the tags, in the order they are given
     */
    public List<Tag> tags() {
        return tags;
    }

    /** The tag keys of the starter's meters. */
    public enum Tag {

        /** The node that served the work. */
        NODE("node"),

        /** The node or group the work asked for. */
        REQUESTED("requested"),

        /** The node the work fell back to. */
        FALLBACK("fallback"),

        /** How a read-your-writes check ended: {@code replica}, {@code waited} or {@code primary}. */
        OUTCOME("outcome");

        private final String key;

        Tag(String key) {
            this.key = key;
        }

        /**
         * Returns the tag's key.
         *
         * @return e.g. {@code node}
         */
        public String key() {
            return key;
        }
    }
}
