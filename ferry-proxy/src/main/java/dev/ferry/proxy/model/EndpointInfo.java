package dev.ferry.proxy.model;

import java.net.InetAddress;
import java.util.Set;

/**
 * One endpoint of one service port as the proxy sees it (kube-proxy's Endpoint), conditions already defaulted as
 * the EndpointSlice API and kube-proxy say: ready unset = true, serving unset = true, terminating unset = false.
 *
 * @param nodeName "" when the slice does not say
 * @param zone "" when the slice does not say
 * @param nodeHints forNodes hint names; empty without hints
 * @param zoneHints forZones hint names; empty without hints
 */
public record EndpointInfo(
        InetAddress ip,
        int port,
        String nodeName,
        String zone,
        boolean ready,
        boolean serving,
        boolean terminating,
        Set<String> nodeHints,
        Set<String> zoneHints) {

    public EndpointInfo {
        nodeHints = Set.copyOf(nodeHints);
        zoneHints = Set.copyOf(zoneHints);
    }

    /** Usable when no endpoint anywhere is ready: still serving while terminating (KEP-1669). */
    public boolean servingTerminating() {
        return serving && terminating;
    }
}
