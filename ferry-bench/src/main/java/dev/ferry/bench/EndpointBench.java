package dev.ferry.bench;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * Endpoint programming latency: {@code ferry up --runtime simulated} with one node big enough for every pod
 * ({@code --node-cidr-mask-size}, {@code --max-pods}), {@code services} Deployments of {@code replicas} pods and a
 * Service for each; then {@code churn} pod deletions at {@code churnRate}/s (each ReplicaSet makes a new pod that
 * becomes Ready). Per new Ready pod: pod watch event (Ready) → slice watch event (its IP ready), see
 * {@link ReadyToSlice}.
 */
final class EndpointBench {
    private final PodOptions o;
    private final Launch launch;
    private final Report report;

    EndpointBench(PodOptions o, Launch launch, Report report) {
        this.o = o;
        this.launch = launch;
        this.report = report;
    }

    void run() throws Exception {
        int pods = o.services * o.replicas;
        int mask = PodOptions.nodeMaskFor(pods);
        String col = "endpoints (simulated pods)";
        Path dir = o.workDir.resolve("endpoints");
        PodLoad.clean(dir);
        try (FerryProcess ferry = FerryProcess.start(launch, dir, List.of("--runtime", "simulated",
                "--node-cidr-mask-size", Integer.toString(mask), "--max-pods", Integer.toString(pods * 2)),
                Duration.ofSeconds(120))) {
            Kube kube = new Kube(ferry.api());
            for (int n = 0; n < o.namespaces; n++) {
                kube.createNamespace(namespace(n));
            }
            ReadyToSlice tracker = new ReadyToSlice();
            String podsPath = "/api/v1/pods";
            String slicesPath = "/apis/discovery.k8s.io/v1/endpointslices";
            String podRv = kube.listVersion(podsPath);
            String sliceRv = kube.listVersion(slicesPath);
            try (LineWatch podWatch = LineWatch.open(Api.newClient(), kube.watch(podsPath, podRv), line -> {
                long t = System.nanoTime();
                JsonNode ev = Api.JSON.readTree(line);
                String type = ev.path("type").asString();
                if (!type.equals("ERROR") && !type.equals("BOOKMARK")) {
                    tracker.onPod(type, ev.path("object"), t);
                }
            }); LineWatch sliceWatch = LineWatch.open(Api.newClient(), kube.watch(slicesPath, sliceRv), line -> {
                long t = System.nanoTime();
                Instant wall = Instant.now();
                JsonNode ev = Api.JSON.readTree(line);
                String type = ev.path("type").asString();
                if (!type.equals("ERROR") && !type.equals("BOOKMARK")) {
                    tracker.onSlice(type, ev.path("object"), t, wall);
                }
            })) {
                load(kube, tracker, ferry, col, pods);
                churn(kube, tracker, ferry, col);
                for (LineWatch w : List.of(podWatch, sliceWatch)) {
                    if (w.failure() != null) {
                        report.note("endpoints: a watch failed: " + w.failure());
                    }
                }
            }
            report.put(col, "ferry RSS after the endpoint run (MiB)", "—", Report.f(ferry.rssKib() / 1024.0),
                    null);
        }
    }

    private static String namespace(int n) {
        return "ep-%03d".formatted(n);
    }

    private void load(Kube kube, ReadyToSlice tracker, FerryProcess ferry, String col, int pods) throws Exception {
        long t0 = System.nanoTime();
        Duration cpu0 = ferry.cpu();
        ExecutorService pool = Executors.newFixedThreadPool(o.clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < o.services; i++) {
                String name = "s%04d".formatted(i);
                String ns = namespace(i % o.namespaces);
                done.add(pool.submit(() -> {
                    kube.create("/api/v1/namespaces/" + ns + "/services", PodJson.service(name));
                    kube.create("/apis/apps/v1/namespaces/" + ns + "/deployments",
                            PodJson.deployment(name, o.replicas));
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        double createdS = (System.nanoTime() - t0) / 1e9;
        long deadline = System.nanoTime() + Duration.ofSeconds(o.phaseCapSeconds).toNanos();
        while (tracker.readyEndpoints() < pods && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        double allReadyS = (System.nanoTime() - t0) / 1e9;
        report.put(col, "load: %,d Services + %,d Deployments × %d in %d namespaces: creates sent (s) / all %,d endpoints ready in slices (s)"
                .formatted(o.services, o.services, o.replicas, o.namespaces, pods), "—",
                Report.f(createdS) + " / " + Report.f(allReadyS) + " (" + tracker.readyEndpoints() + " ready)",
                tracker.readyEndpoints() >= pods ? null : false);
        report.put(col, "load: ferry CPU (s)", "—", Report.f((ferry.cpu().minus(cpu0)).toMillis() / 1e3), null);
        Summary s = tracker.takeLatencies().summary();
        tracker.takeTriggerLatencies();
        report.put(col, "load (burst): pod Ready event → slice event, p50 / p99 / max (ms), n=" + s.count(), "—",
                Report.pct(s), null);
    }

    private void churn(Kube kube, ReadyToSlice tracker, FerryProcess ferry, String col) throws Exception {
        List<String> victims = new ArrayList<>(tracker.readyPods());
        Collections.shuffle(victims, new java.util.Random(42));
        victims = victims.subList(0, Math.min(o.churn, victims.size()));
        Thread.sleep(2_000); // let status writes of the load settle
        tracker.takeLatencies();
        tracker.takeTriggerLatencies();
        int sliceFirst0 = tracker.sliceFirst();
        Duration cpu0 = ferry.cpu();
        long machine0 = ProcStatus.machineBusyNanos();
        long t0 = System.nanoTime();
        long periodNanos = 1_000_000_000L / o.churnRate;
        AtomicInteger errors = new AtomicInteger();
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (int i = 0; i < victims.size(); i++) {
            long due = t0 + i * periodNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(Duration.ofNanos(wait));
            }
            String[] key = victims.get(i).split("/");
            sent.add(kube.http.sendAsync(kube.deleteRequest("/api/v1/namespaces/" + key[0] + "/pods/" + key[1]),
                    HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                        if (e != null || r.statusCode() >= 300) {
                            errors.incrementAndGet();
                        }
                    }));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        Samples all = new Samples();
        Samples trig = new Samples();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            all.addAll(tracker.takeLatencies());
            trig.addAll(tracker.takeTriggerLatencies());
            if (all.size() >= victims.size() && tracker.pending() == 0) {
                break;
            }
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double others = (ProcStatus.machineBusyNanos() - machine0) / 1e9 / seconds;
        Summary s = all.summary();
        report.put(col, "churn: %d pod deletions at %d/s, new pod Ready event → slice event, p50 / p99 / max (ms)"
                .formatted(victims.size(), o.churnRate), "p99 ≤ 100", Report.pct(s), s.p99() <= 100);
        report.put(col, "churn: samples / pods still waiting / slice event read first (counted 0) / delete errors",
                "—", s.count() + " / " + tracker.pending() + " / " + (tracker.sliceFirst() - sliceFirst0) + " / "
                        + errors.get(), null);
        report.put(col, "churn: slice event wall clock − last-change-trigger-time, p50 / p99 / max (ms), n="
                + trig.size(), "—", Report.pct(trig.summary()), null);
        report.put(col, "churn: ferry CPU (cores); whole machine busy (cores)", "—",
                Report.f(ferry.cpu().minus(cpu0).toNanos() / 1e9 / seconds) + "; " + Report.f(others), null);
    }
}
