package dev.ferry.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Builds the Kubernetes API requests the harness sends; JSON bodies, as kubectl sends with {@code -o json}. */
final class Api {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final URI base;

    Api(URI base) {
        this.base = base;
    }

    /** An HTTP/1.1 client with a keep-alive connection pool (one connection per concurrent request). */
    static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A ClusterIP Service with one port and a selector, so creating it allocates a cluster IP. */
    static String serviceJson(String name) {
        return """
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"%s","labels":{"app":"bench","tier":"web"}},\
                "spec":{"type":"ClusterIP","selector":{"app":"bench"},\
                "ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":8080}]}}""".formatted(name);
    }

    HttpRequest createService(String namespace, String name) {
        return HttpRequest.newBuilder(base.resolve("/api/v1/namespaces/" + namespace + "/services"))
                .timeout(TIMEOUT).header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(serviceJson(name))).build();
    }

    HttpRequest getService(String namespace, String name) {
        return HttpRequest.newBuilder(base.resolve("/api/v1/namespaces/" + namespace + "/services/" + name))
                .timeout(TIMEOUT).header("Accept", "application/json").GET().build();
    }

    /** Lists Services in a namespace; {@code limit} 0 means no limit; {@code continueToken} may be null. */
    HttpRequest listServices(String namespace, int limit, String continueToken) {
        StringBuilder path = new StringBuilder("/api/v1/namespaces/").append(namespace).append("/services");
        String sep = "?";
        if (limit > 0) {
            path.append(sep).append("limit=").append(limit);
            sep = "&";
        }
        if (continueToken != null) {
            path.append(sep).append("continue=").append(java.net.URLEncoder.encode(continueToken,
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return HttpRequest.newBuilder(base.resolve(path.toString())).timeout(TIMEOUT)
                .header("Accept", "application/json").GET().build();
    }

    HttpRequest watchServices(String namespace, String resourceVersion) {
        return HttpRequest.newBuilder(base.resolve("/api/v1/namespaces/" + namespace + "/services?watch=true"
                        + "&resourceVersion=" + resourceVersion))
                .header("Accept", "application/json").GET().build();
    }

    /** Creates a namespace and fails unless the server answers 201. */
    void createNamespace(HttpClient http, String name) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/namespaces")).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}"))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("create namespace " + name + ": " + response.statusCode() + " "
                    + response.body());
        }
    }

    /** Sends a GET and parses the JSON answer; fails unless 200. */
    static JsonNode getJson(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.uri() + ": " + response.statusCode() + " "
                    + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return JSON.readTree(response.body());
    }
}
