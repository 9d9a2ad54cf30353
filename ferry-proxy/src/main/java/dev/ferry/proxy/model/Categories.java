package dev.ferry.proxy.model;

import java.util.List;

/**
 * The endpoints one node may send a service port's traffic to (kube-proxy's CategorizeEndpoints result).
 *
 * @param cluster where cluster-policy traffic goes: ready endpoints (topology-filtered when every ready endpoint has
 *     hints for it), else serving+terminating ones; empty when the service port does not use cluster endpoints
 * @param local where Local-policy traffic goes: ready endpoints on the node, else its serving+terminating ones
 * @param hasAny whether any endpoint anywhere is usable; without one, traffic is rejected rather than dropped
 */
public record Categories(List<EndpointInfo> cluster, List<EndpointInfo> local, boolean hasAny) {

    public Categories {
        cluster = List.copyOf(cluster);
        local = List.copyOf(local);
    }
}
