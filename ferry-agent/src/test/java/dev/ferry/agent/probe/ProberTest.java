package dev.ferry.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProberTest {
    private HttpServer server;
    private final AtomicReference<String> header = new AtomicReference<>();
    private final Prober prober = new Prober(null);

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok", ex -> {
            var h = ex.getRequestHeaders();
            header.set(h.getFirst("X-Probe") + " " + h.getFirst("User-Agent"));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/redirect", ex -> {
            ex.getResponseHeaders().set("Location", "/elsewhere");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/fail", ex -> {
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void httpGetSucceedsOn2xxAnd3xxAndFailsOtherwise() throws Exception {
        int port = server.getAddress().getPort();
        assertThat(run(http("/ok", new IntOrString(port)))).isEqualTo(new Prober.Outcome(true, ""));
        assertThat(header.get()).isEqualTo("yes kube-probe/1.32");
        assertThat(run(http("/redirect", new IntOrString(port))).success()).isTrue();
        assertThat(run(http("/fail", new IntOrString(port))))
                .isEqualTo(new Prober.Outcome(false, "HTTP probe failed with statuscode: 500"));
    }

    @Test
    void namedPortResolvesFromTheContainerPorts() throws Exception {
        int port = server.getAddress().getPort();
        var probe = http("/ok", new IntOrString("web"));
        var ports = List.of(new ContainerPortBuilder().withName("web").withContainerPort(port).build());
        assertThat(prober.run(probe, "127.0.0.1", ports, null, Duration.ofSeconds(1)).success()).isTrue();
        assertThat(prober.run(probe, "127.0.0.1", List.of(), null, Duration.ofSeconds(1)).message())
                .contains("couldn't find port: web");
    }

    @Test
    void connectionRefusedMessage() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        assertThat(run(http("/", new IntOrString(closed))).message())
                .isEqualTo("Get \"http://127.0.0.1:" + closed + "/\": dial tcp 127.0.0.1:" + closed
                        + ": connect: connection refused");
        var tcp = new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(closed)).endTcpSocket().build();
        assertThat(run(tcp)).isEqualTo(new Prober.Outcome(false, "dial tcp 127.0.0.1:" + closed
                + ": connect: connection refused"));
    }

    @Test
    void tcpSocketSucceedsWhenAConnectionOpens() throws Exception {
        var tcp = new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(server.getAddress().getPort()))
                .endTcpSocket().build();
        assertThat(run(tcp).success()).isTrue();
    }

    private Prober.Outcome run(io.fabric8.kubernetes.api.model.Probe p) throws InterruptedException {
        return prober.run(p, "127.0.0.1", List.of(), null, Duration.ofSeconds(2));
    }

    private static io.fabric8.kubernetes.api.model.Probe http(String path, IntOrString port) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withPort(port)
                .withHttpHeaders(new HTTPHeader("X-Probe", "yes")).endHttpGet().build();
    }
}
