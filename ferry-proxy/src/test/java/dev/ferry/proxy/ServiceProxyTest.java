package dev.ferry.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.apiserver.testing.LocalApiServer;
import dev.ferry.client.Clients;
import dev.ferry.client.SharedInformers;
import dev.ferry.proxy.dataplane.DataPlaneConfig;
import dev.ferry.proxy.dataplane.NettyDataPlane;
import dev.ferry.proxy.sync.SyncMetrics;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole proxy against a real API server: Services and EndpointSlices written with a real client, the real
 * Netty data plane, real sockets. Addresses: ClusterIPs from 127.93.N.0/24, backends at 127.94.N.x (N per test).
 */
final class ServiceProxyTest {
    private final int block = ThreadLocalRandom.current().nextInt(1, 255);
    private LocalApiServer api;
    private KubernetesClient client;
    private SharedInformers informers;
    private ServiceProxy proxy;
    private final List<AutoCloseable> backends = new ArrayList<>();
    private final AtomicInteger syncs = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        api = LocalApiServer.start("127.93." + block + ".0/24", "127.94." + block + ".0/24");
        client = Clients.connect(api.url(), "proxy-test");
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("t").endMetadata().build()).create();
    }

    private void startProxy(Duration minSyncPeriod) {
        informers = new SharedInformers(client);
        ProxyConfig config = new ProxyConfig("node-a", List.of(ip("127.94." + block + ".250")), minSyncPeriod,
                Duration.ofSeconds(30), 3, null, null);
        proxy = ServiceProxy.start(informers, config, new NettyDataPlane(DataPlaneConfig.defaults()),
                Clock.systemUTC(), new SyncMetrics() {
                    @Override
                    public void syncDuration(Duration d) {
                        syncs.incrementAndGet();
                    }

                    @Override
                    public void programmingLatency(Duration d) {
                    }

                    @Override
                    public void syncFailed() {
                    }
                });
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (informers != null) {
            informers.close();
        }
        for (AutoCloseable b : backends) {
            b.close();
        }
        client.close();
        api.close();
    }

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A backend at 127.94.N.host:9376 answering {@code name} to every connection. */
    private void backend(int host, String name) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(ip("127.94." + block + "." + host), 9376));
        backends.add(s);
        Thread.ofVirtual().start(() -> {
            while (!s.isClosed()) {
                try (Socket c = s.accept()) {
                    c.getOutputStream().write((name + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // closed
                }
            }
        });
    }

    private Service service(String name, int port) {
        return client.services().inNamespace("t").resource(new ServiceBuilder().withNewMetadata().withName(name)
                .endMetadata().withNewSpec().addNewPort().withPort(port).withNewTargetPort(9376).endPort().endSpec()
                .build()).create();
    }

    private void slice(String service, int... hosts) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withName(service + "-1")
                .withLabels(Map.of("kubernetes.io/service-name", service)).endMetadata().withAddressType("IPv4")
                .addNewPort().withPort(9376).withProtocol("TCP").endPort();
        for (int h : hosts) {
            b.addNewEndpoint().withAddresses("127.94." + block + "." + h).withNewConditions().withReady(true)
                    .endConditions().withNodeName("node-a").endEndpoint();
        }
        EndpointSlice slice = b.build();
        client.resource(slice).inNamespace("t").serverSideApply();
    }

    private static String hostname(String ip, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 2000);
            s.setSoTimeout(2000);
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    /** Polls every 50 ms for up to 30 s, through exceptions. */
    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions();
    }

    @Test
    void servesClusterIpsOfServicesWithEndpointsAndRefusesTheOthers() throws Exception {
        backend(11, "b11");
        backend(12, "b12");
        String ip = service("web", 80).getSpec().getClusterIP();
        String lonely = service("lonely", 80).getSpec().getClusterIP();
        slice("web", 11, 12);
        startProxy(Duration.ofMillis(100));
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(hostname(ip, 80));
        }
        assertThat(answers).containsOnly("b11", "b12").filteredOn("b11"::equals).hasSize(5);
        assertThatThrownBy(() -> hostname(lonely, 80)).isInstanceOf(ConnectException.class);

        slice("web", 12);
        eventually().until(() -> hostname(ip, 80).equals("b12") && hostname(ip, 80).equals("b12"));
        client.services().inNamespace("t").withName("web").delete();
        eventually().until(() -> {
            try {
                hostname(ip, 80);
                return false;
            } catch (ConnectException refused) {
                return true;
            }
        });
    }

    @Test
    void aServiceFlappingThousandsOfTimesIsCoalescedAndEndsServedAsLastWritten() throws Exception {
        backend(11, "b11");
        String stable = service("stable", 80).getSpec().getClusterIP();
        slice("stable", 11);
        String ip = service("flappy", 80).getSpec().getClusterIP();
        slice("flappy", 11);
        startProxy(Duration.ofSeconds(1));
        int before = syncs.get();
        int updates = 2000;
        for (int i = 1; i <= updates; i++) {
            int port = i % 2 == 0 ? 80 : 81;
            client.services().inNamespace("t").withName("flappy").edit(s -> new ServiceBuilder(s).editSpec()
                    .editFirstPort().withPort(port).endPort().endSpec().build());
        }
        // the last write has port 80: it is served, 81 is not, and the other Service never stopped
        eventually().until(() -> hostname(ip, 80).equals("b11"));
        eventually().until(() -> {
            try {
                hostname(ip, 81);
                return false;
            } catch (ConnectException refused) {
                return true;
            }
        });
        assertThat(hostname(stable, 80)).isEqualTo("b11");
        assertThat(syncs.get() - before).as("syncs for %d updates (min sync period 1 s)", updates)
                .isLessThan(updates / 10);
    }
}
