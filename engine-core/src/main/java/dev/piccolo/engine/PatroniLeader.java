package dev.piccolo.engine;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import dev.piccolo.engine.jdbc.ConnectionUrls;
import dev.piccolo.engine.jdbc.ServerAddresses;
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

    /** The index of the REST API that answered last. */
    private volatile int answeredLast;

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
        int first = answeredLast;
        for (int i = 0; i < restUrls.size(); i++) {
            // The member that answered last first: one that stopped answering costs no timeout every round.
            int index = (first + i) % restUrls.size();
            try {
                String leader = leaderOf(get(restUrls.get(index).resolve("/cluster"), timeout));
                answeredLast = index;
                return leader;
            }
            catch (IOException ex) {
                last = ex;
            }
        }
        throw last != null ? last : new IOException("No Patroni REST API URL is configured");
    }

    private JsonNode get(URI uri, Duration timeout) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while asking " + shown(uri), ex);
        }
        catch (IOException ex) {
            // Said without the client's message, which may quote the URL with its user information.
            throw new IOException(shown(uri) + " cannot be asked (" + ex.getClass().getSimpleName() + ")");
        }
        if (response.statusCode() != 200) {
            throw new IOException(shown(uri) + " answered HTTP " + response.statusCode());
        }
        try {
            return mapper.readTree(response.body());
        }
        catch (JacksonException ex) {
            throw new IOException(shown(uri) + " answered what is not Patroni's cluster JSON", ex);
        }
    }

    private static @Nullable String leaderOf(JsonNode cluster) throws IOException {
        for (JsonNode member : cluster.path("members")) {
            if (LEADER_ROLES.contains(member.path("role").asString(""))) {
                // The server reports its own IP address; Patroni may name the host.
                return ServerAddresses.of(member.path("host").asString(""),
                        member.path("port").asInt(ConnectionUrls.DEFAULT_PORT));
            }
        }
        return null;
    }

    /** A REST API's address without user information or query: what may be logged. */
    private static String shown(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + (uri.getPath() != null ? uri.getPath() : "");
    }

    @Override
    public String toString() {
        return "PatroniLeader" + restUrls.stream().map(PatroniLeader::shown).toList();
    }
}
