package dev.ferry.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ServeHostnameTest {
    private static final String POD_IP = "127.31." + ThreadLocalRandom.current().nextInt(1, 255) + "."
            + ThreadLocalRandom.current().nextInt(1, 255);
    private static ImageProcess image;

    @BeforeAll
    static void start() throws Exception {
        image = ImageProcess.start(ServeHostname.class, Map.of("POD_IP", POD_IP, "PORT", "0", "HOSTNAME", "web-1"));
    }

    @AfterAll
    static void stop() {
        image.close();
    }

    @Test
    void bindsThePodIp() {
        assertThat(image.ip).isEqualTo(POD_IP);
        assertThatThrownBy(() -> new Socket("127.0.0.1", image.port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void tcpClientThatSendsNothingGetsThePodNameAndANewline() throws Exception {
        try (Socket socket = new Socket(image.ip, image.port)) {
            assertThat(readAll(socket.getInputStream())).isEqualTo("web-1\n");
        }
    }

    @Test
    void tcpClientThatSpeaksFirstGetsThePodName() throws Exception {
        try (Socket socket = new Socket(image.ip, image.port)) {
            socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
            assertThat(readAll(socket.getInputStream())).isEqualTo("web-1\n");
        }
    }

    @Test
    void httpGetIsAnsweredWithAnHttpResponse() throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(URI.create("http://" + image.ip + ":" + image.port + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("web-1\n");
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    }

    @Test
    void rawHttpRequestGetsStatusLineAndName() throws Exception {
        try (Socket socket = new Socket(image.ip, image.port)) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /anything HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String response = readAll(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nweb-1\n");
        }
    }

    @Test
    void udpDatagramIsAnsweredWithThePodNameFromTheBoundAddress() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(10_000);
            byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(ping, ping.length, new InetSocketAddress(image.ip, image.port)));
            DatagramPacket reply = new DatagramPacket(new byte[100], 100);
            socket.receive(reply);
            assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8)).isEqualTo("web-1");
            assertThat(reply.getAddress()).isEqualTo(InetAddress.getByName(POD_IP));
            assertThat(reply.getPort()).isEqualTo(image.port);
        }
    }

    @Test
    void withSniffingOffEveryConnectionIsAnsweredAtOnce() throws Exception {
        try (ImageProcess own = ImageProcess.start(ServeHostname.class,
                Map.of("POD_IP", POD_IP, "PORT", "0", "HOSTNAME", "web-3", "SNIFF_MILLIS", "0"));
                Socket socket = new Socket(own.ip, own.port)) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            // unread request bytes make the server's close a reset, so read only the answer line
            assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8)).readLine()).isEqualTo("web-3");
        }
    }

    @Test
    void sigtermExitsWithStatusZero() throws Exception {
        try (ImageProcess own = ImageProcess.start(ServeHostname.class,
                Map.of("POD_IP", POD_IP, "PORT", "0", "HOSTNAME", "web-2"))) {
            assertThat(own.terminate()).isZero();
        }
    }

    @Test
    void portInUseExitsWithStatusOneAndSaysSo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(POD_IP))) {
            var result = ImageProcess.runToExit(ServeHostname.class,
                    Map.of("POD_IP", POD_IP, "PORT", String.valueOf(taken.getLocalPort())));
            assertThat(result.getKey()).isEqualTo(1);
            assertThat(result.getValue()).contains("cannot bind " + POD_IP + ":" + taken.getLocalPort() + "/tcp");
        }
    }

    @Test
    void sniffRecognisesRequestLinesOnly() {
        byte[] get = "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] other = "GETTING\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(HttpSniff.isRequestLine(get, get.length)).isTrue();
        assertThat(HttpSniff.isRequestLine(other, other.length)).isFalse();
        byte[] head = "GET / HTTP/1.1\r\nA: b\r\n\r\nrest".getBytes(StandardCharsets.US_ASCII);
        assertThat(HttpSniff.headerEnd(head, head.length)).isEqualTo(head.length - 4);
        assertThat(HttpSniff.headerEnd(get, get.length)).isEqualTo(-1);
    }

    static String readAll(InputStream in) throws Exception {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
