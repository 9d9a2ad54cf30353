package dev.ferry.apiserver.http;

import dev.ferry.api.Json;
import dev.ferry.apiserver.ApiException;
import dev.ferry.apiserver.storage.CacheEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP listener: reads bodies with a size cap on the event loop, runs handlers on virtual threads, writes replies
 * back through the connection's context, and pumps watch streams (chunked JSON lines, or WebSocket text frames).
 * User errors become {@code Status} replies; anything unexpected becomes a 500 Status and a log line, never a stack
 * trace on the wire. TLS and authentication slot in through {@link HttpServerOptions} and a filter on
 * {@link ApiRequest} respectively.
 */
public final class HttpTransport implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpTransport.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_BATCH_BYTES = 64 * 1024;

    /** Limits that keep one client from taking the server down. */
    public record Limits(int maxBodyBytes, int maxConnections) {
        public static final Limits DEFAULT = new Limits(3 * 1024 * 1024, 10_000);
    }

    private final Vertx vertx;
    private final Function<ApiRequest, Reply> router;
    private final Limits limits;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger connections = new AtomicInteger();
    private HttpServer server;

    public HttpTransport(Vertx vertx, Function<ApiRequest, Reply> router, Limits limits) {
        this.vertx = vertx;
        this.router = router;
        this.limits = limits;
    }

    /** Binds; returns the bound port (useful with port 0). */
    public int listen(String host, int port, HttpServerOptions base) throws Exception {
        HttpServerOptions opts = new HttpServerOptions(base).setHost(host).setPort(port).setTcpNoDelay(true)
                .setMaxInitialLineLength(16 * 1024).setMaxHeaderSize(64 * 1024).setReuseAddress(true);
        server = vertx.createHttpServer(opts)
                .connectionHandler(conn -> {
                    if (connections.incrementAndGet() > limits.maxConnections()) {
                        conn.close();
                    }
                    conn.closeHandler(v -> connections.decrementAndGet());
                })
                .requestHandler(this::onRequest);
        try {
            return server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).actualPort();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new java.io.IOException("cannot listen on " + host + ":" + port + ": " + cause.getMessage(), cause);
        }
    }

    private void onRequest(HttpServerRequest req) {
        Context ctx = Vertx.currentContext();
        if (req.canUpgradeToWebSocket()) {
            req.pause();
            handlers.execute(() -> upgrade(req, ctx));
            return;
        }
        String lengthHeader = req.getHeader("Content-Length");
        long declared = -1;
        try {
            declared = lengthHeader == null ? -1 : Long.parseLong(lengthHeader.trim());
        } catch (NumberFormatException e) {
            reply(req.response(), ctx, error(ApiException.badRequest("invalid Content-Length")), true);
            return;
        }
        if (declared > limits.maxBodyBytes()) {
            reply(req.response(), ctx, error(tooLarge()), true);
            return;
        }
        Buffer body = Buffer.buffer(declared > 0 ? (int) declared : 0);
        boolean[] overflow = {false};
        req.handler(chunk -> {
            if (overflow[0]) {
                return;
            }
            if (body.length() + chunk.length() > limits.maxBodyBytes()) {
                overflow[0] = true;
                reply(req.response(), ctx, error(tooLarge()), true);
                return;
            }
            body.appendBuffer(chunk);
        });
        req.exceptionHandler(e -> log.debug("request from {} failed: {}", remote(req), e.toString()));
        req.endHandler(v -> {
            if (overflow[0]) {
                return;
            }
            ApiRequest api;
            try {
                api = toApiRequest(req, body.getBytes());
            } catch (RuntimeException e) {
                reply(req.response(), ctx, error(ApiException.badRequest("malformed request URL: " + e.getMessage())),
                        true);
                return;
            }
            handlers.execute(() -> serve(req.response(), ctx, api));
        });
    }

    private ApiException tooLarge() {
        return ApiException.tooLarge("Request entity too large: limit is " + limits.maxBodyBytes());
    }

    private void serve(HttpServerResponse resp, Context ctx, ApiRequest api) {
        Reply reply = route(api);
        if (reply instanceof Reply.Stream stream) {
            pump(resp, ctx, stream);
        } else if (reply instanceof Reply.Chunks chunks) {
            copy(resp, ctx, chunks);
        } else {
            reply(resp, ctx, (Reply.Body) reply, false);
        }
    }

    private Reply route(ApiRequest api) {
        try {
            return router.apply(api);
        } catch (ApiException e) {
            return error(e);
        } catch (RuntimeException | StackOverflowError e) {
            log.error("{} {} failed", api.method(), api.path(), e);
            return error(ApiException.internal(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    static Reply.Body error(ApiException e) {
        return new Reply.Body(e.code(), "application/json", Json.MAPPER.writeValueAsBytes(e.toStatus()));
    }

    private static void reply(HttpServerResponse resp, Context ctx, Reply.Body body, boolean closeAfter) {
        ctx.runOnContext(v -> {
            if (resp.closed() || resp.ended()) {
                return;
            }
            resp.setStatusCode(body.status());
            resp.putHeader("Content-Type", body.contentType());
            resp.putHeader("Cache-Control", "no-cache, private");
            for (String w : body.warnings()) {
                resp.headers().add("Warning", "299 - \"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
            }
            if (closeAfter) {
                resp.putHeader("Connection", "close");
            }
            resp.end(Buffer.buffer(body.bytes()));
        });
    }

    /** Streams a watch as chunked JSON lines until timeout, client disconnect, or the watcher closing. */
    private void pump(HttpServerResponse resp, Context ctx, Reply.Stream s) {
        boolean[] gone = {false};
        try {
            await(ctx, () -> {
                resp.closeHandler(v -> gone[0] = true);
                resp.setStatusCode(200).setChunked(true);
                resp.putHeader("Content-Type", s.contentType());
                resp.putHeader("Cache-Control", "no-cache, private");
                return resp.writeHead();
            });
            PacedWriter writer = new PacedWriter(ctx, resp::write);
            stream(s, frames -> {
                int size = 0;
                for (byte[] f : frames) {
                    size += f.length + 1;
                }
                Buffer buf = Buffer.buffer(size);
                for (byte[] f : frames) {
                    buf.appendBytes(f).appendByte((byte) '\n');
                }
                writer.write(buf);
            }, () -> gone[0] || resp.closed());
        } catch (Exception e) {
            log.debug("watch stream ended: {}", e.toString());
        } finally {
            s.watcher().close();
            s.onEnd().run();
            ctx.runOnContext(v -> {
                if (!resp.closed() && !resp.ended()) {
                    resp.end();
                }
            });
        }
    }

    /** Copies a byte stream to the client chunk by chunk until it ends or the client goes away. */
    private void copy(HttpServerResponse resp, Context ctx, Reply.Chunks c) {
        Thread reader = Thread.currentThread();
        java.util.concurrent.atomic.AtomicBoolean gone = new java.util.concurrent.atomic.AtomicBoolean();
        try (java.io.InputStream in = c.body()) {
            await(ctx, () -> {
                resp.closeHandler(v -> {
                    gone.set(true);
                    reader.interrupt();
                });
                resp.setStatusCode(200).setChunked(true);
                resp.putHeader("Content-Type", c.contentType());
                resp.putHeader("Cache-Control", "no-cache, private");
                return resp.writeHead();
            });
            PacedWriter writer = new PacedWriter(ctx, resp::write);
            byte[] buf = new byte[16 * 1024];
            int n;
            while (!gone.get() && (n = in.read(buf)) >= 0) {
                if (n > 0) {
                    writer.write(Buffer.buffer(java.util.Arrays.copyOf(buf, n)));
                }
            }
        } catch (Exception e) {
            log.debug("byte stream ended: {}", e.toString());
        } finally {
            ctx.runOnContext(v -> {
                if (!resp.closed() && !resp.ended()) {
                    resp.end();
                }
            });
            Thread.interrupted();
        }
    }

    /** Takes the frames that were ready together; the HTTP stream writes them in one chunk. */
    private interface FrameSink {
        void write(List<byte[]> frames) throws Exception;
    }

    private static void stream(Reply.Stream s, FrameSink sink, java.util.function.BooleanSupplier gone)
            throws Exception {
        long deadline = System.nanoTime() + s.timeout().toNanos();
        long bookmarkNanos = s.bookmarkEvery() == null ? Long.MAX_VALUE : s.bookmarkEvery().toNanos();
        long lastSent = System.nanoTime();
        while (!gone.getAsBoolean()) {
            long now = System.nanoTime();
            if (now >= deadline) {
                return;
            }
            long wait = Math.min(Math.min(deadline - now, 1_000_000_000L), bookmarkNanos);
            CacheEvent ev = s.watcher().poll(wait, TimeUnit.NANOSECONDS);
            if (ev != null) {
                List<byte[]> frames = new java.util.ArrayList<>();
                int bytes = 0;
                do {
                    byte[] frame = s.encoder().event(ev);
                    frames.add(frame);
                    bytes += frame.length;
                } while (bytes < MAX_BATCH_BYTES && (ev = s.watcher().poll(0, TimeUnit.NANOSECONDS)) != null);
                sink.write(frames);
                lastSent = System.nanoTime();
            } else if (s.watcher().isClosed()) {
                return;
            } else if (System.nanoTime() - lastSent >= bookmarkNanos) {
                long revision = s.watcher().bookmarkRevision();
                if (revision > 0) {
                    sink.write(List.of(s.encoder().bookmark(revision)));
                    lastSent = System.nanoTime();
                }
            }
        }
    }

    private void upgrade(HttpServerRequest req, Context ctx) {
        Reply reply;
        try {
            reply = route(toApiRequest(req, new byte[0]));
        } catch (RuntimeException e) {
            reply = error(ApiException.badRequest("malformed request URL: " + e.getMessage()));
        }
        if (reply instanceof Reply.Chunks c) {
            try {
                c.body().close();
            } catch (java.io.IOException e) {
                log.debug("closing a byte stream: {}", e.toString());
            }
            reply = error(ApiException.badRequest("this request cannot be served over a WebSocket"));
        }
        if (!(reply instanceof Reply.Stream s)) {
            reply(req.response(), ctx, (Reply.Body) reply, true);
            return;
        }
        ServerWebSocket ws;
        try {
            ws = await(ctx, req::toWebSocket);
        } catch (Exception e) {
            s.watcher().close();
            s.onEnd().run();
            return;
        }
        boolean[] gone = {false};
        ws.closeHandler(v -> gone[0] = true);
        try {
            PacedWriter writer = new PacedWriter(ctx, buf -> ws.writeTextMessage(buf.toString(StandardCharsets.UTF_8)));
            stream(s, frames -> {
                for (byte[] f : frames) {
                    writer.write(Buffer.buffer(f));
                }
            }, () -> gone[0]);
        } catch (Exception e) {
            log.debug("websocket watch ended: {}", e.toString());
        } finally {
            s.watcher().close();
            s.onEnd().run();
            ctx.runOnContext(v -> {
                if (!ws.isClosed()) {
                    ws.close();
                }
            });
        }
    }

    /** Runs {@code action} on the connection's context and waits for the future it returns. */
    private static <T> T await(Context ctx, java.util.function.Supplier<Future<T>> action) throws Exception {
        java.util.concurrent.CompletableFuture<T> done = new java.util.concurrent.CompletableFuture<>();
        ctx.runOnContext(v -> {
            try {
                action.get().onComplete((res, err) -> {
                    if (err != null) {
                        done.completeExceptionally(err);
                    } else {
                        done.complete(res);
                    }
                });
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get(WRITE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("client did not read for " + WRITE_TIMEOUT);
        }
    }

    private static ApiRequest toApiRequest(HttpServerRequest req, byte[] body) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : req.params()) {
            query.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>()).add(e.getValue());
        }
        return new ApiRequest(req.method().name(), req.path(), query, req.getHeader("Accept"),
                req.getHeader("Content-Type"), body);
    }

    private static String remote(HttpServerRequest req) {
        SocketAddress a = req.remoteAddress();
        return a == null ? "?" : a.toString();
    }

    public int connections() {
        return connections.get();
    }

    @Override
    public void close() {
        if (server != null) {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("closing the listener: {}", e.toString());
            }
        }
        handlers.shutdownNow();
    }
}
