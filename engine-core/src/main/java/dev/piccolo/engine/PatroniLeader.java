package dev.piccolo.engine;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.piccolo.engine.jdbc.ServerAddresses;
import dev.piccolo.engine.patroni.PatroniMember;
import dev.piccolo.engine.patroni.PatroniRestApi;
import org.jspecify.annotations.Nullable;

/**
 * Patroni as the cluster's authority: {@code GET /cluster} of the first member whose REST API answers
 * names the member holding the leader key in the DCS, whichever server is writable. Thread-safe.
 */
final class PatroniLeader implements ClusterAuthority {

    private final PatroniRestApi api;

    PatroniLeader(List<URI> restUrls, Duration connectTimeout) {
        this.api = new PatroniRestApi(restUrls, connectTimeout);
    }

    @Override
    public @Nullable String leader(Duration timeout) throws IOException {
        for (PatroniMember member : api.members(timeout)) {
            if (member.isLeader()) {
                // The server reports its own IP address; Patroni may name the host.
                return ServerAddresses.of(member.host(), member.port());
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return api.toString();
    }
}
