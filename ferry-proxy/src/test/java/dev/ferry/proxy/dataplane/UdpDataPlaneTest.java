package dev.ferry.proxy.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.proxy.route.Backend;
import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Protocol;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** UDP through a real {@link NettyDataPlane} on loopback, with real backends. */
class UdpDataPlaneTest extends DataPlaneFixture {
    private final Frontend frontend = new Frontend(net.frontendIp(), 5353, Protocol.UDP);

    private UdpBackend backend(int i) throws IOException {
        UdpBackend b = new UdpBackend("u" + i, net.backend(i, 0));
        closeables.add(b);
        return b;
    }

    private DatagramSocket client(int i) throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(net.client(i), 0));
        s.setSoTimeout(Clients.READ_TIMEOUT_MILLIS);
        closeables.add(s);
        return s;
    }

    private static void send(DatagramSocket s, InetSocketAddress to, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.send(new DatagramPacket(b, b.length, to));
    }

    private static DatagramPacket receive(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
        s.receive(p);
        return p;
    }

    private static String text(DatagramPacket p) {
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    /** Sends {@code text} to the frontend and returns the reply, which must come from the frontend's address. */
    private String exchange(DatagramSocket s, String text) throws IOException {
        send(s, frontend.socketAddress(), text);
        DatagramPacket reply = receive(s);
        assertThat(reply.getSocketAddress()).isEqualTo(frontend.socketAddress());
        return text(reply);
    }

    private long active(InetSocketAddress address) {
        Backend backend = TestRoute.backend(address);
        return dataPlane.traffic().stream().filter(t -> t.backend().equals(backend))
                .mapToLong(BackendTraffic::activeConnections).sum();
    }

    private long total(InetSocketAddress address) {
        Backend backend = TestRoute.backend(address);
        return dataPlane.traffic().stream().filter(t -> t.backend().equals(backend))
                .mapToLong(BackendTraffic::totalConnections).sum();
    }

    @Test
    void repliesComeBackFromTheFrontendAddress() throws Exception {
        start(config());
        UdpBackend u0 = backend(0);
        TestRoute route = TestRoute.roundRobin(Protocol.UDP, u0.address);
        assertThat(dataPlane.apply(Map.of(frontend, route))).isEmpty();

        DatagramSocket c = client(0);
        assertThat(exchange(c, "query-1")).isEqualTo("u0:query-1");
        assertThat(exchange(c, "query-2")).isEqualTo("u0:query-2");

        assertThat(u0.senders).hasSize(2).doesNotContain(c.getLocalSocketAddress());
        assertThat(route.connected).hasSize(1);
        assertThat(dataPlane.traffic()).singleElement().satisfies(t -> {
            assertThat(t.activeConnections()).isEqualTo(1);
            assertThat(t.totalConnections()).isEqualTo(1);
            assertThat(t.bytesToBackend()).isEqualTo("query-1query-2".length());
            assertThat(t.bytesToClient()).isEqualTo("u0:query-1u0:query-2".length());
        });
    }

    @Test
    void carriesLargeDatagramsWhole() throws Exception {
        startWithOneBackend(config());

        String big = "x".repeat(60_000);
        assertThat(exchange(client(0), big)).isEqualTo("u0:" + big);
    }

    @Test
    void carriesEmptyDatagrams() throws Exception {
        startWithOneBackend(config());

        assertThat(exchange(client(0), "")).isEqualTo("u0:");
    }

    /** The kernel answers a datagram to a closed port with ICMP port unreachable; the connected upstream reports it. */
    @Test
    void aFlowToAClosedPortEndsAndTheClientsNextDatagramPicksAgain() throws Exception {
        start(config());
        InetSocketAddress closedPort;
        try (DatagramSocket s = new DatagramSocket(net.backend(2, 0))) {
            closedPort = (InetSocketAddress) s.getLocalSocketAddress();
        }
        UdpBackend u1 = backend(1);
        assertThat(dataPlane.apply(Map.of(frontend, TestRoute.roundRobin(Protocol.UDP, closedPort, u1.address))))
                .isEmpty();
        DatagramSocket c = client(0);

        send(c, frontend.socketAddress(), "lost");
        await().atMost(DEADLINE).until(() -> total(closedPort) == 1 && active(closedPort) == 0);

        assertThat(exchange(c, "again")).isEqualTo("u1:again");
    }

    /** Starts the data plane with the frontend on backend u0, which it returns. */
    private UdpBackend startWithOneBackend(DataPlaneConfig config) throws Exception {
        start(config);
        UdpBackend u0 = backend(0);
        assertThat(dataPlane.apply(Map.of(frontend, TestRoute.roundRobin(Protocol.UDP, u0.address)))).isEmpty();
        return u0;
    }

    /** Starts the data plane with the frontend spread round robin over backends u0 and u1. */
    private void startRoundRobinOverTwoBackends() throws Exception {
        start(config());
        UdpBackend u0 = backend(0);
        UdpBackend u1 = backend(1);
        assertThat(dataPlane.apply(Map.of(frontend, TestRoute.roundRobin(Protocol.UDP, u0.address, u1.address))))
                .isEmpty();
    }

    @Test
    void eachClientPortIsAFlowSpreadByTheRoute() throws Exception {
        startRoundRobinOverTwoBackends();

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            DatagramSocket c = client(0);
            answers.add(exchange(c, "q"));
            answers.add(exchange(c, "q"));
        }
        assertThat(answers).containsExactly("u0:q", "u0:q", "u1:q", "u1:q", "u0:q", "u0:q", "u1:q", "u1:q");
    }

    /** Many flows at once, each with several datagrams in flight: every reply reaches its own client. */
    @Test
    void burstsOfManyFlowsReachTheirOwnClients() throws Exception {
        startRoundRobinOverTwoBackends();

        List<DatagramSocket> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            DatagramSocket c = client(0);
            c.setReceiveBufferSize(1 << 20);
            clients.add(c);
        }
        int perClient = 20; // 160 datagrams in flight: within the default socket buffers, so none is dropped
        for (int n = 0; n < perClient; n++) {
            for (int i = 0; i < clients.size(); i++) {
                send(clients.get(i), frontend.socketAddress(), "c" + i + "-" + n);
            }
        }
        for (int i = 0; i < clients.size(); i++) {
            List<String> got = new ArrayList<>();
            for (int n = 0; n < perClient; n++) {
                DatagramPacket reply = receive(clients.get(i));
                assertThat(reply.getSocketAddress()).isEqualTo(frontend.socketAddress());
                got.add(text(reply).substring(3));
            }
            List<String> sent = new ArrayList<>();
            for (int n = 0; n < perClient; n++) {
                sent.add("c" + i + "-" + n);
            }
            assertThat(got).containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    @Test
    void bindsTheUpstreamToTheClientAddressWhenThePickSaysSo() throws Exception {
        start(config());
        UdpBackend u0 = backend(0);
        assertThat(dataPlane.apply(Map.of(frontend, TestRoute.roundRobin(Protocol.UDP, u0.address).bindingSource())))
                .isEmpty();

        assertThat(exchange(client(5), "who am i")).isEqualTo("u0:who am i");
        assertThat(u0.senders).singleElement().satisfies(a ->
                assertThat(((InetSocketAddress) a).getAddress()).isEqualTo(net.client(5)));
    }

    @Test
    void refusedDatagramsAreDropped() throws Exception {
        start(config());
        assertThat(dataPlane.apply(Map.of(frontend, TestRoute.refusing(Protocol.UDP)))).isEmpty();

        send(client(0), frontend.socketAddress(), "nobody");

        await().atMost(DEADLINE).until(() -> dataPlane.stats().datagramsDropped() == 1);
        assertThat(dataPlane.traffic()).isEmpty();
    }

    @Test
    void idleFlowsExpireAndTheNextDatagramOpensANewOne() throws Exception {
        UdpBackend u0 = startWithOneBackend(config().withUdpFlowIdleTimeout(Duration.ofMillis(100)));
        DatagramSocket c = client(0);
        assertThat(exchange(c, "a")).isEqualTo("u0:a");
        assertThat(active(u0.address)).isEqualTo(1);

        await().atMost(DEADLINE).until(() -> active(u0.address) == 0);

        assertThat(exchange(c, "b")).isEqualTo("u0:b");
        assertThat(total(u0.address)).isEqualTo(2);
        assertThat(u0.senders.get(0)).isNotEqualTo(u0.senders.get(1));
    }

    @Test
    void flowsToARemovedBackendCloseAtOnce() throws Exception {
        start(config());
        UdpBackend u0 = backend(0);
        UdpBackend u1 = backend(1);
        assertThat(dataPlane.apply(Map.of(frontend, TestRoute.roundRobin(Protocol.UDP, u0.address)))).isEmpty();
        DatagramSocket c = client(0);
        assertThat(exchange(c, "a")).isEqualTo("u0:a");

        assertThat(dataPlane.apply(Map.of(frontend, TestRoute.roundRobin(Protocol.UDP, u1.address)))).isEmpty();

        await().atMost(DEADLINE).until(() -> active(u0.address) == 0);
        assertThat(exchange(c, "b")).isEqualTo("u1:b");
    }

    @Test
    void theFlowTableIsBounded() throws Exception {
        UdpBackend u0 = startWithOneBackend(config().withMaxUdpFlows(1));
        assertThat(exchange(client(0), "first")).isEqualTo("u0:first");

        send(client(1), frontend.socketAddress(), "second");

        await().atMost(DEADLINE).until(() -> dataPlane.stats().datagramsDropped() == 1);
        assertThat(total(u0.address)).isEqualTo(1);
    }

    @Test
    void anAddressInUseIsReportedAndBoundOnceFree() throws Exception {
        start(config());
        UdpBackend u0 = backend(0);
        DatagramSocket holder = new DatagramSocket(frontend.socketAddress());
        closeables.add(holder);

        Map<Frontend, Exception> failed =
                dataPlane.apply(Map.of(frontend, TestRoute.roundRobin(Protocol.UDP, u0.address)));

        assertThat(failed).containsOnlyKeys(frontend);
        assertThat(failed.get(frontend)).isInstanceOf(BindException.class)
                .hasMessageContaining(frontend.toString()).hasMessageContaining("in use");
        holder.close();
        assertThat(dataPlane.update(Map.of())).isEmpty();
        assertThat(exchange(client(0), "now")).isEqualTo("u0:now");
    }

    @Test
    void aRemovedFrontendClosesItsFlows() throws Exception {
        UdpBackend u0 = startWithOneBackend(config());
        assertThat(exchange(client(0), "a")).isEqualTo("u0:a");

        assertThat(dataPlane.apply(Map.of())).isEmpty();

        await().atMost(DEADLINE).until(() -> active(u0.address) == 0);
    }
}
