package dev.ferry.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * Pod start → Ready with the process runtime ({@code ferry up}): pods of ferry/serve-hostname created one at a time
 * (POST, as kubectl), each timed from the create's answer to the pod watch event showing Ready=True, then deleted
 * (and gone) before the next. Once without a probe, once with a tcpSocket readiness probe (periodSeconds 1). One
 * unmeasured pod first per variant.
 */
final class PodStartBench {
    private static final String NS = "start";
    private final PodOptions o;
    private final Launch launch;
    private final Report report;
    private final ConcurrentHashMap<String, CompletableFuture<Long>> ready = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Long>> running = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Long>> gone = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> ips = new ConcurrentHashMap<>();

    PodStartBench(PodOptions o, Launch launch, Report report) {
        this.o = o;
        this.launch = launch;
        this.report = report;
    }

    void run() throws Exception {
        Path dir = o.workDir.resolve("podstart");
        PodLoad.clean(dir);
        try (FerryProcess ferry = FerryProcess.start(launch, dir, List.of(), Duration.ofSeconds(120))) {
            Kube kube = new Kube(ferry.api());
            kube.createNamespace(NS);
            String podsPath = "/api/v1/namespaces/" + NS + "/pods";
            try (LineWatch watch = LineWatch.open(Api.newClient(), kube.watch(podsPath, kube.listVersion(podsPath)),
                    line -> {
                        long t = System.nanoTime();
                        JsonNode ev = Api.JSON.readTree(line);
                        JsonNode pod = ev.path("object");
                        String name = PodJson.name(pod);
                        if (ev.path("type").asString().equals("DELETED")) {
                            future(gone, name).complete(t);
                        } else {
                            if (PodJson.ip(pod) != null) {
                                ips.put(name, PodJson.ip(pod));
                            }
                            if (PodJson.running(pod)) {
                                future(running, name).complete(t);
                            }
                            if (PodJson.ready(pod)) {
                                future(ready, name).complete(t);
                            }
                        }
                    })) {
                for (boolean probe : new boolean[] {false, true}) {
                    String variant = probe ? "tcpSocket readiness probe, periodSeconds 1" : "no probe";
                    String prefix = probe ? "probe-" : "plain-";
                    measure(kube, prefix + "warm", probe);
                    Samples toReady = new Samples();
                    Samples toRunning = new Samples();
                    Samples toListening = new Samples();
                    for (int i = 0; i < o.startPods; i++) {
                        long[] t = measure(kube, prefix + i, probe);
                        toRunning.add(t[0]);
                        toReady.add(t[1]);
                        toListening.add(t[2]);
                    }
                    Summary r = toReady.summary();
                    report.put("pod start (process runtime)", "pod start, %s: create answered → Ready event, p50 / p99 / max (ms), n=%d"
                            .formatted(variant, r.count()), "≤ 500", Report.pct(r), r.p99() <= 500);
                    report.put("pod start (process runtime)", "pod start, %s: create answered → running event, p50 / p99 / max (ms)"
                            .formatted(variant), "—", Report.pct(toRunning.summary()), null);
                    report.put("pod start (process runtime)", "pod start, %s: create answered → POD_IP:9376 accepts TCP, p50 / p99 / max (ms)"
                            .formatted(variant), "—", Report.pct(toListening.summary()), null);
                }
                if (watch.failure() != null) {
                    report.note("podstart: the watch failed: " + watch.failure());
                }
            }
        }
    }

    /**
     * Creates the pod, waits for Ready and for its port to accept a TCP connection (tried every 5 ms from when the
     * pod has an IP), deletes it and waits until it is gone; returns {to running, to ready, to listening}.
     */
    private long[] measure(Kube kube, String name, boolean probe) throws Exception {
        String path = "/api/v1/namespaces/" + NS + "/pods";
        kube.create(path, PodJson.pod(name, probe));
        long t0 = System.nanoTime();
        long listeningAt = awaitListening(name, t0 + Duration.ofSeconds(60).toNanos());
        long readyAt = future(ready, name).get(60, TimeUnit.SECONDS);
        long runningAt = future(running, name).get(5, TimeUnit.SECONDS);
        kube.delete(path + "/" + name);
        future(gone, name).get(60, TimeUnit.SECONDS);
        return new long[] {Math.max(0, runningAt - t0), Math.max(0, readyAt - t0), Math.max(0, listeningAt - t0)};
    }

    private long awaitListening(String name, long deadline) throws InterruptedException {
        while (System.nanoTime() < deadline) {
            String ip = ips.get(name);
            if (ip != null) {
                try (java.net.Socket s = new java.net.Socket()) {
                    s.connect(new java.net.InetSocketAddress(ip, 9376), 100);
                    return System.nanoTime();
                } catch (java.io.IOException e) {
                    // not listening yet
                }
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException(name + ": port 9376 never accepted a connection");
    }

    private static CompletableFuture<Long> future(ConcurrentHashMap<String, CompletableFuture<Long>> map, String k) {
        return map.computeIfAbsent(k, x -> new CompletableFuture<>());
    }
}
