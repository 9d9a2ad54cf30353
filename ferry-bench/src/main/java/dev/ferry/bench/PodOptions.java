package dev.ferry.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Command-line options of {@link PodLoad}; {@code --name value} pairs, defaults as in ferry-bench/README.md. */
final class PodOptions {
    /** {@code endpoints} (endpoint programming latency), {@code podstart} (pod start → Ready), {@code memory}. */
    List<String> phases = List.of("endpoints", "podstart", "memory");
    Path ferryJar = Path.of("ferry-cli/target/ferry.jar");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path workDir = Path.of("ferry-bench/target/pod-bench-work");
    Path out;
    List<String> ferryJvmOptions = List.of();
    int services = 1_000;
    /** The Services and Deployments go round-robin into this many namespaces. */
    int namespaces = 100;
    int replicas = 10;
    int churn = 500;
    int churnRate = 20;
    int startPods = 20;
    int simulatedPods = 2_000;
    int processPods = 100;
    int clients = 8;
    int phaseCapSeconds = 600;

    static final String USAGE = """
            usage: PodLoad [--phases endpoints,podstart,memory] [--ferry-jar ferry-cli/target/ferry.jar] [--out results.md]
                           [--services 1000] [--namespaces 100] [--replicas 10] [--churn 500] [--churn-rate 20] [--start-pods 20]
                           [--simulated-pods 2000] [--process-pods 100] [--clients 8] [--phase-cap-seconds 600]
                           [--ferry-jvm-option -XX:...]... [--quick]
            --quick: small numbers (50 Services, 50 churn events, 5 pod starts, 200 + 10 pods for memory).""";

    static PodOptions parse(String[] args) {
        PodOptions o = new PodOptions();
        List<String> jvm = new ArrayList<>();
        Flags.parse(args, USAGE, o::quick, (flag, v) -> {
            switch (flag) {
                case "--phases" -> o.phases = Arrays.asList(v.split(","));
                case "--ferry-jar" -> o.ferryJar = Path.of(v);
                case "--java" -> o.java = Path.of(v);
                case "--work-dir" -> o.workDir = Path.of(v);
                case "--out" -> o.out = Path.of(v);
                case "--ferry-jvm-option" -> jvm.add(v);
                case "--services" -> o.services = Flags.positive(flag, v);
                case "--namespaces" -> o.namespaces = Flags.positive(flag, v);
                case "--replicas" -> o.replicas = Flags.positive(flag, v);
                case "--churn" -> o.churn = Flags.positive(flag, v);
                case "--churn-rate" -> o.churnRate = Flags.positive(flag, v);
                case "--start-pods" -> o.startPods = Flags.positive(flag, v);
                case "--simulated-pods" -> o.simulatedPods = Flags.positive(flag, v);
                case "--process-pods" -> o.processPods = Flags.positive(flag, v);
                case "--clients" -> o.clients = Flags.positive(flag, v);
                case "--phase-cap-seconds" -> o.phaseCapSeconds = Flags.positive(flag, v);
                default -> throw Flags.unknown(flag, USAGE);
            }
        });
        for (String p : o.phases) {
            if (!List.of("endpoints", "podstart", "memory").contains(p)) {
                throw new IllegalArgumentException("--phases: endpoints, podstart and/or memory, not " + p);
            }
        }
        o.ferryJvmOptions = List.copyOf(jvm);
        return o;
    }

    /** The smallest node pod CIDR prefix whose host addresses (.2 to broadcast-1) hold {@code pods} plus 25 %. */
    static int nodeMaskFor(int pods) {
        long needed = pods + pods / 4L + 3;
        int mask = 24;
        while (mask > 17 && (1L << (32 - mask)) < needed) {
            mask--;
        }
        return mask;
    }

    private void quick() {
        services = 50;
        namespaces = 5;
        churn = 50;
        startPods = 5;
        simulatedPods = 200;
        processPods = 10;
    }
}
