package dev.ferry.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A plain JDK HTTP client for one API server, as a test sees it: raw status, content type and body. */
final class ApiClient {
    static final Duration EVENT_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final int port;

    ApiClient(int port) {
        this.port = port;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** One reply. {@link #json()} parses the body. */
    record Resp(int status, String contentType, String body) {
        ObjectNode json() {
            JsonNode n = Json.MAPPER.readTree(body);
            assertThat(n).as("reply body is a JSON object: %s", body).isInstanceOf(ObjectNode.class);
            return (ObjectNode) n;
        }

        String name() {
            return json().path("metadata").path("name").asString();
        }

        String resourceVersion() {
            return json().path("metadata").path("resourceVersion").asString();
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    int port() {
        return port;
    }

    Resp get(String path) {
        return send("GET", path, null, null);
    }

    Resp post(String path, JsonNode body) {
        return send("POST", path, body.toString().getBytes(StandardCharsets.UTF_8), "application/json");
    }

    Resp put(String path, JsonNode body) {
        return send("PUT", path, body.toString().getBytes(StandardCharsets.UTF_8), "application/json");
    }

    Resp delete(String path) {
        return send("DELETE", path, null, null);
    }

    Resp send(String method, String path, byte[] body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Resp(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Sends a JSON body without Content-Length (chunked transfer encoding). */
    Resp sendChunked(String method, String path, byte[] body) {
        HttpRequest req = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            return new Resp(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Creates a namespace (201 expected). */
    void createNamespace(String name) {
        Resp r = post("/api/v1/namespaces", Fixtures.namespace(name));
        assertThat(r.status()).as("create namespace %s: %s", name, r.body()).isEqualTo(201);
    }

    /** Opens a chunked watch; returns once the response head arrived (the server-side watch is then registered). */
    WatchStream watch(String pathAndQuery) {
        HttpRequest req = HttpRequest.newBuilder(uri(pathAndQuery)).GET().build();
        try {
            HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            return new WatchStream(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            throw new AssertionError("watch " + pathAndQuery + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Opens a WebSocket watch; returns once the handshake completed. */
    WsWatch webSocketWatch(String pathAndQuery) throws Exception {
        WsWatch w = new WsWatch();
        URI ws = URI.create("ws://127.0.0.1:" + port + pathAndQuery);
        w.socket = http.newWebSocketBuilder().buildAsync(ws, w.listener).get(10, TimeUnit.SECONDS);
        return w;
    }

    /** Lines of a chunked watch, read by a background thread; each line is one JSON event. */
    static final class WatchStream implements AutoCloseable {
        private static final String END = "\u0000end";
        final int status;
        final String contentType;
        private final InputStream in;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        WatchStream(int status, String contentType, InputStream in) {
            this.status = status;
            this.contentType = contentType;
            this.in = in;
            Thread.ofVirtual().start(this::read);
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!line.isEmpty()) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // closed by the test or the server
            } finally {
                lines.add(END);
            }
        }

        /** The next event ({@code {"type":..,"object":..}}); fails when none arrives in time or the stream ended. */
        ObjectNode next(Duration timeout) {
            String line;
            try {
                line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            assertThat(line).as("a watch event within %s", timeout).isNotNull();
            assertThat(line).as("the watch stream to still be open").isNotEqualTo(END);
            return (ObjectNode) Json.MAPPER.readTree(line);
        }

        ObjectNode next() {
            return next(EVENT_TIMEOUT);
        }

        /** Waits for the server to end the stream; returns the events that came before the end. */
        List<ObjectNode> awaitEnd(Duration timeout) {
            List<ObjectNode> events = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String line;
                try {
                    line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
                assertThat(line).as("the server to end the watch within %s", timeout).isNotNull();
                if (line.equals(END)) {
                    return events;
                }
                events.add((ObjectNode) Json.MAPPER.readTree(line));
            }
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }

    /** Text messages of a WebSocket watch, each one JSON event. */
    static final class WsWatch implements AutoCloseable {
        private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket socket;
        final WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    messages.add(partial.toString());
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }
        };

        ObjectNode next() {
            String m;
            try {
                m = messages.poll(EVENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            assertThat(m).as("a WebSocket message within %s", EVENT_TIMEOUT).isNotNull();
            return (ObjectNode) Json.MAPPER.readTree(m);
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
