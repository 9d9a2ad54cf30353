package dev.ferry.dns;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The DNS server's own endpoints, as CoreDNS's health, ready and prometheus plugins: {@code /health} and
 * {@code /ready} answer 200 {@code OK} while it serves (it is only started once the caches are synced), and
 * {@code /metrics} (Prometheus text).
 */
final class DnsHttpServer implements AutoCloseable {
    private final HttpServer server;

    DnsHttpServer(InetSocketAddress bind, PrometheusRegistry registry) throws IOException {
        server = HttpServer.create(bind, 64);
        server.createContext("/health", ex -> send(ex, "text/plain", "OK".getBytes(StandardCharsets.US_ASCII)));
        server.createContext("/ready", ex -> send(ex, "text/plain", "OK".getBytes(StandardCharsets.US_ASCII)));
        server.createContext("/metrics", ex -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
            send(ex, PrometheusTextFormatWriter.CONTENT_TYPE, out.toByteArray());
        });
        server.setExecutor(null);
        server.start();
    }

    private static void send(HttpExchange ex, String contentType, byte[] body) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
