package dev.piccolo.engine;

import java.util.Comparator;

/**
 * The names every layer of the engine agrees on, at the bottom of the package so that no class reaches up
 * to the facade for them: the main node's name and the order nodes are listed in.
 */
final class NodeNames {

    /** Name of the main node; {@link PostgresEngine#PRIMARY} to users. */
    static final String PRIMARY = "primary";

    /** The main node first, then extra nodes by name. */
    static final Comparator<String> ORDER = Comparator.comparing((String name) -> !PRIMARY.equals(name))
            .thenComparing(Comparator.naturalOrder());

    private NodeNames() {
    }
}
