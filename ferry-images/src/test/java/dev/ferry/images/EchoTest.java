package dev.ferry.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EchoTest {
    private static final String POD_IP = "127.31." + ThreadLocalRandom.current().nextInt(1, 255) + "."
            + ThreadLocalRandom.current().nextInt(1, 255);
    private static ImageProcess image;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        image = ImageProcess.start(Echo.class, Map.of("POD_IP", POD_IP, "PORT", "0", "HOSTNAME", "echo-7"));
    }

    @AfterAll
    static void stop() {
        image.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + image.ip + ":" + image.port + path))
                .header("X-Probe", "one").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bindsThePodIp() {
        assertThat(image.ip).isEqualTo(POD_IP);
    }

    @Test
    void echoesPodClientMethodPathAndHeaders() throws Exception {
        HttpResponse<String> response = get("/some/path?x=1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
        assertThat(response.body())
                .startsWith("pod: echo-7\nclient: 127.0.0.1:")
                .contains("\nmethod: GET\n", "\npath: /some/path?x=1\n", "\nheaders:\n", "  X-probe: one\n")
                .doesNotContain("body:");
    }

    @Test
    void echoesTheBodyOfAPost() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://" + image.ip + ":" + image.port + "/post"))
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).contains("method: POST\n").endsWith("body:\nhello\n");
    }

    @Test
    void reportsTheClientAddressAndPortAsSeenByThePod() throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress("127.0.0.3", 0));
            socket.connect(new InetSocketAddress(image.ip, image.port));
            OutputStream out = socket.getOutputStream();
            out.write("GET /clientip HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            List<String> lines = readResponse(new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8)));
            assertThat(lines.getFirst()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(lines.getLast()).isEqualTo("127.0.0.3:" + socket.getLocalPort());
        }
    }

    @Test
    void keepsConnectionsAlive() throws Exception {
        try (Socket socket = new Socket(image.ip, image.port)) {
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (int i = 0; i < 3; i++) {
                out.write("GET /hostname HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                List<String> lines = readResponse(in);
                assertThat(lines.getFirst()).isEqualTo("HTTP/1.1 200 OK");
                assertThat(lines.getLast()).isEqualTo("echo-7");
            }
        }
    }

    /** An upstream HTTP server on 127.0.0.1 (the address "localhost" resolves to): /x answers, /fail gives 500. */
    private static HttpServer upstream() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getRawPath();
                byte[] body = ("upstream " + path + " host " + exchange.getRequestHeaders().getFirst("Host") + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                if (path.equals("/chunked")) {
                    exchange.sendResponseHeaders(200, 0);
                    exchange.getResponseBody().write(body);
                    exchange.getResponseBody().flush();
                    exchange.getResponseBody().write(("from port " + exchange.getRemoteAddress().getPort() + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                    return;
                }
                exchange.sendResponseHeaders(path.equals("/fail") ? 500 : 200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        return server;
    }

    @Test
    void dialGetsTheUpstreamBodyResolvingTheHostByTheSystemResolver() throws Exception {
        HttpServer server = upstream();
        try {
            int port = server.getAddress().getPort();
            HttpResponse<String> response = get("/dial?host=localhost&port=" + port + "&path=%2Fx%3Fa%3D1");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("upstream /x host localhost:" + port + "\n");
            assertThat(get("/dial?host=127.0.0.1&port=" + port + "&path=/y").body())
                    .isEqualTo("upstream /y host 127.0.0.1:" + port + "\n");
            assertThat(get("/dial?host=localhost&port=" + port + "&path=/chunked").body())
                    .startsWith("upstream /chunked host localhost:" + port + "\nfrom port ");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void everyDialIsANewConnection() throws Exception {
        HttpServer server = upstream();
        try {
            String dial = "/dial?host=localhost&port=" + server.getAddress().getPort() + "&path=/chunked";
            assertThat(get(dial).body().lines().toList().getLast())
                    .isNotEqualTo(get(dial).body().lines().toList().getLast());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void dialFailuresAre502WithOneLine() throws Exception {
        HttpServer server = upstream();
        int port = server.getAddress().getPort();
        try {
            HttpResponse<String> status = get("/dial?host=localhost&port=" + port + "&path=/fail");
            assertThat(status.statusCode()).isEqualTo(502);
            assertThat(status.body()).isEqualTo("dial http://localhost:" + port + "/fail: upstream answered 500\n");
        } finally {
            server.stop(0);
        }
        HttpResponse<String> refused = get("/dial?host=127.0.0.1&port=" + port);
        assertThat(refused.statusCode()).isEqualTo(502);
        assertThat(refused.body()).startsWith("dial http://127.0.0.1:" + port + "/: ").endsWith("\n")
                .hasLineCount(1);
        HttpResponse<String> unknown = get("/dial?host=no-such-host.invalid&port=80");
        assertThat(unknown.statusCode()).isEqualTo(502);
        assertThat(unknown.body()).startsWith("dial http://no-such-host.invalid:80/: unknown host").hasLineCount(1);
        assertThat(get("/dial?port=80").statusCode()).isEqualTo(400);
        assertThat(get("/dial?host=localhost&port=http").statusCode()).isEqualTo(400);
    }

    @Test
    void lookupListsTheResolvedAddresses() throws Exception {
        HttpResponse<String> response = get("/lookup?name=localhost");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().lines().toList()).contains("127.0.0.1");
        assertThat(get("/lookup?name=127.0.0.9").body()).isEqualTo("127.0.0.9\n");
    }

    @Test
    void lookupOfAnUnknownNameIsNxdomain() throws Exception {
        HttpResponse<String> response = get("/lookup?name=no-such-host.invalid");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("NXDOMAIN no-such-host.invalid\n");
        assertThat(get("/lookup").statusCode()).isEqualTo(400);
    }

    /**
     * A name that did not resolve resolves at the next lookup once it exists: no negative caching. The child JVM
     * resolves from a hosts file (jdk.net.hosts.file) standing in for DNS; the cache above it is the same.
     */
    @Test
    void aNameThatAppearsResolvesAtTheNextLookup(@TempDir Path dir) throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
        try (ImageProcess own = ImageProcess.start(Echo.class, Map.of("POD_IP", POD_IP, "PORT", "0"),
                List.of("-Djdk.net.hosts.file=" + hosts))) {
            URI lookup = URI.create("http://" + own.ip + ":" + own.port + "/lookup?name=web.team.svc.cluster.local");
            assertThat(HTTP.send(HttpRequest.newBuilder(lookup).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(404);
            Files.writeString(hosts, "127.0.0.1 localhost\n127.96.7.7 web.team.svc.cluster.local\n");
            HttpResponse<String> found = HTTP.send(HttpRequest.newBuilder(lookup).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(found.statusCode()).isEqualTo(200);
            assertThat(found.body()).isEqualTo("127.96.7.7\n");
        }
    }

    @Test
    void queryParametersAreDecodedAndTheFirstValueWins() {
        assertThat(Echo.query("host=a%2Eb&path=%2Fx%3Fy%3D1&host=c&flag")).containsExactly(
                java.util.Map.entry("host", "a.b"), java.util.Map.entry("path", "/x?y=1"),
                java.util.Map.entry("flag", ""));
        assertThat(Echo.query(null)).isEmpty();
    }

    @Test
    void healthzIsOk() throws Exception {
        HttpResponse<String> response = get("/healthz");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok\n");
    }

    @Test
    void sigtermExitsWithStatusZero() throws Exception {
        try (ImageProcess own = ImageProcess.start(Echo.class, Map.of("POD_IP", POD_IP, "PORT", "0"))) {
            assertThat(own.terminate()).isZero();
        }
    }

    /** Status line, headers, then the body lines of a response with Content-Length. */
    private static List<String> readResponse(BufferedReader in) throws Exception {
        List<String> lines = new ArrayList<>();
        int length = -1;
        String line;
        while (!(line = in.readLine()).isEmpty()) {
            lines.add(line);
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        char[] body = new char[length];
        int read = 0;
        while (read < length) {
            read += in.read(body, read, length - read);
        }
        lines.add(new String(body).strip());
        return lines;
    }
}
