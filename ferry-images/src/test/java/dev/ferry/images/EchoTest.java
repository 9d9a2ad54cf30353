package dev.ferry.images;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
