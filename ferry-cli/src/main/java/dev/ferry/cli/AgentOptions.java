package dev.ferry.cli;

import dev.ferry.agent.AgentConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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

    @Option(names = "--cluster-dns", description = "Comma-separated IPs of the cluster DNS server, "
            + "the nameservers of ClusterFirst pods, as the kubelet's --cluster-dns; usually the 10th address of "
            + "--service-cluster-ip-range; an empty value gives such pods the node's DNS and a MissingClusterDNS "
            + "event (default: ${DEFAULT-VALUE}).")
    String clusterDns = AgentConfig.DEFAULT_CLUSTER_DNS;

    @Option(names = "--cluster-domain", description = "The cluster's DNS domain: pods search "
            + "<namespace>.svc.<domain>, svc.<domain> and <domain> first, as the kubelet's --cluster-domain "
            + "(default: ${DEFAULT-VALUE}).")
    String clusterDomain = AgentConfig.DEFAULT_CLUSTER_DOMAIN;

    enum RuntimeKind { process, simulated }

    /**
     * The IPs of {@code --cluster-dns}, in order, blanks dropped (empty = none).
     *
     * @throws IllegalArgumentException when an entry is not an IPv4 or IPv6 address literal
     */
    List<String> clusterDns() {
        List<String> ips = new ArrayList<>();
        for (String entry : clusterDns == null ? new String[0] : clusterDns.split(",")) {
            String ip = entry.strip();
            if (ip.isEmpty()) {
                continue;
            }
            // only literals reach InetAddress, so no name is looked up
            boolean literal = ip.matches("\\d{1,3}(\\.\\d{1,3}){3}")
                    ? Arrays.stream(ip.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255)
                    : ip.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
            try {
                if (!literal) {
                    throw new UnknownHostException(ip);
                }
                InetAddress.getByName(ip);
                ips.add(ip);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("--cluster-dns: not an IP address: " + ip);
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
