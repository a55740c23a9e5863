package dev.piccolo.ecosystem.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

/** Requests to one application's actuator over real HTTP, as a user or anonymously. */
final class EndpointHttp {

    private final HttpClient http = HttpClient.newHttpClient();

    private final int port;

    EndpointHttp(int port) {
        this.port = port;
    }

    HttpResponse<String> get(String path, @Nullable String user) throws Exception {
        return send(request(path, user).GET());
    }

    HttpResponse<String> post(String path, String json, @Nullable String user) throws Exception {
        return send(request(path, user).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> delete(String path, @Nullable String user) throws Exception {
        return send(request(path, user).DELETE());
    }

    private HttpRequest.Builder request(String path, @Nullable String user) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + EndpointApplication.PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
