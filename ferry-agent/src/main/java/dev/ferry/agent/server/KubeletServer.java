package dev.ferry.agent.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * The node agent's HTTP endpoint (the kubelet's port): {@code GET /healthz} answers "ok";
 * {@code GET /containerLogs/{namespace}/{pod}/{container}} serves a container's log as text/plain with the kubelet's
 * query parameters: {@code previous}, {@code tailLines}, {@code limitBytes}, {@code sinceSeconds} (log files carry no
 * per-line timestamps, so it keeps the whole log when the file was written within the window and nothing otherwise),
 * and {@code follow}, which streams new bytes until the attempt ends or the client goes away. Unknown pods,
 * containers and logs are 404 with a plain-text message. One virtual thread per request.
 */
public final class KubeletServer implements AutoCloseable {
    private static final Duration FOLLOW_POLL = Duration.ofMillis(100);
    private final HttpServer server;
    private final ExecutorService executor;
    private final ContainerLogs logs;
    private final Clock clock;

    private KubeletServer(HttpServer server, ExecutorService executor, ContainerLogs logs, Clock clock) {
        this.server = server;
        this.executor = executor;
        this.logs = logs;
        this.clock = clock;
    }

    /** Binds {@code host:port} (0 = a free port) and serves. */
    public static KubeletServer start(String host, int port, ContainerLogs logs, Clock clock) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 64);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        KubeletServer s = new KubeletServer(http, executor, logs, clock);
        http.setExecutor(executor);
        http.createContext("/healthz", ex -> s.text(ex, 200, "ok"));
        http.createContext("/containerLogs/", s::containerLogs);
        http.createContext("/", ex -> s.text(ex, 404, "404 page not found"));
        http.start();
        return s;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void containerLogs(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET")) {
                text(ex, 405, "method not allowed");
                return;
            }
            String[] parts = ex.getRequestURI().getRawPath().substring("/containerLogs/".length()).split("/");
            if (parts.length != 3) {
                text(ex, 400, "expected /containerLogs/{namespace}/{pod}/{container}");
                return;
            }
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            ContainerLogs.Log log;
            try {
                log = logs.find(decode(parts[0]), decode(parts[1]), decode(parts[2]),
                        Boolean.parseBoolean(q.getOrDefault("previous", "false")));
            } catch (ContainerLogs.NotFound e) {
                text(ex, 404, e.getMessage());
                return;
            }
            long tail = number(q, "tailLines", -1);
            long limit = number(q, "limitBytes", -1);
            long since = number(q, "sinceSeconds", -1);
            boolean follow = Boolean.parseBoolean(q.getOrDefault("follow", "false"));
            long offset = tail >= 0 ? LogFiles.tailOffset(log.file(), tail) : 0;
            if (since >= 0 && Files.exists(log.file()) && Files.getLastModifiedTime(log.file()).toInstant()
                    .isBefore(clock.instant().minusSeconds(since))) {
                offset = LogFiles.size(log.file());
            }
            ex.getResponseHeaders().set("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            long remaining = limit > 0 ? limit : Long.MAX_VALUE;
            while (true) {
                boolean ended = log.ended().toCompletableFuture().isDone();
                long copied = copy(log, offset, remaining, out);
                offset += copied;
                remaining -= copied;
                if (!follow || ended || remaining <= 0) {
                    break;
                }
                if (copied == 0) {
                    try {
                        Thread.sleep(FOLLOW_POLL);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            out.flush();
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Copies bytes from {@code offset} to the current end (at most {@code max}); returns how many. */
    private static long copy(ContainerLogs.Log log, long offset, long max, OutputStream out) throws IOException {
        try (FileChannel ch = FileChannel.open(log.file(), StandardOpenOption.READ)) {
            long total = 0;
            ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
            long pos = offset;
            while (total < max) {
                buf.clear();
                if (max - total < buf.capacity()) {
                    buf.limit((int) (max - total));
                }
                int n = ch.read(buf, pos);
                if (n <= 0) {
                    break;
                }
                out.write(buf.array(), 0, n);
                pos += n;
                total += n;
            }
            if (total > 0) {
                out.flush();
            }
            return total;
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    private void text(HttpExchange ex, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static long number(Map<String, String> q, String name, long dflt) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            String k = decode(eq < 0 ? kv : kv.substring(0, eq));
            q.put(k, eq < 0 ? "true" : decode(kv.substring(eq + 1)));
        }
        return q;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
