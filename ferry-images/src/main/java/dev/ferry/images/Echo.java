package dev.ferry.images;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/**
 * The image {@code ferry/echo}: an HTTP/1.1 server (keep-alive) on $POD_IP:$PORT (default 8080).
 *
 * <ul>
 *   <li>{@code /healthz}: 200 {@code ok}</li>
 *   <li>{@code /hostname}: 200, the pod name ($HOSTNAME)</li>
 *   <li>{@code /clientip}: 200, the client's {@code address:port} as the pod sees it</li>
 *   <li>anything else: 200 text/plain describing the request, one item per line:
 *       <pre>
 * pod: NAME
 * client: ADDRESS:PORT
 * method: GET
 * path: /raw/path?query
 * headers:
 *   Name: value          (sorted by name, one line per value)
 * body:                  (only when the request has a body; at most 64 KiB echoed)
 * ...</pre></li>
 * </ul>
 * Once bound it prints one line {@code echo listening on <ip>:<port>} to stdout. SIGTERM ends it with status 0.
 */
public final class Echo {
    private static final int BODY_LIMIT = 64 * 1024;

    private Echo() {
    }

    public static void main(String[] args) throws IOException {
        ImageEnv.exitZeroOnTerm();
        InetAddress address = ImageEnv.bindAddress();
        int port = ImageEnv.port(8080);
        String name = ImageEnv.podName();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 512);
        } catch (IOException e) {
            throw ImageEnv.fatal("echo: cannot bind " + ImageEnv.hostPort(address, port) + ": " + e.getMessage());
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> handle(exchange, name));
        server.start();
        System.out.println("echo listening on " + ImageEnv.hostPort(address, server.getAddress().getPort())
                + ", pod " + name);
        System.out.flush();
    }

    private static void handle(HttpExchange exchange, String name) throws IOException {
        try (exchange) {
            byte[] body = readBody(exchange.getRequestBody());
            String path = exchange.getRequestURI().getRawPath();
            InetSocketAddress client = exchange.getRemoteAddress();
            String text = switch (path) {
                case "/healthz" -> "ok\n";
                case "/hostname" -> name + "\n";
                case "/clientip" -> ImageEnv.hostPort(client.getAddress(), client.getPort()) + "\n";
                default -> describe(exchange, name, client, body);
            };
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(200, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    private static String describe(HttpExchange exchange, String name, InetSocketAddress client, byte[] body) {
        StringBuilder text = new StringBuilder(256)
                .append("pod: ").append(name).append('\n')
                .append("client: ").append(ImageEnv.hostPort(client.getAddress(), client.getPort())).append('\n')
                .append("method: ").append(exchange.getRequestMethod()).append('\n')
                .append("path: ").append(exchange.getRequestURI().getRawPath());
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            text.append('?').append(query);
        }
        text.append("\nheaders:\n");
        for (Map.Entry<String, List<String>> header : new TreeMap<>(exchange.getRequestHeaders()).entrySet()) {
            for (String value : header.getValue()) {
                text.append("  ").append(header.getKey()).append(": ").append(value).append('\n');
            }
        }
        if (body.length > 0) {
            text.append("body:\n").append(new String(body, StandardCharsets.UTF_8));
            if (body[body.length - 1] != '\n') {
                text.append('\n');
            }
        }
        return text.toString();
    }

    /** Reads the whole request body (so the connection can be reused) and keeps at most {@link #BODY_LIMIT} bytes. */
    private static byte[] readBody(InputStream in) throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            int room = BODY_LIMIT - kept.size();
            if (room > 0) {
                kept.write(buffer, 0, Math.min(room, n));
            }
        }
        return kept.toByteArray();
    }
}
