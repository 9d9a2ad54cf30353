package dev.ferry.store.etcd;

import dev.ferry.testing.ChildProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A single-member etcd server for tests and benchmarks: started from the installed binary on loopback with free
 * ports and a fresh data directory, stopped by its PID, data directory removed.
 *
 * <p>The binary is {@code /usr/bin/etcd} (Debian's etcd-server), or the path in system property
 * {@code ferry.etcd.binary} / environment variable {@code FERRY_ETCD_BINARY}. A missing binary is an error, not a
 * reason to skip: CI installs it. Use with try-with-resources or {@code @BeforeAll}/{@code @AfterAll}.
 */
public final class EtcdProcess implements AutoCloseable {

    public static final Path DEFAULT_BINARY = Path.of("/usr/bin/etcd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    /** Attempts with fresh ports: a port found free can be taken by someone else before etcd binds it. */
    private static final int START_ATTEMPTS = 3;

    private final Path dataDir;
    private final Path log;
    private final URI clientUrl;
    private final Process process;

    private EtcdProcess(Path dataDir, Path log, URI clientUrl, Process process) {
        this.dataDir = dataDir;
        this.log = log;
        this.clientUrl = clientUrl;
        this.process = process;
    }

    /** Starts etcd and waits until it answers {@code /health} with true. */
    public static EtcdProcess start() {
        return start(List.of());
    }

    /**
     * Starts etcd with extra command-line flags (e.g. {@code --quota-backend-bytes=...} for a benchmark) and waits
     * until it answers {@code /health} with true.
     */
    public static EtcdProcess start(List<String> extraArgs) {
        Path binary = binary();
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("etcd binary not found at " + binary + ": install etcd 3.4+ (Debian: "
                    + "apt-get install etcd-server) or point -Dferry.etcd.binary / FERRY_ETCD_BINARY at it");
        }
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startOnce(binary, extraArgs);
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    /** The client URL, e.g. {@code http://127.0.0.1:40123}. */
    public URI clientUrl() {
        return clientUrl;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops etcd (SIGTERM, then SIGKILL after a grace period) and removes its data directory. Idempotent. */
    @Override
    public void close() {
        ChildProcesses.stop(process, STOP_TIMEOUT);
        deleteRecursively(dataDir.getParent());
    }

    private static EtcdProcess startOnce(Path binary, List<String> extraArgs) {
        Path dir;
        try {
            dir = Files.createTempDirectory("ferry-etcd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path dataDir = dir.resolve("data");
        Path log = dir.resolve("etcd.log");
        int[] ports = freePorts(2);
        String client = "http://127.0.0.1:" + ports[0];
        String peer = "http://127.0.0.1:" + ports[1];
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--name", "default",
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", client,
                "--advertise-client-urls", client,
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "default=" + peer,
                "--initial-cluster-state", "new",
                "--logger", "zap",
                "--log-level", "warn",
                "--log-outputs", "stderr"));
        command.addAll(extraArgs);
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            deleteRecursively(dir);
            throw new IllegalStateException("cannot run " + binary + ": " + e, e);
        }
        EtcdProcess etcd = new EtcdProcess(dataDir, log, URI.create(client), process);
        try {
            etcd.awaitHealthy();
            return etcd;
        } catch (RuntimeException e) {
            etcd.close();
            throw e;
        }
    }

    private void awaitHealthy() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            HttpRequest health = HttpRequest.newBuilder(clientUrl.resolve("/health"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("etcd exited with " + process.exitValue() + " before it was"
                            + " healthy; log:\n" + logTail());
                }
                try {
                    HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200 && response.body().contains("\"health\":\"true\"")) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("etcd not healthy after " + START_TIMEOUT + "; log:\n" + logTail());
                }
                // poll interval while etcd boots (typically well under a second)
                process.waitFor(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for etcd", e);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static Path binary() {
        String configured = System.getProperty("ferry.etcd.binary", System.getenv("FERRY_ETCD_BINARY"));
        return configured == null || configured.isBlank() ? DEFAULT_BINARY : Path.of(configured);
    }

    private static int[] freePorts(int n) {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing a probe socket
                    }
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
