package dev.ferry.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Command-line options of {@link ProxyControlPlaneBench}; {@code --name value} pairs, defaults as in the README. */
final class ProxyBenchOptions {
    Path ferryJar = Path.of("ferry-cli/target/ferry.jar");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path workDir = Path.of("ferry-bench/target/proxy-control-bench-work");
    Path out;
    List<String> ferryJvmOptions = List.of();
    int services = 10_000;
    int endpoints = 10;
    int namespaces = 10;
    int clients = 16;
    /** Changes per churn phase. */
    int changes = 2_000;
    /** Spacing of the paced phase: above the min sync period, so every change meets a free sync. */
    int pacedIntervalMs = 120;
    /** Spacing of the rate phase (50 changes/s): faster than the min sync period lets syncs run. */
    int rateIntervalMs = 20;
    Duration minSyncPeriod = Duration.ofMillis(100);
    int phaseCapSeconds = 600;
    /** {@code netty} (the real data plane) or {@code none} ({@link NullDataPlane}: the control plane alone). */
    String dataPlane = "netty";
    /** Churn phases to run, in this order: {@code paced}, {@code rate}, {@code burst}. */
    List<String> phases = List.of("paced", "rate", "burst");
    /** The JFR recording of the churn phases goes here when set. */
    Path jfr;

    static final String USAGE = """
            usage: ProxyControlPlaneBench [--ferry-jar ferry-cli/target/ferry.jar] [--out results.md] [--work-dir DIR]
                           [--services 10000] [--endpoints 10] [--namespaces 10] [--clients 16] [--changes 2000]
                           [--paced-interval-ms 120] [--rate-interval-ms 20] [--min-sync-period-ms 100]
                           [--phase-cap-seconds 600] [--phases paced,rate,burst] [--data-plane netty|none]
                           [--jfr churn.jfr] [--ferry-jvm-option -XX:...]... [--quick]
            --quick: 1,000 Services, 200 changes per phase.""";

    static ProxyBenchOptions parse(String[] args) {
        ProxyBenchOptions o = new ProxyBenchOptions();
        List<String> jvm = new ArrayList<>();
        Flags.parse(args, USAGE, o::quick, (flag, v) -> {
            switch (flag) {
                case "--ferry-jar" -> o.ferryJar = Path.of(v);
                case "--java" -> o.java = Path.of(v);
                case "--work-dir" -> o.workDir = Path.of(v);
                case "--out" -> o.out = Path.of(v);
                case "--ferry-jvm-option" -> jvm.add(v);
                case "--services" -> o.services = Flags.positive(flag, v);
                case "--endpoints" -> o.endpoints = Flags.positive(flag, v);
                case "--namespaces" -> o.namespaces = Flags.positive(flag, v);
                case "--clients" -> o.clients = Flags.positive(flag, v);
                case "--changes" -> o.changes = Flags.positive(flag, v);
                case "--paced-interval-ms" -> o.pacedIntervalMs = Flags.positive(flag, v);
                case "--rate-interval-ms" -> o.rateIntervalMs = Flags.positive(flag, v);
                case "--min-sync-period-ms" -> o.minSyncPeriod = Duration.ofMillis(Integer.parseInt(v));
                case "--phase-cap-seconds" -> o.phaseCapSeconds = Flags.positive(flag, v);
                case "--jfr" -> o.jfr = Path.of(v);
                case "--phases" -> o.phases = List.of(v.split(","));
                case "--data-plane" -> o.dataPlane = v;
                default -> throw Flags.unknown(flag, USAGE);
            }
        });
        o.ferryJvmOptions = List.copyOf(jvm);
        if (o.endpoints > ProxyBenchObjects.MAX_ENDPOINTS) {
            throw new IllegalArgumentException("--endpoints must be at most " + ProxyBenchObjects.MAX_ENDPOINTS
                    + "\n" + USAGE);
        }
        if ((long) o.services * o.endpoints > ProxyBenchObjects.MAX_ADDRESSES) {
            throw new IllegalArgumentException("--services × --endpoints must be at most "
                    + ProxyBenchObjects.MAX_ADDRESSES + "\n" + USAGE);
        }
        if (o.services > 60_000) {
            throw new IllegalArgumentException("--services must be at most 60000 (one /16 of cluster IPs)\n" + USAGE);
        }
        if (!List.of("paced", "rate", "burst").containsAll(o.phases)) {
            throw new IllegalArgumentException("--phases takes paced, rate, burst\n" + USAGE);
        }
        if (!List.of("netty", "none").contains(o.dataPlane)) {
            throw new IllegalArgumentException("--data-plane is netty or none\n" + USAGE);
        }
        if (o.minSyncPeriod.isNegative()) {
            throw new IllegalArgumentException("--min-sync-period-ms must not be negative\n" + USAGE);
        }
        return o;
    }

    private void quick() {
        services = 1_000;
        changes = 200;
    }
}
