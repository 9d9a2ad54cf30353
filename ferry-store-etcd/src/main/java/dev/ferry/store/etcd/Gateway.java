package dev.ferry.store.etcd;

import dev.ferry.store.StoreException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * HTTP transport to etcd's v3 JSON gRPC gateway ({@code POST /v3/...}, JSON bodies; bytes as base64, int64 as
 * strings). Unary calls return the answer's JSON tree or throw {@link GatewayError} for an etcd error answer and
 * {@link StoreException.Unavailable} when etcd cannot be reached or answers something that is not the gateway's.
 *
 * <p>Thread-safe. HTTP/1.1 only: the gateway shares its port with gRPC, and a plain-HTTP/1.1 connection per
 * in-flight request keeps long-running watch streams from competing with unary calls.
 */
final class Gateway implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final Duration requestTimeout;
    private final HttpClient http;

    Gateway(URI endpoint, Duration requestTimeout) {
        String s = endpoint.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout)
                .build();
    }

    ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** Calls {@code path} (e.g. {@code "v3/kv/range"}) and returns the answer. */
    JsonNode call(String path, ObjectNode body) {
        HttpRequest request = request(path, body).timeout(requestTimeout).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new StoreException.Unavailable("etcd at " + base + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException.Unavailable("interrupted while calling etcd", e);
        }
        JsonNode answer = parse(response.body(), response.statusCode());
        if (response.statusCode() != 200 || answer.has("error")) {
            throw error(answer, response.statusCode());
        }
        return answer;
    }

    /**
     * Starts a streaming call: each line of the answer (one JSON message) goes to {@code lines}. The returned future
     * completes when the stream ends, exceptionally when it could not start or broke.
     */
    CompletableFuture<?> stream(String path, ObjectNode body, Flow.Subscriber<String> lines) {
        return http.sendAsync(request(path, body).build(), HttpResponse.BodyHandlers.fromLineSubscriber(lines));
    }

    /** Turns one line of a streaming answer into JSON, or a gateway error / Unavailable. */
    static JsonNode parseStreamLine(String line) {
        JsonNode message = parse(line.getBytes(java.nio.charset.StandardCharsets.UTF_8), 200);
        if (message.has("error")) {
            throw error(message, 200);
        }
        return message;
    }

    static GatewayError error(JsonNode answer, int status) {
        JsonNode error = answer.path("error");
        // unary errors are {"error": "...", "message": "...", "code": n}; stream errors nest
        // {"grpc_code": n, "http_code": h, "message": "..."} in "error"
        JsonNode source = error.isObject() ? error : answer;
        String fallback = error.isString() ? error.asString() : "HTTP " + status + ": " + answer;
        String message = source.path("message").asString(fallback);
        return new GatewayError(source.path("code").asInt(source.path("grpc_code").asInt(0)), message);
    }

    /** An int64 of the gateway's JSON (a string, or absent for 0). */
    static long int64(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return 0;
        }
        return node.isNumber() ? node.longValue() : Long.parseLong(node.asString());
    }

    private HttpRequest.Builder request(String path, ObjectNode body) {
        return HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    }

    private static JsonNode parse(byte[] body, int status) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new StoreException.Unavailable("etcd answered HTTP " + status + " with a non-object", null);
            }
            return node;
        } catch (JacksonException e) {
            throw new StoreException.Unavailable("etcd answered HTTP " + status + " with invalid JSON", e);
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
