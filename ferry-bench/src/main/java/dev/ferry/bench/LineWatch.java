package dev.ferry.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One HTTP watch ({@code ?watch=true}) whose lines go, as they are read, to a consumer on a virtual thread.
 * {@link #failure} is set if the stream ends or breaks before {@link #close}.
 */
final class LineWatch implements AutoCloseable {
    private final InputStream body;
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean closed;

    private LineWatch(InputStream body) {
        this.body = body;
    }

    /** Opens {@code uri} (a watch URL) and starts reading; fails unless the server answers 200. */
    static LineWatch open(HttpClient http, URI uri, Consumer<String> onLine) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).header("Accept",
                "application/json").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new IllegalStateException(uri + ": " + response.statusCode() + " " + text);
        }
        LineWatch w = new LineWatch(response.body());
        Thread.ofVirtual().name("watch-" + uri.getPath()).start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(w.body, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.isBlank()) {
                        onLine.accept(line);
                    }
                }
                if (!w.closed) {
                    w.failure.compareAndSet(null, "stream ended: " + uri);
                }
            } catch (IOException | RuntimeException e) {
                if (!w.closed) {
                    w.failure.compareAndSet(null, uri + ": " + e);
                }
            }
        });
        return w;
    }

    /** Why the watch stopped early, or null. */
    String failure() {
        return failure.get();
    }

    @Override
    public void close() {
        closed = true;
        try {
            body.close();
        } catch (IOException e) {
            // closing a stream we no longer read
        }
    }
}
