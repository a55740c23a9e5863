package dev.piccolo.engine.patroni;

import java.util.List;

/**
 * One member of a Patroni cluster as {@code GET /cluster} lists it.
 *
 * @param name the member's name in Patroni ({@code name} of its configuration)
 * @param role {@code leader}, {@code standby_leader}, {@code replica} or {@code sync_standby}
 * @param state {@code running} or {@code streaming} when its PostgreSQL serves; {@code starting},
 * {@code stopped}, {@code start failed} and others when it does not
 * @param host the address its PostgreSQL listens on
 * @param port the port its PostgreSQL listens on
 * @param timeline its PostgreSQL timeline, 0 when Patroni reports none
 * @since 0.3
 */
public record PatroniMember(String name, String role, String state, String host, int port, long timeline) {

    private static final List<String> LEADER_ROLES = List.of("leader", "master", "standby_leader");

    private static final List<String> SERVING_STATES = List.of("running", "streaming");

    /**
     * Returns whether this member holds the leader key (of the cluster, or of a standby cluster).
     *
     * @return {@code true} for the leader
     */
    public boolean isLeader() {
        return LEADER_ROLES.contains(role);
    }

    /**
     * Returns whether the member's PostgreSQL serves, by Patroni's account.
     *
     * @return {@code true} while running or streaming
     */
    public boolean isServing() {
        return SERVING_STATES.contains(state);
    }
}
