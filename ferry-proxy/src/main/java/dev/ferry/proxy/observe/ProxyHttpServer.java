package dev.ferry.proxy.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * The proxy's own endpoints: {@code /healthz} and {@code /livez} (200 when the proxy is healthy, else 503, with
 * kube-proxy's JSON body) and {@code /metrics} (Prometheus text).
 */
public final class ProxyHttpServer implements AutoCloseable {
    private final HttpServer server;

    public ProxyHttpServer(InetSocketAddress bind, ProxyMetrics metrics, BooleanSupplier healthy, Clock clock,
            Executor executor) throws IOException {
        server = HttpServer.create(bind, 64);
        server.createContext("/healthz", ex -> health(ex, healthy, clock));
        server.createContext("/livez", ex -> health(ex, healthy, clock));
        server.createContext("/metrics", ex -> {
            try (ex) {
                byte[] body = metrics.scrape();
                ex.getResponseHeaders().set("Content-Type", ProxyMetrics.contentType());
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    private static void health(HttpExchange ex, BooleanSupplier healthy, Clock clock) throws IOException {
        try (ex) {
            boolean ok = healthy.getAsBoolean();
            String now = clock.instant().toString();
            byte[] body = ("{\"lastUpdated\":\"" + now + "\",\"currentTime\":\"" + now + "\",\"nodeEligible\":true}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.sendResponseHeaders(ok ? 200 : 503, body.length);
            ex.getResponseBody().write(body);
        }
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
