package dev.ferry.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointHints;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.ForNode;
import io.fabric8.kubernetes.api.model.discovery.v1.ForZone;
import java.util.List;
import java.util.Set;

/**
 * Endpoint hints for {@code spec.trafficDistribution} (upstream's trafficdist package): PreferClose and
 * PreferSameZone give every ready endpoint {@code forZones=[its zone]}, PreferSameNode also {@code forNodes=[its
 * node]}; any other value (or none) means no hints at all. Not-ready endpoints keep what they have. Mutates only the
 * slices handed to {@link #apply}.
 */
final class TrafficHints {
    private static final Set<String> CLOSE = Set.of("PreferClose", "PreferSameZone", "PreferSameNode");

    private final boolean enabled;
    private final boolean nodeHints;

    private TrafficHints(boolean enabled, boolean nodeHints) {
        this.enabled = enabled;
        this.nodeHints = nodeHints;
    }

    /** The heuristic for a Service's trafficDistribution ({@code null} or unknown: remove hints). */
    static TrafficHints forDistribution(String trafficDistribution) {
        boolean close = trafficDistribution != null && CLOSE.contains(trafficDistribution);
        return new TrafficHints(close, "PreferSameNode".equals(trafficDistribution));
    }

    /** A slice nobody else changes needs rewriting because a hint is missing, wrong or stale. */
    boolean needsUpdate(EndpointSlice slice) {
        for (Endpoint ep : slice.getEndpoints()) {
            if (!enabled) {
                if (ep.getHints() != null) {
                    return true;
                }
                continue;
            }
            if (!Boolean.TRUE.equals(ready(ep))) {
                continue;
            }
            List<ForZone> zones = ep.getHints() == null ? List.of() : nonNull(ep.getHints().getForZones());
            List<ForNode> nodes = ep.getHints() == null ? List.of() : nonNull(ep.getHints().getForNodes());
            if (ep.getZone() != null) {
                if (zones.size() != 1 || !ep.getZone().equals(zones.get(0).getName())) {
                    return true;
                }
            } else if (!zones.isEmpty()) {
                return true;
            }
            if (ep.getNodeName() != null && nodeHints) {
                if (nodes.size() != 1 || !ep.getNodeName().equals(nodes.get(0).getName())) {
                    return true;
                }
            } else if (!nodes.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Sets the hints of every endpoint of {@code slice} (which the caller owns). */
    void apply(EndpointSlice slice) {
        for (Endpoint ep : slice.getEndpoints()) {
            if (!enabled) {
                ep.setHints(null);
                continue;
            }
            if (!Boolean.TRUE.equals(ready(ep))) {
                continue;
            }
            List<ForZone> zones = ep.getZone() == null ? null : List.of(new ForZone(ep.getZone()));
            List<ForNode> nodes = ep.getNodeName() != null && nodeHints ? List.of(new ForNode(ep.getNodeName())) : null;
            ep.setHints(zones == null && nodes == null ? null : new EndpointHints(nodes, zones));
        }
    }

    private static Boolean ready(Endpoint ep) {
        return ep.getConditions() == null ? null : ep.getConditions().getReady();
    }

    private static <T> List<T> nonNull(List<T> l) {
        return l == null ? List.of() : l;
    }
}
