package dev.ferry.e2e;

import dev.ferry.testing.ReadyLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real {@code ferry} binary (the shaded jar) as a child process with its own data dir and a free API port.
 * Stopped by PID (SIGTERM, then SIGKILL after a grace period).
 */
public final class FerryProcess extends JarProcess {
    private final String apiUrl;
    private final Path kubeconfig;
    private final String podCidr;

    private FerryProcess(Process process, String apiUrl, Path kubeconfig, Path dataDir, List<String> output,
            String podCidr) {
        super(process, dataDir, output, Duration.ofSeconds(10));
        this.podCidr = podCidr;
        this.apiUrl = apiUrl;
        this.kubeconfig = kubeconfig;
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("ferry.jar", "../ferry-cli/target/ferry.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the ferry jar is missing at " + jar + ": build ferry-cli first");
        }
        return jar;
    }

    private static final java.util.concurrent.atomic.AtomicInteger CLUSTERS = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * A pod CIDR of its own for each cluster this JVM starts (127.160.0.0/16 … 127.199.0.0/16), so that clusters
     * started one after another, or side by side, never share pod IPs; a /16 in which some process on this machine
     * has its POD_IP (a cluster of another test run) is skipped while a free one is left.
     */
    static String freshPodCidr() {
        java.util.Set<Integer> inUse;
        try {
            inUse = PodProcesses.loopbackSecondOctetsInUse();
        } catch (IOException e) {
            inUse = java.util.Set.of();
        }
        int first = (int) ((ProcessHandle.current().pid() + CLUSTERS.getAndIncrement()) % 40);
        for (int i = 0; i < 40; i++) {
            int octet = 160 + (first + i) % 40;
            if (!inUse.contains(octet)) {
                return "127." + octet + ".0.0/16";
            }
        }
        return "127." + (160 + first) + ".0.0/16";
    }

    /**
     * Starts {@code ferry up} in {@code dataDir} with {@code extraArgs}; waits for the ready line. A cluster started
     * again on its data dir gets the addresses it had (its Services keep their ClusterIPs).
     */
    public static FerryProcess up(Path dataDir, String... extraArgs) throws IOException, InterruptedException {
        Path remembered = dataDir.resolve("e2e-pod-cidr");
        String podCidr;
        if (Files.exists(remembered)) {
            podCidr = Files.readString(remembered).strip();
        } else {
            podCidr = freshPodCidr();
            Files.createDirectories(dataDir);
            Files.writeString(remembered, podCidr);
        }
        return up(dataDir, podCidr, List.of(extraArgs));
    }

    /**
     * Starts {@code ferry up} in {@code dataDir} with the pod CIDR {@code podCidr} (to restart a cluster on its data
     * dir with the CIDR it had: {@link #podCidr()}); waits for the ready line.
     */
    public static FerryProcess up(Path dataDir, String podCidr, List<String> extraArgs) throws IOException {
        ClusterNetwork net = ClusterNetwork.ofPodCidr(podCidr);
        List<String> args = new ArrayList<>(List.of("up", "--data-dir", dataDir.toString(), "--api-port", "0",
                "--kubelet-port", "0", "--cluster-cidr", podCidr));
        args.addAll(extraArgs);
        addUnlessGiven(args, "--service-cluster-ip-range", net.serviceCidr());
        addUnlessGiven(args, "--lb-pool", net.lbPool());
        addUnlessGiven(args, "--node-ip", net.nodeIp(1));
        addUnlessGiven(args, "--proxy-healthz-port", "0");
        addUnlessGiven(args, "--proxy-metrics-port", "0");
        FerryJar.Started<ReadyLine> s = FerryJar.start(args, ReadyLine::parse);
        return new FerryProcess(s.process(), s.ready().api().toString(), s.ready().kubeconfig(), dataDir, s.output(),
                podCidr);
    }

    /**
     * Starts {@code ferry server} (API server and controllers, no node) in {@code dataDir} with a pod CIDR of its own
     * and {@code extraArgs}; waits for its ready line. Nodes join with {@link AgentProcess#start}.
     */
    public static FerryProcess server(Path dataDir, String... extraArgs) throws IOException {
        String podCidr = freshPodCidr();
        ClusterNetwork net = ClusterNetwork.ofPodCidr(podCidr);
        List<String> args = new ArrayList<>(List.of("server", "--data-dir", dataDir.toString(), "--api-port", "0",
                "--cluster-cidr", podCidr));
        args.addAll(List.of(extraArgs));
        addUnlessGiven(args, "--service-cluster-ip-range", net.serviceCidr());
        addUnlessGiven(args, "--lb-pool", net.lbPool());
        FerryJar.Started<ReadyLine> s = FerryJar.start(args, ReadyLine::parse);
        return new FerryProcess(s.process(), s.ready().api().toString(), s.ready().kubeconfig(), dataDir, s.output(),
                podCidr);
    }

    private static void addUnlessGiven(List<String> args, String flag, String value) {
        if (!args.contains(flag)) {
            args.add(flag);
            args.add(value);
        }
    }

    public String apiUrl() {
        return apiUrl;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** The cluster's pod CIDR, a /16 of its own. */
    public String podCidr() {
        return podCidr;
    }

    /** The cluster's addresses. */
    ClusterNetwork network() {
        return ClusterNetwork.ofPodCidr(podCidr);
    }
}
