package dev.piccolo.engine;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Which servers a node's connections may be on, from its config's {@code targetServerType}: the main
 * node writes, so it needs the cluster's primary unless it asks for standbys; an extra node takes what
 * its config asks the driver for.
 */
enum ServerRole {

    /** Only the cluster's primary now: writable, of the cluster, on its newest timeline (or its HA manager's leader). */
    PRIMARY,

    /** Only a standby. */
    STANDBY,

    /**
     * A standby, or the cluster's primary, but never a writable server that is not the primary: the main
     * node when it settles for a standby while no primary answers ({@code preferPrimary}, {@code any}).
     */
    NOT_FENCED,

    /** Any server of the node: the driver's preference decides. */
    ANY;

    static ServerRole of(String nodeName, @Nullable String targetServerType) {
        String target = targetServerType == null ? "" : targetServerType.toLowerCase(Locale.ROOT);
        return switch (target) {
            case "primary", "master" -> PRIMARY;
            case "secondary", "slave" -> STANDBY;
            case "" -> NodeNames.PRIMARY.equals(nodeName) ? PRIMARY : ANY;
            // The main node writes: where the driver may settle for a standby, a fenced server stays refused.
            default -> NodeNames.PRIMARY.equals(nodeName) ? NOT_FENCED : ANY;
        };
    }
}
