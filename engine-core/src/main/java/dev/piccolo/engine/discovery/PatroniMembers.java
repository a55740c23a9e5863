package dev.piccolo.engine.discovery;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.piccolo.engine.patroni.JacksonCheck;
import dev.piccolo.engine.patroni.PatroniMember;
import dev.piccolo.engine.patroni.PatroniRestApi;

/**
 * The replicas of a Patroni cluster: every member of {@code GET /cluster} that does not hold the leader key.
 * One joins once Patroni reports its PostgreSQL running or streaming (a new replica, a former leader back as a
 * replica after {@code pg_rewind}); one leaves when promoted by a failover or a switchover, or when its member
 * key expires (stopped for good). A member that Patroni reports restarting or stopped for a moment stays, unused
 * while the health probe finds it down, rather than leaving and joining again with a cold pool. Needs Jackson
 * on the class path.
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
     * @throws IllegalStateException when Jackson is not on the class path
     */
    public PatroniMembers(List<URI> restUrls, Duration timeout) {
        if (!JacksonCheck.jacksonPresent()) {
            throw new IllegalStateException(JacksonCheck.PROBLEM + " " + JacksonCheck.REMEDY);
        }
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
        return new DiscoveredMember(member.name(), member.host(), member.port(), member.isServing());
    }

    @Override
    public String toString() {
        return "replicas of " + api;
    }
}
