package dev.piccolo.engine.discovery;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.piccolo.engine.patroni.PatroniMember;
import dev.piccolo.engine.patroni.PatroniRestApi;

/**
 * The replicas of a Patroni cluster: every member of {@code GET /cluster} that does not hold the leader key,
 * whatever its state. A replica that joins, and a former leader back as a replica after {@code pg_rewind},
 * appear; the member promoted by a failover or a switchover leaves, as does one whose member key expired
 * (stopped for good). Whether a member serves now is the health probe's to say, not Patroni's: a replica
 * that Patroni reports restarting or stopped for a moment stays a member, unused while the probe finds it
 * down, rather than leaving and joining again with a cold pool. Needs Jackson on the class path.
 *
 * @since 0.3
 */
public final class PatroniMembers implements MemberSource {

    private final PatroniRestApi api;

    private final Duration timeout;

    /**
     * Creates the source.
     *
     * @param restUrls the members' REST API base URLs, e.g. {@code http://10.0.0.5:8008}; at least one
     * @param timeout the longest one request may take, connecting included
     */
    public PatroniMembers(List<URI> restUrls, Duration timeout) {
        this.api = new PatroniRestApi(restUrls, timeout);
        this.timeout = timeout;
    }

    @Override
    public List<DiscoveredMember> members() throws IOException {
        return api.members(timeout).stream()
                .filter(member -> !member.isLeader())
                .map(PatroniMembers::discovered)
                .toList();
    }

    private static DiscoveredMember discovered(PatroniMember member) {
        return new DiscoveredMember(member.name(), member.host(), member.port());
    }

    @Override
    public String toString() {
        return "replicas of " + api;
    }
}
