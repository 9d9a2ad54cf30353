package dev.ferry.agent;

import dev.ferry.agent.node.MachineInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a {@link NodeAgent} runs.
 *
 * @param nodeName          the Node's name
 * @param nodeIp            the node's InternalIP, where the kubelet endpoint listens (default 127.0.0.1)
 * @param kubeletPort       the kubelet endpoint's port; 0 = a free one (the Node reports the bound port)
 * @param stateDir          pod IP assignments and container logs; the runtime keeps its own state elsewhere
 * @param heartbeatInterval Lease renewal and node status heartbeat period (default 10 s)
 * @param capacity          the Node's capacity (= allocatable): cpu, memory, pods; default from this machine
 * @param podWorkers        how many pods sync at once (default 4)
 * @param clusterDns        the kubelet's clusterDNS: nameserver IPs of ClusterFirst pods (default
 *                          {@value #DEFAULT_CLUSTER_DNS}, the 10th address of the default Service CIDR); empty = none,
 *                          such pods then get the node's settings and a MissingClusterDNS event
 * @param clusterDomain     the kubelet's clusterDomain (default {@value #DEFAULT_CLUSTER_DOMAIN}); "" = no cluster
 *                          search domains
 * @param hostResolvConf    the kubelet's --resolv-conf: the node's resolv.conf that Default pods get and cluster
 *                          pods' search list extends (default /etc/resolv.conf); null = none (Default pods get
 *                          nameserver 127.0.0.1)
 * @param nodeLabels        the kubelet's --node-labels, already validated ({@code NodeLabels}); set at every
 *                          registration (the kubelet sets them only when it creates its Node)
 */
public record AgentConfig(String nodeName, String nodeIp, int kubeletPort, Path stateDir, Duration heartbeatInterval,
        Map<String, String> capacity, int podWorkers, List<String> clusterDns, String clusterDomain,
        Path hostResolvConf, Map<String, String> nodeLabels) {
    public static final String DEFAULT_CLUSTER_DNS = "127.96.0.10";
    public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";
    public static final Path DEFAULT_HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

    public AgentConfig {
        capacity = Map.copyOf(capacity);
        nodeLabels = Map.copyOf(nodeLabels);
        clusterDns = List.copyOf(clusterDns);
        clusterDomain = clusterDomain == null ? "" : clusterDomain;
        if (nodeName == null || nodeName.isEmpty()) {
            throw new IllegalArgumentException("node name is required");
        }
    }

    /**
     * Defaults: 127.0.0.1, a free port, 10 s heartbeats, this machine's capacity with 110 pods, 4 workers, cluster DNS
     * 127.96.0.10 for cluster.local, the node's /etc/resolv.conf.
     */
    public static AgentConfig defaults(String nodeName, Path stateDir) {
        return new AgentConfig(nodeName, "127.0.0.1", 0, stateDir, Duration.ofSeconds(10), MachineInfo.capacity(), 4,
                List.of(DEFAULT_CLUSTER_DNS), DEFAULT_CLUSTER_DOMAIN, DEFAULT_HOST_RESOLV_CONF, Map.of());
    }

    public AgentConfig withNodeIp(String ip) {
        return new AgentConfig(nodeName, ip, kubeletPort, stateDir, heartbeatInterval, capacity, podWorkers,
                clusterDns, clusterDomain, hostResolvConf, nodeLabels);
    }

    public AgentConfig withKubeletPort(int port) {
        return new AgentConfig(nodeName, nodeIp, port, stateDir, heartbeatInterval, capacity, podWorkers, clusterDns,
                clusterDomain, hostResolvConf, nodeLabels);
    }

    public AgentConfig withHeartbeatInterval(Duration interval) {
        return new AgentConfig(nodeName, nodeIp, kubeletPort, stateDir, interval, capacity, podWorkers, clusterDns,
                clusterDomain, hostResolvConf, nodeLabels);
    }

    public AgentConfig withCapacity(Map<String, String> c) {
        return new AgentConfig(nodeName, nodeIp, kubeletPort, stateDir, heartbeatInterval, c, podWorkers, clusterDns,
                clusterDomain, hostResolvConf, nodeLabels);
    }

    public AgentConfig withPodWorkers(int workers) {
        return new AgentConfig(nodeName, nodeIp, kubeletPort, stateDir, heartbeatInterval, capacity, workers,
                clusterDns, clusterDomain, hostResolvConf, nodeLabels);
    }

    /** The cluster DNS IPs (empty = none) and the cluster domain ("" = none). */
    public AgentConfig withClusterDns(List<String> ips, String domain) {
        return new AgentConfig(nodeName, nodeIp, kubeletPort, stateDir, heartbeatInterval, capacity, podWorkers, ips,
                domain, hostResolvConf, nodeLabels);
    }

    /** Labels the node registers with, as the kubelet's --node-labels. */
    public AgentConfig withNodeLabels(Map<String, String> labels) {
        return new AgentConfig(nodeName, nodeIp, kubeletPort, stateDir, heartbeatInterval, capacity, podWorkers,
                clusterDns, clusterDomain, hostResolvConf, labels);
    }

    /** The node's resolv.conf; null = none. */
    public AgentConfig withHostResolvConf(Path file) {
        return new AgentConfig(nodeName, nodeIp, kubeletPort, stateDir, heartbeatInterval, capacity, podWorkers,
                clusterDns, clusterDomain, file, nodeLabels);
    }
}
