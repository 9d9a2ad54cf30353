package dev.ferry.proxy.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Many clients at once, each doing something a real client (or a broken one) does, against backends that echo, never
 * read, reset, close first or answer after the client's FIN. Whatever they do, the proxy keeps serving, and once
 * every client is gone it holds no connection and no file descriptor more than before.
 */
class TcpChaosTest extends DataPlaneFixture {
    private static final int CLIENTS = 600;
    private static final long SEED = 20261126L;

    private enum Act { ECHO_AND_CLOSE, CLOSE_AT_ONCE, RESET_AT_ONCE, SEND_THEN_RESET, HALF_CLOSE_AND_READ, READ_ALL,
        WRITE_MUCH_THEN_CLOSE }

    @Test
    void anyMixOfClientsAndBackendsLeavesNoConnectionOrDescriptorBehind() throws Exception {
        start(config());
        List<TcpBackend> backends = new ArrayList<>();
        TcpBackend.Mode[] modes = TcpBackend.Mode.values();
        for (int i = 0; i < modes.length; i++) {
            TcpBackend b = new TcpBackend("b" + i, net.backend(i, 0), modes[i], true);
            closeables.add(b);
            backends.add(b);
        }
        Frontend frontend = new Frontend(net.frontendIp(), 8080, Protocol.TCP);
        assertThat(dataPlane.apply(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP,
                backends.stream().map(b -> b.address).toArray(java.net.InetSocketAddress[]::new))))).isEmpty();
        // warm: the data plane's loops and buffers exist before the descriptors are counted
        try (Socket s = Clients.connect(frontend.socketAddress(), net.client(0))) {
            s.getInputStream().read();
        }
        await().atMost(DEADLINE).until(() -> dataPlane.stats().openConnections() == 0);
        long descriptorsBefore = openDescriptors();

        Random random = new Random(SEED);
        Act[] acts = Act.values();
        try (var pool = Executors.newFixedThreadPool(64);
                var watchdog = Executors.newSingleThreadScheduledExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Act act = acts[random.nextInt(acts.length)];
                int client = 1 + i % 100;
                done.add(pool.submit(() -> {
                    try (Socket s = Clients.connect(frontend.socketAddress(), net.client(client))) {
                        // a client that is stuck (a backend that never reads or answers) gives up after 2 s
                        s.setSoTimeout(2_000);
                        var giveUp = watchdog.schedule(() -> close(s), 2, TimeUnit.SECONDS);
                        run(act, s);
                        giveUp.cancel(false);
                    } catch (IOException e) {
                        // resets and refusals are among the outcomes; the proxy's state is what is checked
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(DEADLINE.toSeconds() * 3, TimeUnit.SECONDS);
            }
        }
        // backends that never read hold their connections until they are closed
        for (TcpBackend b : backends) {
            b.close();
        }
        await().atMost(DEADLINE).until(() -> dataPlane.stats().openConnections() == 0);
        await().atMost(DEADLINE).until(() -> openDescriptors() <= descriptorsBefore);

        TcpBackend echo = new TcpBackend("after", net.backend(20, 0), TcpBackend.Mode.ECHO);
        closeables.add(echo);
        assertThat(dataPlane.apply(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, echo.address)))).isEmpty();
        try (Socket s = Clients.connect(frontend.socketAddress(), net.client(0))) {
            assertThat(Clients.readLine(s)).isEqualTo("after");
            assertThat(Clients.echo(s, "still serving")).isEqualTo("still serving");
        }
    }

    private static void run(Act act, Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        switch (act) {
            case ECHO_AND_CLOSE -> {
                Clients.writeLine(s, "hello");
                in.read(new byte[256]);
            }
            case CLOSE_AT_ONCE -> { }
            case RESET_AT_ONCE -> s.setSoLinger(true, 0);
            case SEND_THEN_RESET -> {
                out.write(new byte[70_000]);
                s.setSoLinger(true, 0);
            }
            case HALF_CLOSE_AND_READ -> {
                out.write(new byte[10_000]);
                s.shutdownOutput();
                in.readAllBytes();
            }
            case READ_ALL -> in.readAllBytes();
            case WRITE_MUCH_THEN_CLOSE -> out.write(new byte[1 << 20]);
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed already
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
