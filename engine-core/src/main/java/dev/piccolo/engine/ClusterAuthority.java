package dev.piccolo.engine;

import java.io.IOException;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The cluster's high-availability manager, which decides which server is the primary: asked once per
 * health-probe round, so that work that may write runs only on the leader it names.
 */
interface ClusterAuthority {

    /**
     * Returns the server the manager names leader now.
     *
     * @param timeout how long asking may take
     * @return the leader's address as {@code ip:port}, or {@code null} when it names none (a failover in
     * progress)
     * @throws IOException when the manager cannot be asked
     */
    @Nullable String leader(Duration timeout) throws IOException;
}
