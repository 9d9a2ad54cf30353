package dev.ferry.proxy.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Protocol;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Out of file descriptors (EMFILE) on accept: the proxy pauses accepting instead of failing in a loop, and serves
 * the queued connections once descriptors are free again.
 *
 * <p>The test lowers this JVM's own soft open-file limit to its lowest free descriptor with prlimit(1), so that no
 * new descriptor can be made, connects sockets it opened before, and restores the limit through a helper process
 * started before (spawning one needs descriptors).
 */
class FileLimitTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void runningOutOfDescriptorsPausesAcceptingAndRecovers() throws Exception {
        assumeTrue(new File("/usr/bin/prlimit").canExecute(), "needs prlimit(1)");
        TestNet net = new TestNet();
        Frontend frontend = new Frontend(net.frontendIp(), 8080, Protocol.TCP);
        long pid = ProcessHandle.current().pid();
        long[] limits = limits();
        try (NettyDataPlane dataPlane = new NettyDataPlane(DataPlaneConfig.defaults().withEventLoops(1));
                TcpBackend backend = new TcpBackend("b0", net.backend(0, 0), TcpBackend.Mode.ECHO)) {
            assertThat(dataPlane.apply(Map.of(frontend, TestRoute.roundRobin(Protocol.TCP, backend.address))))
                    .isEmpty();
            List<SocketChannel> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                SocketChannel c = SocketChannel.open();
                c.bind(new InetSocketAddress(net.client(i), 0));
                clients.add(c);
            }
            // waits for a line on its stdin, then restores the limit
            Process restorer = new ProcessBuilder("sh", "-c",
                    "read line; exec prlimit --pid " + pid + " --nofile=" + limits[0] + ":" + limits[1])
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            OutputStream release = restorer.getOutputStream();
            // classes load from target/classes one file at a time: load what runs below while descriptors are free
            await().atMost(DEADLINE).until(() -> dataPlane.stats().acceptErrors() == 0);
            try {
                prlimit(pid, lowestFreeDescriptor(), limits[1]);
                for (SocketChannel c : clients) {
                    c.connect(frontend.socketAddress());
                }
                await().atMost(DEADLINE).until(() -> dataPlane.stats().acceptErrors() > 0);
            } finally {
                release.write("go\n".getBytes(StandardCharsets.US_ASCII));
                release.flush();
                assertThat(restorer.waitFor(20, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(limits()[0]).isEqualTo(limits[0]);

            for (SocketChannel c : clients) {
                c.socket().setSoTimeout(Clients.READ_TIMEOUT_MILLIS);
                assertThat(Clients.readLine(c.socket())).isEqualTo("b0");
                c.close();
            }
        }
    }

    private static void prlimit(long pid, long soft, long hard) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + soft + ":" + hard)
                .inheritIO().start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    /**
     * The lowest descriptor number not in use: with the soft limit there, no new descriptor can be made. The listing's
     * own directory descriptor does not count (it is closed after).
     */
    private static long lowestFreeDescriptor() throws IOException {
        Set<Integer> used = new HashSet<>();
        Path dir = Path.of("/proc/self/fd");
        try (var fds = Files.list(dir)) {
            fds.forEach(p -> {
                try {
                    if (!Files.readSymbolicLink(p).toString().matches("/proc/\\d+/fd")) {
                        used.add(Integer.parseInt(p.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // closed meanwhile: free
                }
            });
        }
        int n = 0;
        while (used.contains(n)) {
            n++;
        }
        return n;
    }

    /** Soft and hard open-file limits from /proc/self/limits. */
    private static long[] limits() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
            }
        }
        throw new IllegalStateException("no open-file limit in /proc/self/limits");
    }
}
