package dev.ferry.bench;

import dev.ferry.store.etcd.EtcdProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Every measurement against one store kind: start-up runs, then one server for idle memory, creates, gets, lists
 * and watch fan-out, in that order. Each {@code ferry up} gets a fresh data directory (for etcd: a fresh key
 * prefix in one etcd process started here).
 */
final class StoreRun {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final String NS_A = "bench-a";
    private static final String NS_B = "bench-b";

    private final Options o;
    private final String store;
    private final Report report;
    private final Launch launch;
    private int runs;

    StoreRun(Options o, String store, Report report, Launch launch) {
        this.o = o;
        this.store = store;
        this.report = report;
        this.launch = launch;
    }

    void run() throws Exception {
        Files.createDirectories(o.workDir);
        report.note(store + ": load average before the run " + loadAverage());
        EtcdProcess etcd = store.equals("etcd") ? EtcdProcess.start() : null;
        try {
            if (o.phases.contains("startup")) {
                startup(etcd);
            }
            if (o.phases.contains("load")) {
                load(etcd);
            }
        } finally {
            if (etcd != null) {
                etcd.close();
            }
            deleteDataDirs();
        }
    }

    /** Removes the data directories of this store's {@code ferry up} runs (their logs stay for inspection). */
    private void deleteDataDirs() throws IOException {
        try (Stream<Path> dirs = Files.list(o.workDir)) {
            dirs.filter(p -> p.getFileName().toString().startsWith(store + "-") && Files.isDirectory(p))
                    .forEach(StoreRun::deleteRecursively);
        }
    }

    private List<String> storeArgs(EtcdProcess etcd, int run) {
        if (etcd == null) {
            return List.of("--store", "sqlite");
        }
        return List.of("--store", "etcd", "--etcd-endpoint", etcd.clientUrl().toString(),
                "--etcd-prefix", "/bench-" + ProcessHandle.current().pid() + "-" + run);
    }

    private FerryProcess startFresh(EtcdProcess etcd) throws IOException {
        int run = ++runs;
        Path dataDir = o.workDir.resolve(store + "-" + run);
        deleteRecursively(dataDir);
        return FerryProcess.start(launch, dataDir, storeArgs(etcd, run), READY_TIMEOUT);
    }

    /** One unmeasured run (warms the page cache), then the measured ones. */
    private void startup(EtcdProcess etcd) throws IOException {
        startFresh(etcd).close();
        long[] wall = new long[o.startupRuns];
        long[] reported = new long[o.startupRuns];
        long othersNanos = 0;
        for (int i = 0; i < o.startupRuns; i++) {
            long machine0 = ProcStatus.machineBusyNanos();
            Duration self0 = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
            try (FerryProcess ferry = startFresh(etcd)) {
                wall[i] = (long) (ferry.wallMillis() * 1e6);
                reported[i] = ferry.reportedMillis() * 1_000_000;
                Duration self = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).minus(self0);
                othersNanos += Math.max(0, ProcStatus.machineBusyNanos() - machine0 - ferry.cpu().toNanos()
                        - self.toNanos());
            }
        }
        long wallTotal = LongStream.of(wall).sum();
        Summary w = Summary.ofNanos(wall);
        Summary r = Summary.ofNanos(reported);
        report.put(store, "`ferry up` → \"Ferry is ready\", process spawn to line, median / max of "
                + o.startupRuns + " (ms)", "≤ 2,000", Report.f(w.p50()) + " / " + Report.f(w.max()), w.max() <= 2000);
        report.put(store, "… of which inside the server (its own figure), median (ms)", "—",
                Report.f(r.p50()), null);
        report.put(store, "… CPU other processes used meanwhile (cores)", "—",
                Report.f((double) othersNanos / wallTotal), null);
    }

    private void load(EtcdProcess etcd) throws Exception {
        HttpClient http = Api.newClient();
        HttpClient watchHttp = Api.newClient();
        try (FerryProcess ferry = startFresh(etcd)) {
            Api api = new Api(ferry.api());
            Thread.sleep(o.idleSeconds * 1000L);
            double idleMib = ferry.rssKib() / 1024.0;
            report.put(store, "idle RSS, " + o.idleSeconds + " s after ready, nothing created (MiB)", "≤ 256",
                    Report.f(idleMib), idleMib <= 256);
            for (String ns : List.of(NS_A, NS_B, "warm", "single", "watch")) {
                api.createNamespace(http, ns);
            }
            Duration cap = Duration.ofSeconds(o.phaseCapSeconds);

            // warm-up (not reported): JIT, connection pool
            ClosedLoop.run(http, o.warmupCreates, o.clients, i -> api.createService("warm", "warm-" + i), cap);
            ClosedLoop.run(http, o.warmupCreates * 5, o.clients,
                    i -> api.getService("warm", "warm-" + i % o.warmupCreates), cap);

            Cpu cpu = new Cpu(ferry, etcd);
            ClosedLoop.Result creates = ClosedLoop.run(http, o.creates, o.clients,
                    i -> api.createService(i % 2 == 0 ? NS_A : NS_B, name(i)), cap);
            String createCpu = cpu.lap(creates.completed());
            check("create", creates, o.creates);
            report.put(store, "create: throughput, " + o.clients + " clients, " + o.creates + " ClusterIP Services "
                    + "(creates/s)", "≥ 2,000", Report.f(creates.perSecond()), creates.perSecond() >= 2000);
            report.put(store, "create: latency p50 / p99 / max, " + o.clients + " clients (ms)", "p99 ≤ 20",
                    Report.pct(creates.latency()), creates.latency().p99() <= 20);
            report.put(store, "create: p99 as a share of the Kubernetes mutation SLO (p99 ≤ 1 s)", "≤ 100 %",
                    Report.f(creates.latency().p99() / 10) + " % (" + Report.f(1000 / creates.latency().p99())
                            + "× headroom)", creates.latency().p99() <= 1000);
            report.put(store, "create: CPU per create, ferry / etcd / harness (ms); CPU other processes used meanwhile", "—", createCpu, null);

            ClosedLoop.Result single = ClosedLoop.run(http, o.singleClientCreates, 1,
                    i -> api.createService("single", "single-" + i), cap);
            check("single-client create", single, o.singleClientCreates);
            report.put(store, "create: latency p50 / p99 / max, 1 client (ms)", "—", Report.pct(single.latency()),
                    null);

            cpu = new Cpu(ferry, etcd);
            ClosedLoop.Result gets = ClosedLoop.run(http, o.gets, o.clients,
                    i -> getExisting(api, i), cap);
            String getCpu = cpu.lap(gets.completed());
            check("get", gets, o.gets);
            report.put(store, "get: throughput, " + o.clients + " clients (gets/s)", "—", Report.f(gets.perSecond()),
                    null);
            report.put(store, "get: latency p50 / p99 / max, " + o.clients + " clients (ms)", "p99 ≤ 2",
                    Report.pct(gets.latency()), gets.latency().p99() <= 2);
            report.put(store, "get: CPU per get, ferry / etcd / harness (ms); CPU other processes used meanwhile", "—", getCpu, null);
            ClosedLoop.Result singleGets = ClosedLoop.run(http, o.singleClientGets, 1, i -> getExisting(api, i), cap);
            check("single-client get", singleGets, o.singleClientGets);
            report.put(store, "get: latency p50 / p99 / max, 1 client (ms)", "p99 ≤ 2",
                    Report.pct(singleGets.latency()), singleGets.latency().p99() <= 2);

            int listSize = (o.creates + 1) / 2;
            ListBench.run(http, api, NS_A, 0, 2);
            ListBench.Result full = ListBench.run(http, api, NS_A, 0, o.listIterations);
            checkItems(full, listSize);
            report.put(store, "list " + listSize + " Services, no limit: p50 / p99 / max of " + o.listIterations
                            + " (ms); answer " + Report.f(full.bytes() / 1e6) + " MB", "≤ 300",
                    Report.pct(full.perList()), full.perList().p99() <= 300);
            ListBench.run(http, api, NS_A, o.pageLimit, 1);
            ListBench.Result paged = ListBench.run(http, api, NS_A, o.pageLimit, o.pagedListIterations);
            checkItems(paged, listSize);
            report.put(store, "list " + listSize + " Services, limit=" + o.pageLimit + " (all pages): p50 / p99 / max of "
                    + o.pagedListIterations + " (ms)", "≤ 300", Report.pct(paged.perList()),
                    paged.perList().p99() <= 300);
            report.put(store, "… one page of " + o.pageLimit + ": p50 / p99 / max (ms)", "—",
                    Report.pct(paged.perPage()), null);

            cpu = new Cpu(ferry, etcd);
            WatchFanout.Result watch = WatchFanout.run(http, watchHttp, api, "watch", o.watchers, o.watchEvents,
                    o.watchRate);
            String watchCpu = cpu.lap(o.watchEvents);
            report.put(store, "watch: " + o.watchers + " watchers, " + o.watchEvents + " creates at a steady "
                    + o.watchRate + "/s; achieved rate (/s)", "—", Report.f(watch.ratePerSecond()), null);
            report.put(store, "watch: per event, create answered → all " + o.watchers + " watchers have it: "
                            + "p50 / p99 / max (ms)", "p99 ≤ 50", Report.pct(watch.allWatchers()),
                    watch.allWatchers().p99() <= 50 && watch.missing() == 0);
            report.put(store, "watch: per delivery, create answered → watcher reads it: p50 / p99 / max (ms)", "—",
                    Report.pct(watch.perDelivery()), null);
            report.put(store, "watch: per delivery, create sent → watcher reads it: p50 / p99 / max (ms)", "—",
                    Report.pct(watch.fromRequest()), null);
            report.put(store, "watch: deliveries missing after 30 s / create errors / watch errors", "0 / 0 / 0",
                    watch.missing() + " / " + watch.createErrors() + " / " + watch.watchErrors(),
                    watch.missing() == 0 && watch.createErrors() == 0 && watch.watchErrors() == 0);
            report.put(store, "watch: latency of the paced creates p50 / p99 / max (ms)", "—",
                    Report.pct(watch.create()), null);
            report.put(store, "watch: CPU per event (create + " + o.watchers + " deliveries), ferry / etcd / harness "
                    + "(ms); CPU other processes used meanwhile", "—", watchCpu, null);

            report.note(store + ": load average after the run " + loadAverage());
            report.put(store, "RSS after the run (MiB)", "—", Report.f(ferry.rssKib() / 1024.0), null);
            if (!ferry.isAlive()) {
                throw new IllegalStateException("ferry exited during the run");
            }
        } finally {
            http.close();
            watchHttp.close();
        }
    }

    /** The 1, 5 and 15 minute load averages: other work on the machine skews every number here. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String name(int i) {
        return "svc-%06d".formatted(i);
    }

    /** The i-th get: a Service made by the create phase, spread by a fixed stride so every run reads the same. */
    private java.net.http.HttpRequest getExisting(Api api, int i) {
        int n = (int) ((i * 7919L + 13) % o.creates);
        return api.getService(n % 2 == 0 ? NS_A : NS_B, name(n));
    }

    private void check(String phase, ClosedLoop.Result r, int wanted) {
        if (r.errors() > 0 || r.completed() < wanted) {
            report.note(store + " " + phase + ": " + r.completed() + " of " + wanted + " succeeded, " + r.errors()
                    + " errors" + (r.firstError() == null ? " (time cap reached)" : ", first: " + r.firstError()));
        }
    }

    private void checkItems(ListBench.Result r, int wanted) {
        if (r.items() != wanted) {
            report.note(store + " list: " + r.items() + " items, expected " + wanted);
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

    /**
     * CPU used since construction by ferry, etcd (if any), this harness, and every other process on the machine
     * (other work on a shared machine takes CPU from the measured processes).
     */
    private static final class Cpu {
        private final FerryProcess ferry;
        private final ProcessHandle etcd;
        private final long wall0 = System.nanoTime();
        private final long machine0 = ProcStatus.machineBusyNanos();
        private final Duration ferry0;
        private final Duration etcd0;
        private final Duration self0;

        Cpu(FerryProcess ferry, EtcdProcess etcd) {
            this.ferry = ferry;
            this.etcd = etcd == null ? null : ProcessHandle.of(etcd.pid()).orElse(null);
            this.ferry0 = ferry.cpu();
            this.etcd0 = cpu(this.etcd);
            this.self0 = cpu(ProcessHandle.current());
        }

        /**
         * {@code ferry / etcd / harness} CPU milliseconds per operation since construction, and the average number
         * of cores other processes kept busy meanwhile.
         */
        String lap(int ops) {
            double wall = System.nanoTime() - wall0;
            long f = ferry.cpu().minus(ferry0).toNanos();
            long e = cpu(etcd).minus(etcd0).toNanos();
            long h = cpu(ProcessHandle.current()).minus(self0).toNanos();
            long others = Math.max(0, ProcStatus.machineBusyNanos() - machine0 - f - e - h);
            return Report.f(f / 1e6 / ops) + " / " + (etcd == null ? "—" : Report.f(e / 1e6 / ops)) + " / "
                    + Report.f(h / 1e6 / ops) + "; others " + Report.f(others / wall) + " cores";
        }

        private static Duration cpu(ProcessHandle p) {
            return p == null ? Duration.ZERO : p.info().totalCpuDuration().orElse(Duration.ZERO);
        }
    }
}
