package dev.ferry.apiserver.pod;

import dev.ferry.apiserver.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Opens a container log on a node agent ({@code GET http://node:port/containerLogs/...}). A 2xx answer's body is
 * returned as a stream the caller must close; any other answer becomes an {@link ApiException} with the same code
 * and the agent's text; an unreachable agent a 500 naming the URL and the failure. Thread-safe.
 */
public final class KubeletLogs implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_ERROR_BYTES = 64 * 1024;
    /** Created on first use: most API servers never serve a log. Guarded by this. */
    private HttpClient http;
    private boolean closed;

    private synchronized HttpClient http() {
        if (closed) {
            throw ApiException.internal("the API server is shutting down");
        }
        if (http == null) {
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return http;
    }

    public InputStream open(URI location) {
        HttpRequest req = HttpRequest.newBuilder(location).GET().header("Accept", "text/plain, */*").build();
        HttpResponse<InputStream> resp;
        try {
            resp = http().send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw ApiException.internal("Get \"" + location + "\": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.internal("Get \"" + location + "\": interrupted");
        }
        int code = resp.statusCode();
        if (code >= 200 && code <= 206) {
            return resp.body();
        }
        String text;
        try (InputStream in = resp.body()) {
            text = new String(in.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            text = "";
        }
        if (text.isEmpty()) {
            text = "the server responded with the status code " + code + " but did not return more information";
        }
        throw ApiException.upstream(code, text);
    }

    private static String describe(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "dial tcp: i/o timeout";
        }
        if (e instanceof ConnectException) {
            return "dial tcp: connect: connection refused";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Stops the client; open log streams end. */
    @Override
    public void close() {
        HttpClient h;
        synchronized (this) {
            closed = true;
            h = http;
        }
        if (h != null) {
            h.shutdownNow();
        }
    }
}
