package dev.ferry.bench;

import dev.ferry.testing.ChildProcesses;
import dev.ferry.testing.ReadyLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One {@code ferry up} process on loopback with its own data directory. Its output is copied to
 * {@code DATA_DIR.log}; {@link #start} returns once the ready line appears. {@link #close} stops it by PID (SIGTERM,
 * then SIGKILL after a grace period).
 */
final class FerryProcess implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final ReadyLine ready;
    private final double wallMillis;

    private FerryProcess(Process process, ReadyLine ready, double wallMillis) {
        this.process = process;
        this.ready = ready;
        this.wallMillis = wallMillis;
    }

    /**
     * Address ranges of the clusters the harnesses start with {@code ferry up}, apart from Ferry's defaults (and from
     * {@link ProxyBenchObjects}), so that a bench run never binds what a user's cluster on the same machine serves:
     * its own Service range (the proxy binds each ClusterIP), pod range, load-balancer pool and node address, and
     * free ports for the proxy's health and metrics endpoints.
     */
    static final List<String> OWN_ADDRESSES = List.of("--service-cluster-ip-range", "127.90.0.0/16",
            "--cluster-cidr", "127.92.0.0/16", "--lb-pool", "127.89.2.0/24", "--node-ip", "127.89.3.1",
            "--proxy-healthz-port", "0", "--proxy-metrics-port", "0");

    /**
     * Runs {@code ferry up --data-dir DATA_DIR --api-port 0 --kubelet-port 0 OWN_ADDRESSES STORE_ARGS} and waits for
     * the ready line.
     *
     * @throws IllegalStateException if the process exits or {@code timeout} passes first (the process is stopped)
     */
    static FerryProcess start(Launch launch, Path dataDir, List<String> storeArgs, Duration timeout) {
        List<String> args = new ArrayList<>(List.of("up", "--data-dir", dataDir.toString(),
                "--api-host", "127.0.0.1", "--api-port", "0", "--kubelet-port", "0"));
        args.addAll(OWN_ADDRESSES);
        args.addAll(storeArgs);
        return spawn(launch, args, dataDir.resolveSibling(dataDir.getFileName() + ".log"), ReadyLine::parse,
                timeout);
    }

    /**
     * Runs {@code ferry ARGS} (any command: {@code up}, {@code server}, {@code agent}), copies its output to
     * {@code log} and waits for the first line {@code readyParser} accepts.
     *
     * @throws IllegalStateException if the process exits or {@code timeout} passes first (the process is stopped)
     */
    static FerryProcess spawn(Launch launch, List<String> args, Path log,
            Function<String, Optional<ReadyLine>> readyParser, Duration timeout) {
        CompletableFuture<ReadyLine> readyFuture = new CompletableFuture<>();
        long t0 = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(launch.command(args)).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long[] readyAt = new long[1];
        Thread pump = Thread.ofPlatform().daemon().name("ferry-output-" + process.pid()).start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)); Writer out = Files.newBufferedWriter(log)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!readyFuture.isDone()) {
                        var parsed = readyParser.apply(line);
                        if (parsed.isPresent()) {
                            readyAt[0] = System.nanoTime();
                            readyFuture.complete(parsed.get());
                        }
                    }
                    out.write(line);
                    out.write('\n');
                    out.flush();
                }
            } catch (IOException e) {
                readyFuture.completeExceptionally(e);
            } finally {
                readyFuture.completeExceptionally(new IllegalStateException("ferry exited before it was ready"));
            }
        });
        try {
            ReadyLine ready = readyFuture.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new FerryProcess(process, ready, (readyAt[0] - t0) / 1e6);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ChildProcesses.stop(process, STOP_TIMEOUT);
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            ChildProcesses.stop(process, STOP_TIMEOUT);
            pump.interrupt();
            throw new IllegalStateException("ferry " + args.get(0) + " did not become ready within " + timeout + " (log: " + log
                    + "): " + e, e);
        }
    }

    URI api() {
        return ready.api();
    }

    long pid() {
        return process.pid();
    }

    /** Milliseconds from spawning the JVM to reading the ready line. */
    double wallMillis() {
        return wallMillis;
    }

    /** Start-up time as the server reports it (JVM start-up excluded). */
    long reportedMillis() {
        return ready.reportedMillis();
    }

    /** Resident set size now, in KiB, from {@code /proc/PID/status} (VmRSS). */
    long rssKib() {
        return ProcStatus.rssKib(process.pid());
    }

    /** CPU time (user + system) the process has used so far. */
    Duration cpu() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, STOP_TIMEOUT);
    }
}
