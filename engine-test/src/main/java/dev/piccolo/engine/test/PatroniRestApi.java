package dev.piccolo.engine.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The few read-only calls a {@link PatroniCluster} makes to Patroni's REST API and to etcd, over
 * HTTP/1.1 on the loopback address with short timeouts: a member that does not answer at once is
 * treated as down, never waited for.
 */
final class PatroniRestApi {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();

    private final JsonMapper mapper = JsonMapper.builder().build();

    /**
     * Reads the members from {@code GET /cluster} of the first member that answers; every member
     * reports the whole cluster as etcd holds it.
     *
     * @param restUrls the members' REST API base URLs
     * @return the members sorted by name, or empty when no member answers
     */
    Optional<List<PatroniCluster.Member>> members(List<String> restUrls) {
        for (String restUrl : restUrls) {
            Optional<JsonNode> cluster = getJson(restUrl + "/cluster");
            if (cluster.isPresent()) {
                return Optional.of(members(cluster.get()));
            }
        }
        return Optional.empty();
    }

    /**
     * Returns whether one member's Patroni has applied maintenance mode ({@code GET /patroni}).
     *
     * @param restUrl the member's REST API base URL
     * @return whether it is paused, or empty when it does not answer
     */
    Optional<Boolean> isPaused(String restUrl) {
        return getJson(restUrl + "/patroni").map(status -> status.path("pause").isBoolean()
                && status.path("pause").booleanValue());
    }

    /**
     * Returns whether etcd answers {@code GET /health} with {@code "health":"true"}.
     *
     * @param clientUrl etcd's client URL
     * @return {@code true} when it is ready for Patroni
     */
    boolean isEtcdHealthy(String clientUrl) {
        return getJson(clientUrl + "/health").map(health -> "true".equals(text(health, "health"))).orElse(false);
    }

    private Optional<JsonNode> getJson(String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(mapper.readTree(response.body())) : Optional.empty();
        }
        catch (IOException | JacksonException ex) {
            return Optional.empty();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling " + url, ex);
        }
    }

    /** Fields Patroni leaves out (no timeline while PostgreSQL is down, no lag for the leader) read as unknown. */
    private static List<PatroniCluster.Member> members(JsonNode cluster) {
        List<PatroniCluster.Member> members = new ArrayList<>();
        for (JsonNode member : cluster.path("members")) {
            JsonNode lag = member.path("lag");
            members.add(new PatroniCluster.Member(text(member, "name"), text(member, "role"), text(member, "state"),
                    text(member, "host"), (int) number(member, "port"), number(member, "timeline"),
                    lag.isIntegralNumber() ? OptionalLong.of(lag.longValue()) : OptionalLong.empty()));
        }
        return List.copyOf(members);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() ? value.stringValue() : "";
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isIntegralNumber() ? value.longValue() : 0;
    }
}
