package dev.ferry.proxy.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.proxy.dataplane.BackendTraffic;
import dev.ferry.proxy.route.Backend;
import dev.ferry.proxy.route.Protocol;
import dev.ferry.proxy.route.ServicePortName;
import dev.ferry.proxy.sync.HealthChecks.Target;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real HTTP against the health-check node ports and the proxy's own server, on a random 127.77.x.y address. */
class HttpEndpointsTest {
    private final InetAddress address = randomAddress();
    private final AtomicBoolean healthy = new AtomicBoolean(true);
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HealthCheckNodePorts healthChecks;
    private ProxyHttpServer server;

    @AfterEach
    void stop() {
        if (healthChecks != null) {
            healthChecks.close();
        }
        if (server != null) {
            server.close();
        }
        executor.shutdownNow();
        http.close();
    }

    private static InetAddress randomAddress() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        try {
            return InetAddress.getByAddress(new byte[] {127, 77, (byte) r.nextInt(1, 255), (byte) r.nextInt(1, 255)});
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, address)) {
            return s.getLocalPort();
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://" + address.getHostAddress() + ":" + port + path);
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthCheckNodePortAnswersLikeKubeProxy() throws Exception {
        healthChecks = new HealthCheckNodePorts(List.of(address), healthy::get, executor);
        int port = freePort();
        healthChecks.sync(Map.of(port, new Target("ns", "web", 2)));

        HttpResponse<String> ok = get(port, "/any/path");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo(
                "{\"service\":{\"namespace\":\"ns\",\"name\":\"web\"},\"localEndpoints\":2,\"serviceProxyHealthy\":true}");
        assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(ok.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(ok.headers().firstValue("X-Load-Balancing-Endpoint-Weight")).hasValue("2");

        healthChecks.sync(Map.of(port, new Target("ns", "web", 0)));
        HttpResponse<String> none = get(port, "/");
        assertThat(none.statusCode()).isEqualTo(503);
        assertThat(none.body()).isEqualTo(
                "{\"service\":{\"namespace\":\"ns\",\"name\":\"web\"},\"localEndpoints\":0,\"serviceProxyHealthy\":true}");
        assertThat(none.headers().firstValue("X-Load-Balancing-Endpoint-Weight")).hasValue("0");

        healthChecks.sync(Map.of(port, new Target("ns", "web", 3)));
        healthy.set(false);
        HttpResponse<String> sick = get(port, "/healthz");
        assertThat(sick.statusCode()).isEqualTo(503);
        assertThat(sick.body()).isEqualTo(
                "{\"service\":{\"namespace\":\"ns\",\"name\":\"web\"},\"localEndpoints\":3,\"serviceProxyHealthy\":false}");
        assertThat(sick.headers().firstValue("X-Load-Balancing-Endpoint-Weight")).hasValue("3");
    }

    @Test
    void healthCheckNodePortsFollowSync() throws Exception {
        healthChecks = new HealthCheckNodePorts(List.of(address), healthy::get, executor);
        int a = freePort();
        int b = freePort();
        healthChecks.sync(Map.of(a, new Target("ns", "a", 1), b, new Target("ns", "b", 1)));
        assertThat(get(a, "/").body()).contains("\"name\":\"a\"");
        assertThat(get(b, "/").body()).contains("\"name\":\"b\"");

        healthChecks.sync(Map.of(b, new Target("ns", "b2", 1)));
        assertThatThrownBy(() -> get(a, "/")).isInstanceOf(ConnectException.class);
        assertThat(get(b, "/").body()).contains("\"name\":\"b2\"");

        healthChecks.close();
        assertThatThrownBy(() -> get(b, "/")).isInstanceOf(ConnectException.class);
    }

    @Test
    void healthzAndLivezFollowProxyHealth() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
        ProxyMetrics metrics = new ProxyMetrics(List::of, () -> 0);
        server = new ProxyHttpServer(new InetSocketAddress(address, 0), metrics, healthy::get, clock, executor);
        int port = server.address().getPort();
        String body = "{\"lastUpdated\":\"2026-03-01T10:00:00Z\",\"currentTime\":\"2026-03-01T10:00:00Z\","
                + "\"nodeEligible\":true}";

        for (String path : List.of("/healthz", "/livez")) {
            HttpResponse<String> ok = get(port, path);
            assertThat(ok.statusCode()).as(path).isEqualTo(200);
            assertThat(ok.body()).isEqualTo(body);
            assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(ok.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        }
        healthy.set(false);
        assertThat(get(port, "/healthz").statusCode()).isEqualTo(503);
        assertThat(get(port, "/livez").statusCode()).isEqualTo(503);
    }

    @Test
    void metricsExposeSyncAndTrafficMetrics() throws Exception {
        ServicePortName web = new ServicePortName("ns", "web", "http", Protocol.TCP);
        Backend backend = new Backend(new InetSocketAddress(InetAddress.getByName("127.244.1.10"), 8080), "node-a");
        AtomicReference<List<BackendTraffic>> traffic = new AtomicReference<>(
                List.of(new BackendTraffic(web, backend, 3, 17, 1000, 2000)));
        ProxyMetrics metrics = new ProxyMetrics(traffic::get, () -> 5);
        metrics.syncDuration(Duration.ofMillis(3));
        metrics.programmingLatency(Duration.ofMillis(1500));
        metrics.syncFailed();
        server = new ProxyHttpServer(new InetSocketAddress(address, 0), metrics, healthy::get, Clock.systemUTC(),
                executor);

        HttpResponse<String> res = get(server.address().getPort(), "/metrics");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("text/plain"));
        String text = res.body();
        assertThat(text).contains("kubeproxy_sync_proxy_rules_duration_seconds_bucket{le=\"0.005\"} 1")
                .contains("kubeproxy_sync_proxy_rules_duration_seconds_count 1")
                .contains("kubeproxy_network_programming_duration_seconds_bucket{le=\"2.0\"} 1")
                .contains("kubeproxy_network_programming_duration_seconds_bucket{le=\"1.0\"} 0")
                .contains("kubeproxy_sync_proxy_rules_last_timestamp_seconds")
                .contains("ferry_proxy_sync_failures_total 1.0")
                .contains("ferry_proxy_frontends_served 5.0")
                .containsPattern("ferry_proxy_connections_active\\{[^}]*endpoint=\"127.244.1.10:8080\"[^}]*"
                        + "service=\"web\"[^}]*\\} 3.0")
                .containsPattern("ferry_proxy_connections_total\\{[^}]*\\} 17.0")
                .containsPattern("ferry_proxy_bytes_total\\{[^}]*direction=\"to_endpoint\"[^}]*\\} 1000.0")
                .containsPattern("ferry_proxy_bytes_total\\{[^}]*direction=\"to_client\"[^}]*\\} 2000.0");

        traffic.set(List.of());
        assertThat(get(server.address().getPort(), "/metrics").body()).doesNotContain("127.244.1.10:8080");
    }
}
