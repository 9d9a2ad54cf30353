package dev.ferry.images;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.time.Duration;
import java.util.LinkedHashMap;
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
 *   <li>{@code /dial?host=H&port=P&path=/x} (port default 80, path default {@code /}, query values URL-encoded):
 *       an HTTP/1.1 GET of {@code http://H:P/x} on a new connection ({@link HttpDial}), H resolved by the system
 *       resolver (so the pod's resolv.conf, its search list and ndots apply): 200 with the upstream's body when it
 *       answers 2xx; else 502 with one line saying why (unknown host, connection refused, timeout after
 *       {@value #DIAL_TIMEOUT_SECONDS} s, or the upstream's status); 400 for a bad port or path</li>
 *   <li>{@code /lookup?name=N}: N resolved by the system resolver: 200 with the addresses one per line, in the
 *       resolver's order; 404 {@code NXDOMAIN N} when it does not resolve</li>
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
 * A missing {@code host} or {@code name} parameter gives 400. Once bound it prints one line
 * {@code echo listening on <ip>:<port>} to stdout. SIGTERM ends it with status 0.
 *
 * <p>Name lookups follow DNS changes quickly: the JVM caches a resolved name for {@value #POSITIVE_TTL_SECONDS} s
 * and a failed one not at all (Security properties {@code networkaddress.cache.ttl} and
 * {@code networkaddress.cache.negative.ttl}, set before the first lookup): a name that appears resolves at the next
 * request, a changed one within about a second.
 */
public final class Echo {
    private static final int BODY_LIMIT = 64 * 1024;
    static final int POSITIVE_TTL_SECONDS = 1;
    static final int DIAL_TIMEOUT_SECONDS = 5;

    /** A response: status and one text body. */
    private record Reply(int status, String text) {
    }

    private Echo() {
    }

    public static void main(String[] args) throws IOException {
        Security.setProperty("networkaddress.cache.ttl", Integer.toString(POSITIVE_TTL_SECONDS));
        Security.setProperty("networkaddress.cache.negative.ttl", "0");
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
            Reply reply = switch (path) {
                case "/healthz" -> ok("ok\n");
                case "/hostname" -> ok(name + "\n");
                case "/clientip" -> ok(ImageEnv.hostPort(client.getAddress(), client.getPort()) + "\n");
                case "/dial" -> dial(query(exchange.getRequestURI().getRawQuery()));
                case "/lookup" -> lookup(query(exchange.getRequestURI().getRawQuery()));
                default -> ok(describe(exchange, name, client, body));
            };
            byte[] bytes = reply.text().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(reply.status(), head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    private static Reply ok(String text) {
        return new Reply(200, text);
    }

    /** The query's parameters, URL-decoded; the first value of a repeated name wins. */
    static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(key, value);
        }
        return params;
    }

    private static Reply lookup(Map<String, String> params) {
        String name = params.get("name");
        if (name == null || name.isEmpty()) {
            return new Reply(400, "lookup: the name parameter is required\n");
        }
        try {
            StringBuilder text = new StringBuilder();
            for (InetAddress address : InetAddress.getAllByName(name)) {
                text.append(address.getHostAddress()).append('\n');
            }
            return ok(text.toString());
        } catch (UnknownHostException e) {
            return new Reply(404, "NXDOMAIN " + name + "\n");
        }
    }

    private static Reply dial(Map<String, String> params) {
        String host = params.get("host");
        if (host == null || host.isEmpty()) {
            return new Reply(400, "dial: the host parameter is required\n");
        }
        String path = params.getOrDefault("path", "/");
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        String portText = params.getOrDefault("port", "80");
        String url = "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + portText + path;
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535 || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            return new Reply(400, "dial " + url + ": bad port or path\n");
        }
        try {
            HttpDial.Response response = HttpDial.get(host, port, path, Duration.ofSeconds(DIAL_TIMEOUT_SECONDS));
            if (response.status() / 100 != 2) {
                return new Reply(502, "dial " + url + ": upstream answered " + response.status() + "\n");
            }
            return ok(response.body());
        } catch (HttpDial.Failure e) {
            return new Reply(502, "dial " + url + ": " + e.getMessage() + "\n");
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
