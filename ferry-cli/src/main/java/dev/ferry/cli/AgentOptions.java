package dev.ferry.cli;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.node.NodeLabels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Flags of the node agent, shared by {@code up} and {@code agent}. */
final class AgentOptions {
    String nodeName;
    String nodeIp = "127.0.0.1";
    int kubeletPort = 10250;
    Path imageMap;
    RuntimeKind runtime = RuntimeKind.process;
    boolean leavePodsRunning;
    int maxPods = 110;
    String nodeStatusUpdateFrequency = "10s";
    String clusterDns;
    Map<String, String> nodeLabels = Map.of();

    void declare(FlagSet flags) {
        flags.string("--node-name NAME", "This node's name (default: the host name).", null, v -> nodeName = v)
                .string("--node-ip IP", "This node's address: the kubelet endpoint and NodePorts listen on it.",
                        nodeIp, v -> nodeIp = v)
                .integer("--kubelet-port", "Port of the agent's endpoint (logs); 0 picks a free one.", kubeletPort,
                        0, 65535, v -> kubeletPort = v)
                .string("--image-map FILE", "File of 'image = command line' lines: host programs pods may run as "
                        + "images.", null, v -> imageMap = Path.of(v))
                .choice("--runtime", "process (pods are processes) or simulated (no process, pods are Ready at "
                        + "once: for scale tests).", runtime, RuntimeKind.class, v -> runtime = v)
                .flag("--leave-pods-running", "On a clean stop, leave pod processes running for the next agent on "
                        + "this data dir to adopt (default: stop them; after a crash they always keep running).",
                        () -> leavePodsRunning = true)
                .integer("--max-pods", "The node's pods capacity, as the kubelet's --max-pods; the pod CIDR "
                        + "(--node-cidr-mask-size of the controllers) must hold as many IPs.", maxPods, 0,
                        Integer.MAX_VALUE, v -> maxPods = v)
                .string("--node-status-update-frequency DURATION", "How often the agent renews its node's Lease and "
                        + "posts node status, e.g. 10s; keep it well below the controllers' "
                        + "--node-monitor-grace-period.", nodeStatusUpdateFrequency,
                        v -> nodeStatusUpdateFrequency = v)
                .string("--cluster-dns IP,...", "Comma-separated IPs of the cluster DNS server, the nameservers of "
                        + "ClusterFirst pods, as the kubelet's --cluster-dns; an empty value gives such pods the "
                        + "node's DNS and a MissingClusterDNS event (default: with ferry up, its cluster DNS "
                        + "address; with ferry agent, 127.96.0.10, the 10th address of the default Service range).",
                        null, v -> clusterDns = v)
                .string("--node-labels KEY=VALUE,...", "Labels the node registers with, as the kubelet's "
                        + "--node-labels, e.g. topology.kubernetes.io/zone=zone-a. Keys in the kubernetes.io and "
                        + "k8s.io namespaces must be ones a kubelet may set on its node.", null,
                        v -> nodeLabels = NodeLabels.parse(v));
    }

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
