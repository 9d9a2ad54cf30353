package dev.ferry.proxy.dataplane;

import static dev.ferry.proxy.dataplane.Clients.echo;
import static dev.ferry.proxy.dataplane.Clients.readLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Protocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A client holding 10,000 idle connections through the proxy does not keep another client out.
 *
 * <p>The idle client and its backend run in a child process ({@link IdleClients}), so this JVM spends two descriptors
 * per idle connection (accepted and upstream). When the open-file limit, less the descriptors already open and a
 * reserve, leaves fewer than 2 × 10,000 (20,000 is a common limit; CI lifts it) the count is scaled down to what fits,
 * and the test says so.
 */
class IdleConnectionsTest {
    private static final int WANTED = 10_000;
    private static final int RESERVE = 1_000;
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @Test
    void tenThousandIdleConnectionsDoNotKeepAnotherClientOut() throws Exception {
        long limit = openFileLimit();
        long open = openDescriptors();
        int count = (int) Math.min(WANTED, (limit - open - RESERVE) / 2);
        assumeTrue(count >= 1_000, "open-file limit too low for this test: " + limit + ", " + open + " open");
        if (count < WANTED) {
            System.err.printf("ASSUMPTION: the open-file limit (%d, %d open) lets this JVM proxy %d idle connections,"
                    + " not %d%n", limit, open, count, WANTED);
        }
        TestNet net = new TestNet();
        Frontend frontend = new Frontend(net.frontendIp(), 8080, Protocol.TCP);
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), IdleClients.class.getName(),
                net.address(10).getHostAddress(), frontend.address().getHostAddress(),
                Integer.toString(frontend.port()), net.client(0).getHostAddress(), Integer.toString(count))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        // The proxy opens an upstream connection per accepted one, in a burst that can overflow the backend's accept
        // queue (its accept loop runs in the child JVM); a dropped SYN is sent again after 1 s, 3 s, 7 s, ..., so the
        // 1 s default connect timeout would reset some clients. This test is about idle connections, not that.
        DataPlaneConfig config = DataPlaneConfig.defaults().withEventLoops(2).withMaxConnections(count + 100)
                .withConnectTimeout(Duration.ofSeconds(60));
        try (NettyDataPlane dataPlane = new NettyDataPlane(config);
                Writer toChild = child.outputWriter(StandardCharsets.UTF_8);
                BufferedReader fromChild = new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String backendLine = fromChild.readLine();
            assertThat(backendLine).startsWith("backend ");
            InetSocketAddress backend = new InetSocketAddress(net.address(10),
                    Integer.parseInt(backendLine.substring("backend ".length())));
            assertThat(dataPlane.apply(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, backend)))).isEmpty();

            toChild.write("go\n");
            toChild.flush();
            assertThat(fromChild.readLine()).isEqualTo("connected " + count);
            // every idle connection reached the backend
            try {
                await().atMost(DEADLINE).until(() -> dataPlane.traffic().getFirst().activeConnections() == count);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("not every idle connection reached the backend: " + dataPlane.traffic()
                        + ", " + dataPlane.stats(), e);
            }
            assertThat(dataPlane.stats().openConnections()).isEqualTo(count);

            try (Socket other = Clients.connect(frontend.socketAddress(), net.client(1))) {
                assertThat(readLine(other)).isEqualTo("b0");
                assertThat(echo(other, "through")).isEqualTo("through");
            }
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    /** Descriptors this JVM holds now (earlier tests in the same JVM may still hold some). */
    private static long openDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** The soft limit from /proc/self/limits ("Max open files  SOFT  HARD  files"). */
    private static long openFileLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return DataPlaneConfig.openFileLimit();
    }
}
