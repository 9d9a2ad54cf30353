package dev.ferry.proxy.model;

import java.util.List;
import java.util.function.Predicate;

/**
 * Splits a service port's endpoints into the cluster and local sets for one node, exactly as kube-proxy's
 * {@code CategorizeEndpoints} (pkg/proxy/topology.go): ready endpoints first, serving+terminating ones only when no
 * ready one exists (KEP-1669), topology hints honoured only when every ready endpoint carries them and one matches
 * (PreferSameNode before PreferSameZone), and no topology filtering otherwise.
 */
public final class Categorizer {
    private Categorizer() {
    }

    public static Categories categorize(ServicePortInfo svc, List<EndpointInfo> endpoints, String nodeName,
            String zone) {
        List<EndpointInfo> cluster = List.of();
        boolean hasAny = false;
        if (svc.usesClusterEndpoints()) {
            Predicate<EndpointInfo> inTopology = topologyFilter(endpoints, nodeName, zone);
            cluster = filter(endpoints, ep -> ep.ready() && inTopology.test(ep));
            if (cluster.isEmpty()) {
                cluster = filter(endpoints, EndpointInfo::servingTerminating);
            }
            hasAny = !cluster.isEmpty();
        }
        if (!svc.usesLocalEndpoints()) {
            return new Categories(cluster, List.of(), hasAny);
        }
        boolean localReady = false;
        boolean localServingTerminating = false;
        for (EndpointInfo ep : endpoints) {
            boolean local = ep.nodeName().equals(nodeName);
            if (ep.ready()) {
                hasAny = true;
                localReady |= local;
            } else if (ep.servingTerminating()) {
                hasAny = true;
                localServingTerminating |= local;
            }
        }
        List<EndpointInfo> local = List.of();
        if (localReady) {
            local = filter(endpoints, ep -> ep.nodeName().equals(nodeName) && ep.ready());
        } else if (localServingTerminating) {
            local = filter(endpoints, ep -> ep.nodeName().equals(nodeName) && ep.servingTerminating());
        }
        return new Categories(cluster, local, hasAny);
    }

    /** kube-proxy's topologyModeFromHints + availableForTopology. */
    static Predicate<EndpointInfo> topologyFilter(List<EndpointInfo> endpoints, String nodeName, String zone) {
        boolean allNodeHints = true;
        boolean forNode = false;
        boolean allZoneHints = true;
        boolean forZone = false;
        boolean anyReady = false;
        for (EndpointInfo ep : endpoints) {
            if (!ep.ready()) {
                continue;
            }
            anyReady = true;
            if (ep.nodeHints().isEmpty()) {
                allNodeHints = false;
            } else if (ep.nodeHints().contains(nodeName)) {
                forNode = true;
            }
            if (ep.zoneHints().isEmpty()) {
                allZoneHints = false;
            } else if (ep.zoneHints().contains(zone)) {
                forZone = true;
            }
        }
        if (!anyReady) {
            return ep -> true;
        }
        if (allNodeHints && forNode) {
            return ep -> ep.nodeHints().contains(nodeName);
        }
        if (allZoneHints && forZone && !zone.isEmpty()) {
            return ep -> ep.zoneHints().contains(zone);
        }
        return ep -> true;
    }

    private static List<EndpointInfo> filter(List<EndpointInfo> endpoints, Predicate<EndpointInfo> p) {
        return endpoints.stream().filter(p).toList();
    }
}
