package dev.ferry.cli;

import dev.ferry.agent.AgentConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Flags of the node agent, shared by {@code up} and {@code agent}. */
final class AgentOptions {
    @Option(names = "--node-name", description = "This node's name (default: the host name).")
    String nodeName;

    @Option(names = "--node-ip", description = "This node's address: the kubelet endpoint and NodePorts listen on it "
            + "(default: ${DEFAULT-VALUE}).")
    String nodeIp = "127.0.0.1";

    @Option(names = "--kubelet-port", description = "Port of the agent's endpoint (logs); 0 picks a free one "
            + "(default: ${DEFAULT-VALUE}).")
    int kubeletPort = 10250;

    @Option(names = "--image-map", description = "File of 'image = command line' lines: host programs pods may run "
            + "as images.")
    Path imageMap;

    @Option(names = "--runtime", description = "process (pods are processes) or simulated (no process, pods are "
            + "Ready at once: for scale tests) (default: ${DEFAULT-VALUE}).")
    RuntimeKind runtime = RuntimeKind.process;

    @Option(names = "--leave-pods-running", description = "On a clean stop, leave pod processes running for the "
            + "next agent on this data dir to adopt (default: stop them; after a crash they always keep running).")
    boolean leavePodsRunning;

    @Option(names = "--max-pods", description = "The node's pods capacity, as the kubelet's --max-pods; the pod CIDR "
            + "(--node-cidr-mask-size of the controllers) must hold as many IPs (default: ${DEFAULT-VALUE}).")
    int maxPods = 110;

    @Option(names = "--node-status-update-frequency", description = "How often the agent renews its node's Lease and "
            + "posts node status, e.g. 10s; keep it well below the controllers' --node-monitor-grace-period "
            + "(default: ${DEFAULT-VALUE}).")
    String nodeStatusUpdateFrequency = "10s";

    @Option(names = "--cluster-dns", description = "Comma-separated IPs of the cluster DNS server, the nameservers "
            + "of ClusterFirst pods, as the kubelet's --cluster-dns; an empty value gives such pods the node's DNS and "
            + "a MissingClusterDNS event (default: with ferry up, its cluster DNS address; with ferry agent, "
            + "127.96.0.10, the 10th address of the default Service range).")
    String clusterDns;

    /** {@code --cluster-dns} when the flag is not given; {@code ferry up} sets its own DNS address here. */
    String clusterDnsDefault = AgentConfig.DEFAULT_CLUSTER_DNS;

    /** The cluster domain pods search; the commands set it from {@code --cluster-domain} ({@link DomainOption}). */
    String clusterDomain = AgentConfig.DEFAULT_CLUSTER_DOMAIN;

    enum RuntimeKind { process, simulated }

    /**
     * The IPs of {@code --cluster-dns} (or its default), in order, blanks dropped (empty = none).
     *
     * @throws IllegalArgumentException when an entry is not an IPv4 or IPv6 address literal
     */
    List<String> clusterDns() {
        List<String> ips = new ArrayList<>();
        for (String entry : (clusterDns == null ? clusterDnsDefault : clusterDns).split(",")) {
            if (!entry.isBlank()) {
                ips.add(Flags.inet("--cluster-dns", entry.strip()).getHostAddress());
            }
        }
        return ips;
    }

    /** The heartbeat period: {@code --node-status-update-frequency}. */
    Duration heartbeatInterval() {
        Duration d = ControllerOptions.Durations.parse("--node-status-update-frequency",
                nodeStatusUpdateFrequency);
        if (d.isZero()) {
            throw new IllegalArgumentException("--node-status-update-frequency must be positive");
        }
        return d;
    }

    /** The node name: the flag, else this machine's host name in lower case. */
    String nodeName() {
        if (nodeName != null && !nodeName.isBlank()) {
            return nodeName;
        }
        try {
            String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!host.isEmpty()) {
                return host.toLowerCase(Locale.ROOT);
            }
        } catch (IOException e) {
            // fall through
        }
        return "ferry-node";
    }
}
