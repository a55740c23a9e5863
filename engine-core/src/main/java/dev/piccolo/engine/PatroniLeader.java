package dev.piccolo.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Patroni as the cluster's authority: {@code GET /cluster} of the first member whose REST API answers
 * names the member holding the leader key in the DCS, whichever server is writable. Thread-safe.
 */
final class PatroniLeader implements ClusterAuthority {

    private static final List<String> LEADER_ROLES = List.of("leader", "master", "standby_leader");

    private final List<URI> restUrls;

    private final HttpClient client;

    private final JsonMapper mapper = JsonMapper.builder().build();

    /**
     * @param restUrls the members' REST API base URLs, e.g. {@code http://10.0.0.5:8008}
     * @param connectTimeout how long connecting to one member may take
     */
    PatroniLeader(List<URI> restUrls, Duration connectTimeout) {
        this.restUrls = List.copyOf(restUrls);
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .build();
    }

    @Override
    public @Nullable String leader(Duration timeout) throws IOException {
        IOException last = null;
        for (URI restUrl : restUrls) {
            try {
                return leaderOf(get(restUrl.resolve("/cluster"), timeout));
            }
            catch (IOException ex) {
                last = ex;
            }
        }
        throw last != null ? last : new IOException("No Patroni REST API URL is configured");
    }

    private JsonNode get(URI uri, Duration timeout) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered HTTP " + response.statusCode());
            }
            return mapper.readTree(response.body());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while asking " + uri, ex);
        }
        catch (JacksonException ex) {
            throw new IOException(uri + " answered what is not Patroni's cluster JSON", ex);
        }
    }

    private static @Nullable String leaderOf(JsonNode cluster) throws IOException {
        for (JsonNode member : cluster.path("members")) {
            if (LEADER_ROLES.contains(member.path("role").asString(""))) {
                String host = member.path("host").asString("");
                int port = member.path("port").asInt(5432);
                // The server reports its own IP address; Patroni may name the host.
                return InetAddress.getByName(host).getHostAddress() + ":" + port;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "PatroniLeader" + restUrls;
    }
}
