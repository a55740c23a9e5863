package dev.piccolo.engine.patroni;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.piccolo.engine.jdbc.ConnectionUrls;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks a Patroni cluster for its members: {@code GET /cluster} of the first of its members' REST APIs that
 * answers, starting with the one that answered last, so a member that stopped answering costs no timeout at
 * every question. Errors never quote a URL's user information. Thread-safe.
 *
 * @since 0.3
 */
public final class PatroniRestApi {

    private final List<URI> restUrls;

    private final HttpClient client;

    private final JsonMapper mapper = JsonMapper.builder().build();

    private volatile int answeredLast;

    /**
     * Creates the client.
     *
     * @param restUrls the members' REST API base URLs, e.g. {@code http://10.0.0.5:8008}; at least one
     * @param connectTimeout the longest a connection to one of them may take
     */
    public PatroniRestApi(List<URI> restUrls, Duration connectTimeout) {
        if (restUrls.isEmpty()) {
            throw new IllegalArgumentException("No Patroni REST API URL is given");
        }
        this.restUrls = List.copyOf(restUrls);
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .build();
    }

    /**
     * Returns the cluster's members as the first REST API that answers lists them.
     *
     * @param timeout the longest one request may take
     * @return the members, in Patroni's order
     * @throws IOException when none answers with the cluster's JSON
     */
    public List<PatroniMember> members(Duration timeout) throws IOException {
        IOException last = null;
        int first = answeredLast;
        for (int i = 0; i < restUrls.size(); i++) {
            int index = (first + i) % restUrls.size();
            try {
                List<PatroniMember> members = membersOf(get(restUrls.get(index).resolve("/cluster"), timeout));
                answeredLast = index;
                return members;
            }
            catch (IOException ex) {
                last = ex;
            }
        }
        throw last;
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

    private static List<PatroniMember> membersOf(JsonNode cluster) {
        List<PatroniMember> members = new ArrayList<>();
        for (JsonNode member : cluster.path("members")) {
            members.add(new PatroniMember(member.path("name").asString(""), member.path("role").asString(""),
                    member.path("state").asString(""), member.path("host").asString(""),
                    member.path("port").asInt(ConnectionUrls.DEFAULT_PORT), member.path("timeline").asLong(0)));
        }
        return members;
    }

    private static String shown(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + (uri.getPath() != null ? uri.getPath() : "");
    }

    @Override
    public String toString() {
        return "Patroni REST API " + restUrls.stream().map(PatroniRestApi::shown).toList();
    }
}
