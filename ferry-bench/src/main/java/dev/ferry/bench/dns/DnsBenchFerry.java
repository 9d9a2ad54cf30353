package dev.ferry.bench.dns;

import dev.ferry.bench.Summary;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ferry's side of run-dns-bench.sh, against a running {@code ferry up} (the script starts and stops it):
 * <ul>
 * <li>{@code load}: creates the Services of {@link DnsBenchObjects} from parallel JDK HttpClient clients, waits until
 * the DNS answers the last ones, then asks every name once and checks the answer (ClusterIP: the Service's IP;
 * headless: its 10 endpoint IPs) and a few NXDOMAIN names;
 * <li>{@code programming}: single-endpoint changes, one at a time, each to a different headless Service: a PUT of its
 * slice that moves one endpoint to a new address (with {@code last-change-trigger-time} = the write time), while this
 * client polls the name over UDP every {@code --poll-us}; latency = first answer with the new address − the PUT's
 * response (0 if the answer came first), and also − the PUT's start. Scrapes
 * {@code ferry_dns_programming_duration_seconds} before and after.
 * </ul>
 * Results are appended to {@code --out} as {@code key=value} lines ({@link DnsBenchReport} reads them). Exit status 1
 * on a harness failure, 2 on a usage error.
 */
public final class DnsBenchFerry {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String HISTOGRAM = "ferry_dns_programming_duration_seconds";
    private static final String KIND = "service_kind=\"headless_without_selector\"";

    private final Map<String, String> opts;
    private final URI api;
    private final InetSocketAddress dns;
    private final int services;
    private final String zone;
    private final Path out;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    private DnsBenchFerry(Map<String, String> opts) {
        this.opts = opts;
        this.api = URI.create(required(opts, "api"));
        String[] hp = required(opts, "dns").split(":");
        this.dns = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
        this.services = Integer.parseInt(opts.getOrDefault("services", "10000"));
        this.zone = opts.getOrDefault("zone", "cluster.local");
        this.out = Path.of(required(opts, "out"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts;
        try {
            opts = options(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: DnsBenchFerry load|programming --api URL --dns IP:PORT --out FILE "
                    + "[--services N] [--clients N] [--metrics URL] [--changes N] [--gap-ms N] [--poll-us N]");
            System.exit(2);
            return;
        }
        try {
            DnsBenchFerry bench = new DnsBenchFerry(opts);
            switch (opts.get("command")) {
                case "load" -> bench.load();
                case "programming" -> bench.programming();
                default -> throw new IllegalArgumentException("unknown command " + opts.get("command"));
            }
        } catch (Exception e) {
            LoggerFactory.getLogger(DnsBenchFerry.class).error("DNS benchmark {} failed", opts.get("command"), e);
            System.exit(1);
        }
        System.exit(0);
    }

    /** {@code COMMAND --key value ...} as a map with the command under "command". Pure. */
    static Map<String, String> options(String[] args) {
        if (args.length == 0 || args[0].startsWith("--")) {
            throw new IllegalArgumentException("no command");
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put("command", args[0]);
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --key value at " + args[i]);
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }

    private static String required(Map<String, String> opts, String key) {
        String v = opts.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + key);
        }
        return v;
    }

    private void load() throws Exception {
        int clients = Integer.parseInt(opts.getOrDefault("clients", "16"));
        String[] clusterIps = new String[services];
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit(() -> {
                    for (int s = next.getAndIncrement(); s < services; s = next.getAndIncrement()) {
                        JsonNode svc = send("POST", DnsBenchObjects.servicesPath(), DnsBenchObjects.serviceJson(s));
                        clusterIps[s] = svc.path("spec").path("clusterIP").asString();
                        if (DnsBenchObjects.headless(s)) {
                            send("POST", DnsBenchObjects.slicesPath(),
                                    DnsBenchObjects.sliceJson(s, DnsBenchObjects.initialAddresses(s), null));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        }
        long t1 = System.nanoTime();
        int lastHeadless = (services - 1) / DnsBenchObjects.HEADLESS_EVERY * DnsBenchObjects.HEADLESS_EVERY;
        try (UdpProbe probe = new UdpProbe(dns, 200)) {
            long deadline = t1 + Duration.ofSeconds(300).toNanos();
            while (!(correct(probe, services - 1, clusterIps) && correct(probe, lastHeadless, clusterIps))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("DNS did not answer svc-" + (services - 1) + " and svc-"
                            + lastHeadless + " within 300 s of the load");
                }
                LockSupport.parkNanos(1_000_000);
            }
            long t2 = System.nanoTime();
            int ok = 0;
            List<String> bad = new ArrayList<>();
            for (int s = 0; s < services; s++) {
                if (correct(probe, s, clusterIps)) {
                    ok++;
                } else if (bad.size() < 5) {
                    bad.add(DnsBenchObjects.serviceName(s));
                }
            }
            int nx = 0;
            for (int s = services; s < services + 100; s++) {
                DnsWire.Answer a = probe.ask(DnsBenchObjects.fqdn(s, zone));
                if (a != null && a.rcode() == 3) {
                    nx++;
                }
            }
            long t3 = System.nanoTime();
            Map<String, String> r = new LinkedHashMap<>();
            r.put("services", Integer.toString(services));
            r.put("headless", Integer.toString((services + DnsBenchObjects.HEADLESS_EVERY - 1)
                    / DnsBenchObjects.HEADLESS_EVERY));
            r.put("load_clients", Integer.toString(clients));
            r.put("load_seconds", f((t1 - t0) / 1e9));
            r.put("load_to_dns_seconds", f((t2 - t1) / 1e9));
            r.put("verify_ok", Integer.toString(ok));
            r.put("verify_bad", Integer.toString(services - ok));
            r.put("verify_bad_examples", String.join(" ", bad));
            r.put("verify_nxdomain_ok", nx + "/100");
            r.put("verify_seconds", f((t3 - t2) / 1e9));
            write(r);
        }
    }

    /** Whether Service {@code s}'s name answers what it should: its ClusterIP, or exactly its 10 endpoints. */
    private boolean correct(UdpProbe probe, int s, String[] clusterIps) throws IOException {
        DnsWire.Answer a = probe.ask(DnsBenchObjects.fqdn(s, zone));
        if (a == null || a.rcode() != 0) {
            return false;
        }
        if (DnsBenchObjects.headless(s)) {
            return new HashSet<>(a.addresses()).equals(new HashSet<>(DnsBenchObjects.initialAddresses(s)));
        }
        return a.addresses().equals(List.of(clusterIps[s]));
    }

    private void programming() throws Exception {
        int changes = Integer.parseInt(opts.getOrDefault("changes", "200"));
        long gapNanos = Long.parseLong(opts.getOrDefault("gap-ms", "50")) * 1_000_000L;
        long pollNanos = Long.parseLong(opts.getOrDefault("poll-us", "200")) * 1_000L;
        String metrics = opts.get("metrics");
        PromHistogram before = metrics == null ? PromHistogram.EMPTY : scrape(metrics);
        int[] order = DnsBenchObjects.changeOrder(services, changes, 5);
        Map<Integer, List<String>> current = new HashMap<>();
        long[] fromResponse = new long[changes];
        long[] fromSend = new long[changes];
        int seen = 0;
        int early = 0;
        int missing = 0;
        long polls = 0;
        long t0 = System.nanoTime();
        try (UdpProbe probe = new UdpProbe(dns, 100)) {
            for (int k = 0; k < changes; k++) {
                int s = order[k];
                List<String> addresses = current.computeIfAbsent(s, DnsBenchObjects::initialAddresses);
                String fresh = DnsBenchObjects.changeAddress(k);
                addresses.set(k % DnsBenchObjects.ENDPOINTS, fresh);
                String name = DnsBenchObjects.fqdn(s, zone);
                long[] respondedAt = new long[1];
                String body = DnsBenchObjects.sliceJson(s, addresses, Instant.now().toString());
                long sent = System.nanoTime();
                CompletableFuture<HttpResponse<String>> put = http.sendAsync(request("PUT",
                        DnsBenchObjects.slicesPath() + "/" + DnsBenchObjects.sliceName(s), body),
                        HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
                            respondedAt[0] = System.nanoTime();
                            return r;
                        });
                long seenAt = 0;
                long deadline = sent + Duration.ofSeconds(10).toNanos();
                while (System.nanoTime() < deadline) {
                    polls++;
                    DnsWire.Answer a = probe.ask(name);
                    if (a != null && a.addresses().contains(fresh)) {
                        seenAt = System.nanoTime();
                        break;
                    }
                    LockSupport.parkNanos(pollNanos);
                }
                HttpResponse<String> r = put.get(60, TimeUnit.SECONDS);
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("PUT slice of svc-" + s + ": " + r.statusCode() + " " + r.body());
                }
                if (seenAt == 0) {
                    missing++;
                } else {
                    fromSend[seen] = seenAt - sent;
                    long d = seenAt - respondedAt[0];
                    if (d < 0) {
                        early++;
                    }
                    fromResponse[seen] = Math.max(0, d);
                    seen++;
                }
                LockSupport.parkNanos(gapNanos);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, String> r = new LinkedHashMap<>();
        Summary resp = Summary.ofNanos(java.util.Arrays.copyOf(fromResponse, seen));
        Summary send = Summary.ofNanos(java.util.Arrays.copyOf(fromSend, seen));
        r.put("prog_changes", Integer.toString(changes));
        r.put("prog_seen", Integer.toString(seen));
        r.put("prog_missing", Integer.toString(missing));
        r.put("prog_seen_before_response", Integer.toString(early));
        r.put("prog_poll_us", Long.toString(pollNanos / 1000));
        r.put("prog_polls", Long.toString(polls));
        r.put("prog_seconds", f(seconds));
        summary(r, "prog_resp", resp);
        summary(r, "prog_send", send);
        if (metrics != null) {
            PromHistogram delta = scrape(metrics).minus(before);
            r.put("prog_metric_count", Long.toString(delta.count()));
            r.put("prog_metric_mean_ms", f(delta.mean() * 1000));
            r.put("prog_metric_p50_le_ms", f(delta.quantileUpperBound(0.50) * 1000));
            r.put("prog_metric_p90_le_ms", f(delta.quantileUpperBound(0.90) * 1000));
            r.put("prog_metric_p99_le_ms", f(delta.quantileUpperBound(0.99) * 1000));
            r.put("prog_metric_buckets", delta.distribution());
        }
        write(r);
    }

    private static void summary(Map<String, String> r, String prefix, Summary s) {
        r.put(prefix + "_p50_ms", f(s.p50()));
        r.put(prefix + "_p90_ms", f(s.p90()));
        r.put(prefix + "_p99_ms", f(s.p99()));
        r.put(prefix + "_max_ms", f(s.max()));
        r.put(prefix + "_mean_ms", f(s.mean()));
    }

    private PromHistogram scrape(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + ": " + r.statusCode());
        }
        return PromHistogram.parse(r.body(), HISTOGRAM, KIND);
    }

    private HttpRequest request(String method, String path, String body) {
        return HttpRequest.newBuilder(api.resolve(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Sends a JSON body; the parsed answer; fails unless the server answers 200 or 201. */
    private JsonNode send(String method, String path, String body) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(request(method, path, body), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " "
                    + new String(r.body(), StandardCharsets.UTF_8));
        }
        return json.readTree(r.body());
    }

    private void write(Map<String, String> r) throws IOException {
        StringBuilder b = new StringBuilder();
        r.forEach((k, v) -> {
            b.append(k).append('=').append(v).append('\n');
            System.out.println(k + " = " + v);
        });
        Files.writeString(out, b, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "NA" : String.format(Locale.ROOT, "%.3f", v);
    }
}
