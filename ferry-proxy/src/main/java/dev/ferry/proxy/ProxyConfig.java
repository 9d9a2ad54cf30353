package dev.ferry.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * How one node's service proxy runs.
 *
 * @param nodeName the node this proxy serves for (Local traffic policies, topology, health checks)
 * @param nodeIps addresses NodePorts and health-check node ports are served on; the first is the masquerade source
 * @param minSyncPeriod least time between syncs after the burst (kube-proxy's --min-sync-period)
 * @param syncPeriod longest time between syncs (periodic resync: retries failed binds, expires affinity)
 * @param maxCandidates endpoints tried per new connection before the client is refused (first choice + retries)
 * @param healthzBind where /healthz, /livez and /metrics are served, or null for nowhere
 * @param metricsBind a second address for the same endpoints (kube-proxy serves metrics apart), or null
 */
public record ProxyConfig(
        String nodeName,
        List<InetAddress> nodeIps,
        Duration minSyncPeriod,
        Duration syncPeriod,
        int maxCandidates,
        InetSocketAddress healthzBind,
        InetSocketAddress metricsBind) {

    public static final int DEFAULT_MAX_CANDIDATES = 3;

    public ProxyConfig {
        nodeIps = List.copyOf(nodeIps);
        if (maxCandidates < 1) {
            throw new IllegalArgumentException("maxCandidates must be at least 1");
        }
    }
}
