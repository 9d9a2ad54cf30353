package dev.ferry.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/** Plain JSON requests to one API server: create, delete, list, and watch URLs. */
final class Kube {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    final URI base;
    final HttpClient http = Api.newClient();

    Kube(URI base) {
        this.base = base;
    }

    /** POSTs {@code body} to {@code path}; fails unless 201 (or 200). */
    JsonNode create(String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw new IllegalStateException("POST " + path + ": " + r.statusCode() + " " + new String(r.body()));
        }
        return Api.JSON.readTree(r.body());
    }

    /** DELETE; 404 is fine (already gone). */
    HttpRequest deleteRequest(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("Accept", "application/json")
                .DELETE().build();
    }

    void delete(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(deleteRequest(path), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 && r.statusCode() != 202 && r.statusCode() != 404) {
            throw new IllegalStateException("DELETE " + path + ": " + r.statusCode() + " " + r.body());
        }
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return Api.getJson(http, HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Accept", "application/json").GET().build());
    }

    void createNamespace(String name) throws IOException, InterruptedException {
        new Api(base).createNamespace(http, name);
    }

    /** A watch URL for the list at {@code path} from {@code resourceVersion}, open for an hour. */
    URI watch(String path, String resourceVersion) {
        return base.resolve(path + "?watch=true&allowWatchBookmarks=false&timeoutSeconds=3600&resourceVersion="
                + resourceVersion);
    }

    /** The list's resourceVersion (where a watch starts to see everything after it). */
    String listVersion(String path) throws IOException, InterruptedException {
        return get(path + "?limit=1").path("metadata").path("resourceVersion").asString();
    }
}
