package dev.ferry.bench;

import dev.ferry.client.Clients;
import dev.ferry.client.SharedInformers;
import dev.ferry.proxy.ProxyConfig;
import dev.ferry.proxy.ServiceProxy;
import dev.ferry.proxy.dataplane.DataPlaneConfig;
import dev.ferry.proxy.dataplane.NettyDataPlane;
import dev.ferry.testing.ReadyLine;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.slf4j.LoggerFactory;

/**
 * The service proxy's control plane at scale (issue 4: "with 10,000 Services × 10 endpoints loaded, one endpoint
 * change is programmed in ≤ 10 ms p99 after the proxy sees it, and proxy memory stays ≤ 512 MiB").
 *
 * <p>Starts {@code ferry server --store memory} as a process, loads selector-less Services with one EndpointSlice
 * each over HTTP, then runs the service proxy in this JVM ({@link ServiceProxy} with a real {@link NettyDataPlane}:
 * one listener per ClusterIP) with an observer that receives each Service change's latency from the proxy's informer
 * event to the data plane serving it. Churn: single-endpoint slice changes (a ready flip or an address move), each to
 * a different Service, paced, at 50/s, and back to back. Prints a table with the targets; exit status 0 even when a
 * target is missed, 1 on a harness failure, 2 on a usage error. See ferry-bench/README.md.
 */
public final class ProxyControlPlaneBench {
    private static final String COL = "value";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int SAMPLE_CONNECTS = 20;

    private final ProxyBenchOptions o;
    private final Report report = new Report();
    private final HttpClient http = Api.newClient();
    private final int[] notReady;
    private final int[] moved;
    private final int[] order;
    private int nextChange;
    private URI api;

    private ProxyControlPlaneBench(ProxyBenchOptions o) {
        this.o = o;
        this.notReady = new int[o.services];
        this.moved = new int[o.services];
        this.order = shuffled(o.services, new Random(42));
    }

    public static void main(String[] args) throws Exception {
        ProxyBenchOptions o;
        Launch launch;
        try {
            o = ProxyBenchOptions.parse(args);
            launch = Launch.forJar(o.java, o.ferryJar, o.ferryJvmOptions);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ProxyControlPlaneBench bench = new ProxyControlPlaneBench(o);
        int status = 0;
        try {
            bench.run(launch);
        } catch (Exception e) {
            LoggerFactory.getLogger(ProxyControlPlaneBench.class).error("proxy control-plane benchmark failed", e);
            status = 1;
        }
        String table = bench.report.markdown();
        System.out.println();
        System.out.println(table);
        if (o.out != null) {
            Files.createDirectories(o.out.toAbsolutePath().getParent());
            Files.writeString(o.out, table);
        }
        System.exit(status);
    }

    private void run(Launch launch) throws Exception {
        long t0 = System.nanoTime();
        String load0 = loadAverage();
        PodLoad.clean(o.workDir);
        Files.createDirectories(o.workDir);
        SelfMemory bare = SelfMemory.measure();
        try (FerryProcess server = FerryProcess.spawn(launch, List.of("server", "--data-dir",
                o.workDir.resolve("server").toString(), "--api-host", "127.0.0.1", "--api-port", "0",
                "--store", "memory", "--service-cluster-ip-range", ProxyBenchObjects.SERVICE_RANGE,
                "--cluster-cidr", ProxyBenchObjects.CLUSTER_CIDR, "--lb-pool", ProxyBenchObjects.LB_POOL),
                o.workDir.resolve("server.log"), ReadyLine::parse, Duration.ofSeconds(120))) {
            api = server.api();
            load();
            SelfMemory before = SelfMemory.measure();
            runProxy(before, bare);
            report.put(COL, "ferry server RSS with everything loaded (MiB; separate process, not the proxy)", "—",
                    SelfMemory.mib(server.rssKib()), null);
        }
        report.note("run " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, "
                + System.getProperty("java.vm.name") + " " + Runtime.version() + ", JVM options "
                + java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                + "; harness " + Report.f((System.nanoTime() - t0) / 1e9) + " s; load average before / after: "
                + load0 + " / " + loadAverage());
    }

    /** Creates the namespaces, then every Service and its slice from {@code clients} parallel clients. */
    private void load() throws Exception {
        Kube kube = new Kube(api);
        for (int n = 0; n < o.namespaces; n++) {
            kube.createNamespace(ProxyBenchObjects.namespace(n, o.namespaces));
        }
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(o.clients)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < o.clients; c++) {
                workers.add(pool.submit(() -> {
                    for (int s = next.getAndIncrement(); s < o.services; s = next.getAndIncrement()) {
                        String ns = ProxyBenchObjects.namespace(s, o.namespaces);
                        send("POST", ProxyBenchObjects.servicesPath(ns), ProxyBenchObjects.serviceJson(s));
                        send("POST", ProxyBenchObjects.slicesPath(ns),
                                ProxyBenchObjects.sliceJson(s, o.endpoints, 0, 0));
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        report.put(COL, "load: %,d Services + %,d slices × %d endpoints, %d clients (s; objects/s)"
                .formatted(o.services, o.services, o.endpoints, o.clients), "—",
                Report.f(s) + "; " + Report.f(2.0 * o.services / s), null);
    }

    private void runProxy(SelfMemory before, SelfMemory bare) throws Exception {
        ChangeRecorder recorder = new ChangeRecorder();
        Recording jfr = null;
        if (o.jfr != null) {
            jfr = new Recording(Configuration.getConfiguration("profile"));
            jfr.start();
        }
        long t0 = System.nanoTime();
        KubernetesClient client = Clients.connect(api.toString(), "proxy-bench");
        SharedInformers informers = new SharedInformers(client);
        ServiceProxy proxy = null;
        try {
            informers.prefetch(Service.class, EndpointSlice.class, Node.class);
            informers.get(Service.class);
            informers.get(EndpointSlice.class);
            informers.get(Node.class);
            long t1 = System.nanoTime();
            ProxyConfig config = new ProxyConfig(ProxyBenchObjects.NODE_NAME,
                    List.of(InetAddress.getByName(ProxyBenchObjects.NODE_IP)), o.minSyncPeriod,
                    Duration.ofSeconds(30), ProxyConfig.DEFAULT_MAX_CANDIDATES, null, null);
            boolean real = o.dataPlane.equals("netty");
            if (!real) {
                report.note("--data-plane none: the proxy programs a data plane that does nothing; no ClusterIP is "
                        + "served, so this measures the control plane alone");
            }
            proxy = ServiceProxy.start(informers, config, real ? new NettyDataPlane(DataPlaneConfig.defaults())
                    : new NullDataPlane(), Clock.systemUTC(), recorder);
            long t2 = System.nanoTime();
            ChangeRecorder.Taken start = recorder.take();
            report.put(COL, "proxy start → first full sync served (ms): informers synced / first sync / total",
                    "—", Report.f((t1 - t0) / 1e6) + " / " + Report.f((t2 - t1) / 1e6) + " / "
                            + Report.f((t2 - t0) / 1e6), null);
            report.put(COL, "frontends served after the first sync (ClusterIP listeners)",
                    Integer.toString(o.services), Integer.toString(proxy.frontends()),
                    real ? proxy.frontends() == o.services : null);
            report.put(COL, "first sync duration (ms, the proxier's own figure)", "—",
                    Report.f(start.syncs().summary().max()), null);
            if (real) {
                List<InetSocketAddress> sample = sampleClusterIps(informers);
                int accepted = acceptedConnects(sample);
                report.put(COL, "sample ClusterIP:port frontends accepting TCP", sample.size() + " / "
                        + sample.size(), accepted + " / " + sample.size(), accepted == sample.size());
            }
            Thread.sleep(5_000);
            recorder.take();
            SelfMemory loaded = SelfMemory.measure();
            memoryRows("idle, everything loaded", loaded, before, bare);
            for (String phase : o.phases) {
                switch (phase) {
                    case "paced" -> churn(recorder, "paced: %d ms apart".formatted(o.pacedIntervalMs),
                            o.pacedIntervalMs, true);
                    case "rate" -> churn(recorder, "%d/s (%d ms apart)".formatted(1000 / o.rateIntervalMs,
                            o.rateIntervalMs), o.rateIntervalMs, false);
                    default -> churn(recorder, "burst: back to back, one client", 0, false);
                }
            }
            SelfMemory after = SelfMemory.measure();
            memoryRows("after churn", after, before, bare);
            report.put(COL, "open files: bench JVM with the proxy / limit (ulimit -n)", "—",
                    after.openFiles() + " / " + SelfMemory.openFileLimit(), null);
        } finally {
            if (jfr != null) {
                jfr.dump(o.jfr);
                jfr.close();
                report.note("JFR recording (profile settings, proxy start and churn): " + o.jfr);
            }
            if (proxy != null) {
                proxy.close();
            }
            informers.close();
            client.close();
        }
    }

    private void memoryRows(String when, SelfMemory m, SelfMemory before, SelfMemory bare) {
        long proxyHeap = m.heapUsedKib() - before.heapUsedKib();
        long proxyRss = m.rssKib() - before.rssKib();
        report.put(COL, "bench JVM (harness + proxy), %s: heap used after GC / RSS (MiB)".formatted(when),
                "≤ 512 (RSS)", SelfMemory.mib(m.heapUsedKib()) + " / " + SelfMemory.mib(m.rssKib()),
                m.rssKib() <= 512 * 1024);
        report.put(COL, "… proxy's share, %s: heap / RSS minus the harness before the proxy (MiB)".formatted(when),
                "≤ 512", SelfMemory.mib(proxyHeap) + " / " + SelfMemory.mib(proxyRss),
                Math.max(proxyHeap, proxyRss) <= 512 * 1024);
        if (when.startsWith("idle")) {
            report.put(COL, "harness alone before the proxy: heap used after GC / RSS (MiB); at JVM start", "—",
                    SelfMemory.mib(before.heapUsedKib()) + " / " + SelfMemory.mib(before.rssKib()) + "; "
                            + SelfMemory.mib(bare.heapUsedKib()) + " / " + SelfMemory.mib(bare.rssKib()), null);
            report.put(COL, "bench JVM non-heap in use (metaspace, code) with the proxy (MiB)", "—",
                    SelfMemory.mib(m.nonHeapUsedKib()), null);
        }
    }

    /**
     * {@code changes} single-endpoint slice changes, each to a different Service, {@code intervalMs} apart on a
     * fixed schedule (0: back to back); then the proxy's change latencies of the phase.
     */
    private void churn(ChangeRecorder recorder, String phase, int intervalMs, boolean target) throws Exception {
        Random random = new Random(7 + nextChange);
        recorder.take();
        long t0 = System.nanoTime();
        long phaseCap = t0 + Duration.ofSeconds(o.phaseCapSeconds).toNanos();
        int sent = 0;
        for (int k = 0; k < o.changes && System.nanoTime() < phaseCap; k++) {
            if (intervalMs > 0) {
                long at = t0 + (long) k * intervalMs * 1_000_000L;
                for (long wait = at - System.nanoTime(); wait > 0; wait = at - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
            }
            int change = nextChange++;
            int s = order[change % o.services];
            int[] masks = ProxyBenchObjects.change(change, random.nextInt(o.endpoints), notReady[s], moved[s]);
            notReady[s] = masks[0];
            moved[s] = masks[1];
            String ns = ProxyBenchObjects.namespace(s, o.namespaces);
            send("PUT", ProxyBenchObjects.slicesPath(ns) + "/" + ProxyBenchObjects.sliceName(s),
                    ProxyBenchObjects.sliceJson(s, o.endpoints, masks[0], masks[1]));
            sent++;
        }
        double sendS = (System.nanoTime() - t0) / 1e9;
        int seen = recorder.awaitChanges(sent, System.nanoTime() + Duration.ofSeconds(30).toNanos());
        ChangeRecorder.Taken taken = recorder.take();
        Summary lat = taken.changes().summary();
        String name = "change → served (" + phase + "), p50 / p90 / p99 / max (ms)";
        report.put(COL, name, target ? "p99 ≤ 10" : "—", Report.f(lat.p50()) + " / " + Report.f(lat.p90()) + " / "
                + Report.f(lat.p99()) + " / " + Report.f(lat.max()), target ? lat.p99() <= 10 : null);
        Summary syncs = taken.syncs().summary();
        report.put(COL, "… " + phase + ": changes sent / latencies recorded / syncs / failed syncs; sending took (s)",
                "—",
                sent + " / " + seen + " / " + syncs.count() + " / " + taken.failures() + "; " + Report.f(sendS),
                null);
        report.put(COL, "… " + phase + ": sync duration p50 / p99 / max (ms)", "—", Report.f(syncs.p50()) + " / "
                + Report.f(syncs.p99()) + " / " + Report.f(syncs.max()), null);
    }

    private List<InetSocketAddress> sampleClusterIps(SharedInformers informers) {
        List<InetSocketAddress> out = new ArrayList<>();
        List<Service> all = informers.get(Service.class).getStore().list().stream()
                .filter(s -> s.getMetadata().getNamespace().startsWith("cpb-")).toList();
        for (int i = 0; i < Math.min(SAMPLE_CONNECTS, all.size()); i++) {
            Service s = all.get(i * all.size() / Math.min(SAMPLE_CONNECTS, all.size()));
            out.add(new InetSocketAddress(s.getSpec().getClusterIP(), ProxyBenchObjects.PORT));
        }
        return out;
    }

    /** How many of {@code frontends} accept a TCP connection (the listener; no backend exists behind it). */
    private static int acceptedConnects(List<InetSocketAddress> frontends) {
        int ok = 0;
        for (InetSocketAddress a : frontends) {
            try (Socket s = new Socket()) {
                s.connect(a, 2_000);
                ok++;
            } catch (IOException e) {
                System.out.println("connect " + a + ": " + e);
            }
        }
        return ok;
    }

    /** Sends a JSON body; fails unless the server answers 200 or 201. */
    private void send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(api.resolve(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
    }

    private static int[] shuffled(int n, Random random) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }
}
