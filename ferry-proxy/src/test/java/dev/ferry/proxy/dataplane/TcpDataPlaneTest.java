package dev.ferry.proxy.dataplane;

import static dev.ferry.proxy.dataplane.Clients.connect;
import static dev.ferry.proxy.dataplane.Clients.echo;
import static dev.ferry.proxy.dataplane.Clients.readLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Protocol;
import dev.ferry.proxy.route.Route;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TCP through a real {@link NettyDataPlane} on loopback, with real backends. */
class TcpDataPlaneTest extends DataPlaneFixture {
    private final Frontend frontend = new Frontend(net.frontendIp(), 8080, Protocol.TCP);

    private TcpBackend backend(int i, TcpBackend.Mode mode) throws IOException {
        TcpBackend b = new TcpBackend("b" + i, net.backend(i, 0), mode);
        closeables.add(b);
        return b;
    }

    private Socket client(int i) throws IOException {
        return client(frontend, i);
    }

    private Socket client(Frontend to, int i) throws IOException {
        Socket s = connect(to.socketAddress(), net.client(i));
        closeables.add(s);
        return s;
    }

    private void serve(Map<Frontend, Route> routes) {
        assertThat(dataPlane.apply(routes)).isEmpty();
    }

    private static InetSocketAddress closedPort(InetSocketAddress on) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(on);
            return (InetSocketAddress) s.getLocalSocketAddress();
        }
    }

    /**
     * An address whose connects are never answered: a listener (backlog 1) whose accept queue is full, so the kernel
     * drops further SYNs. Fills the queue with connections until one is not answered within a short wait.
     */
    private InetSocketAddress silent(InetSocketAddress on) throws IOException {
        ServerSocket listener = new ServerSocket();
        closeables.add(listener);
        listener.bind(on, 1);
        InetSocketAddress address = (InetSocketAddress) listener.getLocalSocketAddress();
        for (int i = 0; i < 16; i++) {
            Socket filler = new Socket();
            closeables.add(filler);
            try {
                filler.connect(address, 300);
            } catch (SocketTimeoutException full) {
                return address;
            }
        }
        throw new IllegalStateException("the accept queue of " + address + " did not fill");
    }

    /** The proxy accepts, then resets: the client sees the reset on connect (if it comes that fast) or on read. */
    private void assertResetOnConnectOrRead(int client) {
        assertThatThrownBy(() -> client(client).getInputStream().read())
                .isInstanceOf(SocketException.class)
                .isNotInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining("reset");
    }

    @Test
    void forwardsBothWaysAndCountsTraffic() throws Exception {
        start(config());
        TcpBackend b0 = backend(0, TcpBackend.Mode.ECHO);
        TestRoute route = TestRoute.roundRobin(Protocol.TCP, b0.address);
        serve(Map.of(frontend, route));

        Socket s = client(0);
        assertThat(readLine(s)).isEqualTo("b0");
        assertThat(echo(s, "hello through the proxy")).isEqualTo("hello through the proxy");

        assertThat(route.connected).containsExactly(net.client(0).getHostAddress() + "->" + b0.address.getAddress()
                .getHostAddress() + ":" + b0.address.getPort());
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(dataPlane.traffic()).singleElement().satisfies(t -> {
            assertThat(t.servicePort()).isEqualTo(route.servicePort());
            assertThat(t.backend()).isEqualTo(TestRoute.backend(b0.address));
            assertThat(t.activeConnections()).isEqualTo(1);
            assertThat(t.totalConnections()).isEqualTo(1);
            assertThat(t.bytesToBackend()).isEqualTo("hello through the proxy\n".length());
            assertThat(t.bytesToClient()).isEqualTo("b0\n".length() + "hello through the proxy\n".length());
        }));
        s.close();
        await().atMost(DEADLINE).until(() -> dataPlane.traffic().getFirst().activeConnections() == 0);
        assertThat(dataPlane.stats().openConnections()).isZero();
    }

    @Test
    void spreadsConnectionsAsTheRoutePicks() throws Exception {
        start(config());
        TcpBackend b0 = backend(0, TcpBackend.Mode.ECHO);
        TcpBackend b1 = backend(1, TcpBackend.Mode.ECHO);
        TcpBackend b2 = backend(2, TcpBackend.Mode.ECHO);
        serve(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, b0.address, b1.address, b2.address)));

        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            try (Socket s = connect(frontend.socketAddress(), net.client(0))) {
                counts.merge(readLine(s), 1, Integer::sum);
            }
        }
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("b0", 10, "b1", 10, "b2", 10));
    }

    @Test
    void refusedPickResetsTheClient() throws Exception {
        start(config());
        serve(Map.of(frontend, TestRoute.refusing(Protocol.TCP)));

        assertResetOnConnectOrRead(0);
        assertThat(dataPlane.stats().connectionsRefused()).isEqualTo(1);
        await().atMost(DEADLINE).until(() -> dataPlane.stats().openConnections() == 0);
    }

    @Test
    void retriesTheNextCandidateWhenOneRefuses() throws Exception {
        start(config());
        InetSocketAddress dead = closedPort(net.backend(0, 0));
        TcpBackend b1 = backend(1, TcpBackend.Mode.ECHO);
        TestRoute route = TestRoute.candidates(Protocol.TCP, dead, b1.address);
        serve(Map.of(frontend, route));

        Socket s = client(0);
        assertThat(readLine(s)).isEqualTo("b1");
        assertThat(echo(s, "x")).isEqualTo("x");
        assertThat(route.connected).singleElement().asString().endsWith(b1.address.getPort() + "");
    }

    @Test
    void resetsTheClientWhenNoCandidateAccepts() throws Exception {
        start(config());
        serve(Map.of(frontend, TestRoute.candidates(Protocol.TCP,
                closedPort(net.backend(0, 0)), closedPort(net.backend(1, 0)))));

        assertResetOnConnectOrRead(0);
        assertThat(dataPlane.stats().connectFailures()).isEqualTo(1);
    }

    @Test
    void retriesTheNextCandidateWhenOneDoesNotAnswerWithinTheConnectTimeout() throws Exception {
        start(config().withEventLoops(1).withConnectTimeout(Duration.ofMillis(200)));
        InetSocketAddress silent = silent(net.backend(0, 0));
        TcpBackend b1 = backend(1, TcpBackend.Mode.ECHO);
        serve(Map.of(frontend, TestRoute.candidates(Protocol.TCP, silent, b1.address)));

        // several attempts wait on the one loop's timeouts at once; each moves on to b1 after its own
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clients.add(client(i));
        }
        for (Socket s : clients) {
            assertThat(readLine(s)).isEqualTo("b1");
            assertThat(echo(s, "late but whole")).isEqualTo("late but whole");
        }
        assertThat(dataPlane.stats().connectFailures()).isZero();
    }

    @Test
    void resetsTheClientWhenNoCandidateAnswersWithinTheConnectTimeout() throws Exception {
        start(config().withConnectTimeout(Duration.ofMillis(200)));
        serve(Map.of(frontend, TestRoute.candidates(Protocol.TCP,
                silent(net.backend(0, 0)), silent(net.backend(1, 0)))));

        assertResetOnConnectOrRead(0);
        assertThat(dataPlane.stats().connectFailures()).isEqualTo(1);
        await().atMost(DEADLINE).until(() -> dataPlane.stats().openConnections() == 0);
    }

    @Test
    void bindsTheUpstreamToTheClientAddressWhenThePickSaysSo() throws Exception {
        start(config());
        TcpBackend b0 = backend(0, TcpBackend.Mode.ECHO);
        serve(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, b0.address).bindingSource()));

        Socket s = client(7);
        assertThat(readLine(s)).isEqualTo("b0");
        assertThat(b0.peers).singleElement().satisfies(p -> assertThat(p.getAddress()).isEqualTo(net.client(7)));
    }

    @Test
    void withoutSourceTheBackendSeesTheProxy() throws Exception {
        start(config());
        TcpBackend b0 = backend(0, TcpBackend.Mode.ECHO);
        serve(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, b0.address)));

        Socket s = client(7);
        assertThat(readLine(s)).isEqualTo("b0");
        assertThat(b0.peers).singleElement().satisfies(p -> assertThat(p.getAddress()).isNotEqualTo(net.client(7)));
    }

    @Test
    void aNewRouteAffectsOnlyNewConnections() throws Exception {
        start(config());
        TcpBackend b0 = backend(0, TcpBackend.Mode.ECHO);
        TcpBackend b1 = backend(1, TcpBackend.Mode.ECHO);
        serve(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, b0.address)));
        Socket old = client(0);
        assertThat(readLine(old)).isEqualTo("b0");

        serve(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, b1.address)));

        Socket fresh = client(1);
        assertThat(readLine(fresh)).isEqualTo("b1");
        assertThat(echo(old, "still b0")).isEqualTo("still b0");
        assertThat(b0.peers).hasSize(1);
    }

    @Test
    void connectionsToARemovedBackendCloseAfterTheGrace() throws Exception {
        start(config().withRemovedEndpointGrace(Duration.ofMillis(200)));
        TcpBackend b0 = backend(0, TcpBackend.Mode.ECHO);
        TcpBackend b1 = backend(1, TcpBackend.Mode.ECHO);
        serve(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, b0.address)));
        Socket toRemoved = client(0);
        assertThat(readLine(toRemoved)).isEqualTo("b0");

        serve(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, b0.address, b1.address)));
        serve(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, b1.address)));

        assertThat(toRemoved.getInputStream().read()).isEqualTo(-1);
        await().atMost(DEADLINE).until(() -> dataPlane.stats().openConnections() == 0);
    }

    @Test
    void onlyConnectionsToBackendsStillRemovedAtTheEndOfTheGraceClose() throws Exception {
        start(config().withRemovedEndpointGrace(Duration.ofMillis(500)));
        TcpBackend b0 = backend(0, TcpBackend.Mode.ECHO);
        TcpBackend b1 = backend(1, TcpBackend.Mode.ECHO);
        serve(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, b0.address, b1.address)));
        Socket kept = client(0);
        assertThat(readLine(kept)).isEqualTo("b0");
        Socket removed = client(1);
        assertThat(readLine(removed)).isEqualTo("b1");

        // b0 leaves and comes back at once; b1 leaves for good
        serve(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, b1.address)));
        serve(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, b0.address)));

        assertThat(removed.getInputStream().read()).isEqualTo(-1);
        assertThat(echo(kept, "b0 is served again")).isEqualTo("b0 is served again");
    }

    @Test
    void withoutGraceConnectionsToARemovedBackendFinishNormally() throws Exception {
        start(config());
        TcpBackend b0 = backend(0, TcpBackend.Mode.ECHO);
        TcpBackend b1 = backend(1, TcpBackend.Mode.ECHO);
        serve(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, b0.address)));
        Socket s = client(0);
        assertThat(readLine(s)).isEqualTo("b0");

        serve(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, b1.address)));
        serve(Map.of());

        assertThat(echo(s, "still here")).isEqualTo("still here");
        assertThat(dataPlane.traffic()).singleElement().satisfies(t -> assertThat(t.activeConnections()).isOne());
    }

    @Test
    void aRemovedFrontendStopsAcceptingButKeepsItsConnections() throws Exception {
        start(config());
        TcpBackend b0 = backend(0, TcpBackend.Mode.ECHO);
        serve(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, b0.address)));
        Socket s = client(0);
        assertThat(readLine(s)).isEqualTo("b0");

        serve(Map.of());

        assertThatThrownBy(() -> client(1)).isInstanceOf(java.net.ConnectException.class);
        assertThat(echo(s, "established")).isEqualTo("established");
    }

    @Test
    void halfCloseReachesTheBackendWhichCanStillAnswer() throws Exception {
        start(config());
        TcpBackend b0 = backend(0, TcpBackend.Mode.COUNT_THEN_CLOSE);
        serve(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, b0.address)));

        Socket s = client(0);
        assertThat(readLine(s)).isEqualTo("b0");
        s.getOutputStream().write(new byte[100_000]);
        s.shutdownOutput();

        assertThat(readLine(s)).isEqualTo("got 100000");
        assertThat(s.getInputStream().read()).isEqualTo(-1);
        await().atMost(DEADLINE).until(() -> dataPlane.stats().openConnections() == 0);
    }

    @Test
    void aBackendThatNeverReadsStallsOnlyItsOwnClient() throws Exception {
        start(config().withEventLoops(1));
        TcpBackend sink = backend(0, TcpBackend.Mode.SINK);
        TcpBackend echo = backend(1, TcpBackend.Mode.ECHO);
        Frontend other = new Frontend(net.frontendIp(), 8081, Protocol.TCP);
        serve(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, sink.address),
                other, TestRoute.roundRobin(Protocol.TCP, echo.address)));

        SocketChannel flooder = SocketChannel.open();
        closeables.add(flooder);
        flooder.bind(new InetSocketAddress(net.client(0), 0));
        flooder.connect(frontend.socketAddress());
        flooder.configureBlocking(false);
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        long limit = 512L << 20;
        long[] written = {0};
        // the proxy stops reading the flooder once the sink's side is full, so its writes stall well below the limit
        await().atMost(DEADLINE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(() -> {
            chunk.clear();
            int n = flooder.write(chunk);
            written[0] += n;
            assertThat(written[0]).as("bytes the proxy took from a client whose backend never reads")
                    .isLessThan(limit);
            return n == 0;
        });

        Socket s = client(other, 1);
        assertThat(readLine(s)).isEqualTo("b1");
        assertThat(echo(s, "not blocked")).isEqualTo("not blocked");
    }

    @Test
    void everyByteArrivesInOrderBothWaysWhenTheClientReadsSlowly() throws Exception {
        start(config().withEventLoops(1));
        TcpBackend b0 = backend(0, TcpBackend.Mode.ECHO);
        serve(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, b0.address)));

        Socket s = client(0);
        assertThat(readLine(s)).isEqualTo("b0");
        int total = 16 << 20;
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                byte[] chunk = new byte[100_003];
                for (int sent = 0; sent < total; sent += chunk.length) {
                    int n = Math.min(chunk.length, total - sent);
                    for (int j = 0; j < n; j++) {
                        chunk[j] = (byte) ((sent + j) % 253);
                    }
                    s.getOutputStream().write(chunk, 0, n);
                }
                s.shutdownOutput();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // small reads with pauses: the proxy's writes to this client fill up and it holds data for it
        java.io.InputStream in = s.getInputStream();
        byte[] buf = new byte[7_919];
        long got = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            for (int j = 0; j < n; j++) {
                assertThat(buf[j]).as("byte %d", got + j).isEqualTo((byte) ((got + j) % 253));
            }
            got += n;
            if (got % (1 << 20) < n) {
                // a slow reader, on purpose (not a wait for state): every MiB it stops reading for a moment
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        }
        writer.join(DEADLINE.toMillis());
        assertThat(got).isEqualTo(total);
        await().atMost(DEADLINE).until(() -> dataPlane.stats().openConnections() == 0);
    }

    @Test
    void aBackendThatClosesFirstEndsTheClientAfterAllItsData() throws Exception {
        start(config());
        TcpBackend b0 = backend(0, TcpBackend.Mode.SEND_THEN_CLOSE);
        serve(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, b0.address)));

        Socket s = client(0);
        assertThat(readLine(s)).isEqualTo("b0");
        byte[] all = s.getInputStream().readAllBytes();
        assertThat(all).hasSize(TcpBackend.BYTES_THEN_CLOSE);
        for (int i = 0; i < all.length; i++) {
            assertThat(all[i]).as("byte %d", i).isEqualTo((byte) (i % 251));
        }
        // the backend's FIN came through; the client can still send until it closes, then the connection is gone
        s.getOutputStream().write("late\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        s.close();
        await().atMost(DEADLINE).until(() -> dataPlane.stats().openConnections() == 0);
    }

    @Test
    void aResetByTheBackendResetsTheClient() throws Exception {
        start(config());
        TcpBackend b0 = backend(0, TcpBackend.Mode.RESET_AFTER_LINE);
        serve(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, b0.address)));

        Socket s = client(0);
        assertThat(readLine(s)).isEqualTo("b0");
        Clients.writeLine(s, "bye");
        assertThatThrownBy(() -> s.getInputStream().read())
                .isInstanceOf(SocketException.class)
                .hasMessageContaining("reset");
        await().atMost(DEADLINE).until(() -> dataPlane.stats().openConnections() == 0);
    }

    @Test
    void reportsAFrontendWhoseAddressIsInUseAndServesTheOthers() throws Exception {
        start(config());
        TcpBackend b0 = backend(0, TcpBackend.Mode.ECHO);
        Frontend other = new Frontend(net.frontendIp(), 8081, Protocol.TCP);
        ServerSocket blocker = new ServerSocket();
        blocker.bind(frontend.socketAddress());
        TestRoute route = TestRoute.roundRobin(Protocol.TCP, b0.address);

        Map<Frontend, Exception> failed = dataPlane.apply(Map.of(frontend, route, other, route));

        assertThat(failed).containsOnlyKeys(frontend);
        assertThat(failed.get(frontend)).isInstanceOf(BindException.class)
                .hasMessageContaining(frontend.toString()).hasMessageContaining("in use");
        Socket s = client(other, 0);
        assertThat(readLine(s)).isEqualTo("b0");

        // an update that does not name the failed frontend still tries it again, and reports it while it fails
        assertThat(dataPlane.update(Map.of())).containsOnlyKeys(frontend);
        assertThat(dataPlane.frontends()).containsExactlyInAnyOrder(frontend, other);
        blocker.close();
        assertThat(dataPlane.update(Map.of())).isEmpty();
        Socket retried = client(1);
        assertThat(readLine(retried)).isEqualTo("b0");

        // a removal is a null route: only that frontend stops
        Map<Frontend, Route> removal = new HashMap<>();
        removal.put(frontend, null);
        assertThat(dataPlane.update(removal)).isEmpty();
        assertThat(dataPlane.frontends()).containsExactly(other);
        assertThatThrownBy(() -> client(2)).isInstanceOf(java.net.ConnectException.class);
        assertThat(readLine(client(other, 3))).isEqualTo("b0");
    }

    @Test
    void resetsConnectionsBeyondTheLimit() throws Exception {
        start(config().withMaxConnections(3));
        TcpBackend b0 = backend(0, TcpBackend.Mode.ECHO);
        serve(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, b0.address)));
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket s = client(i);
            assertThat(readLine(s)).isEqualTo("b0");
            open.add(s);
        }

        assertResetOnConnectOrRead(3);
        assertThat(dataPlane.stats().connectionsOverLimit()).isEqualTo(1);

        open.getFirst().close();
        await().atMost(DEADLINE).until(() -> dataPlane.stats().openConnections() == 2);
        Socket again = client(4);
        assertThat(readLine(again)).isEqualTo("b0");
    }

    @Test
    void applyIsIdempotent() throws Exception {
        start(config());
        TcpBackend b0 = backend(0, TcpBackend.Mode.ECHO);
        Map<Frontend, Route> routes = Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, b0.address));
        serve(routes);
        Socket s = client(0);
        assertThat(readLine(s)).isEqualTo("b0");

        serve(new HashMap<>(routes));
        serve(routes);

        assertThat(echo(s, "unchanged")).isEqualTo("unchanged");
        assertThat(readLine(client(1))).isEqualTo("b0");
    }
}
