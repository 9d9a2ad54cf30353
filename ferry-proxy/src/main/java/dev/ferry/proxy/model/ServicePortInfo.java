package dev.ferry.proxy.model;

import dev.ferry.api.net.Cidr;
import dev.ferry.proxy.route.ServicePortName;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * What the proxy needs of one port of one Service (kube-proxy's ServicePort), derived from the Service alone.
 *
 * @param nodePort 0 when the Service has none
 * @param loadBalancerIps status.loadBalancer.ingress IPs the proxy serves (ipMode Proxy ones excluded)
 * @param sourceRanges loadBalancerSourceRanges; empty means any source
 * @param affinityTimeout ClientIP session affinity timeout, or null without affinity
 * @param internalLocal internalTrafficPolicy Local
 * @param externalLocal externalTrafficPolicy Local (only meaningful with external addresses)
 * @param healthCheckNodePort 0 when the Service has none
 */
public record ServicePortInfo(
        ServicePortName name,
        List<InetAddress> clusterIps,
        int port,
        int nodePort,
        List<InetAddress> externalIps,
        List<InetAddress> loadBalancerIps,
        List<Cidr> sourceRanges,
        Duration affinityTimeout,
        boolean internalLocal,
        boolean externalLocal,
        int healthCheckNodePort) {

    public ServicePortInfo {
        clusterIps = List.copyOf(clusterIps);
        externalIps = List.copyOf(externalIps);
        loadBalancerIps = List.copyOf(loadBalancerIps);
        sourceRanges = List.copyOf(sourceRanges);
    }

    /** Reachable from outside the cluster: a NodePort, externalIPs or load-balancer addresses. */
    public boolean externallyAccessible() {
        return nodePort != 0 || !externalIps.isEmpty() || !loadBalancerIps.isEmpty();
    }

    /**
     * kube-proxy's UsesClusterEndpoints: some traffic may go to endpoints on any node. An externally accessible port
     * always does, even with externalTrafficPolicy Local: in-cluster clients of its external addresses short-circuit
     * to the cluster set.
     */
    public boolean usesClusterEndpoints() {
        return !internalLocal || externallyAccessible();
    }

    /** kube-proxy's UsesLocalEndpoints: some traffic may go only to endpoints on the receiving node. */
    public boolean usesLocalEndpoints() {
        return internalLocal || (externalLocal && externallyAccessible());
    }
}
