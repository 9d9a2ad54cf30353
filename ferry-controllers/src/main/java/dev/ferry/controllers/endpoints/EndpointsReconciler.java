package dev.ferry.controllers.endpoints;

import dev.ferry.api.net.IpAddresses;
import dev.ferry.controllers.endpointutil.PodRules;
import dev.ferry.controllers.endpointutil.ServiceRules;
import dev.ferry.controllers.endpointutil.Timestamps;
import dev.ferry.controllers.endpointutil.WellKnown;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The legacy v1 Endpoints reconciler, as upstream's endpoints controller {@code syncService}: the Endpoints object
 * named after the Service lists each selected pod's IP (of the Service's first IP family) once per Service port its
 * targetPort resolves on that pod, under {@code addresses} when the pod is ready (or the Service publishes not-ready
 * addresses) and {@code notReadyAddresses} otherwise, repacked ({@link Subsets#repack}). Terminating pods are left out
 * unless the Service publishes not-ready addresses. More than {@link Subsets#MAX_CAPACITY} addresses are truncated and
 * annotated {@code endpoints.kubernetes.io/over-capacity: truncated}. Labels are the Service's plus
 * {@code service.kubernetes.io/headless} without a ClusterIP. Pure; inputs are never mutated.
 *
 * <p>Nothing is written when subsets, labels and the over-capacity annotation already match (the trigger time alone
 * never causes a write). Services without a selector and ExternalName Services get no plan; a deleted Service's
 * Endpoints are deleted.
 */
public final class EndpointsReconciler {
    /**
     * The plan for the Service {@code namespace/name}.
     *
     * @param service the Service, or null when it does not exist
     * @param pods the pods of its namespace its selector picks (any order)
     * @param current the Endpoints object of the same name in the cache, or null
     * @param triggerTime the last-change trigger time, or null
     */
    public EndpointsPlan reconcile(Service service, List<Pod> pods, Endpoints current, Instant triggerTime) {
        if (service == null) {
            return current == null ? EndpointsPlan.NONE : new EndpointsPlan(EndpointsPlan.Action.DELETE, current);
        }
        if (!ServiceRules.managesEndpoints(service)) {
            return EndpointsPlan.NONE;
        }
        boolean publishNotReady = ServiceRules.publishNotReadyAddresses(service);
        List<ServicePort> ports = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
        List<Pod> sorted = new ArrayList<>(pods);
        sorted.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        List<EndpointSubset> raw = new ArrayList<>();
        for (Pod pod : sorted) {
            if (!PodRules.shouldBeInEndpoints(pod, publishNotReady)) {
                continue;
            }
            EndpointAddress address = address(service, pod);
            if (address == null) {
                continue;
            }
            boolean ready = publishNotReady || PodRules.isReady(pod);
            if (ports.isEmpty()) {
                if ("None".equals(service.getSpec().getClusterIP())) {
                    raw.add(subset(address, null, ready));
                }
                continue;
            }
            for (ServicePort sp : ports) {
                OptionalInt port = PodRules.findPort(pod, sp);
                if (port.isPresent()) {
                    raw.add(subset(address, new EndpointPort(sp.getAppProtocol(), sp.getName(), port.getAsInt(),
                            PodRules.protocol(sp.getProtocol())), ready));
                }
            }
        }
        List<EndpointSubset> repacked = Subsets.repack(raw);
        boolean overCapacity = Subsets.addressCount(repacked) > Subsets.MAX_CAPACITY;
        List<EndpointSubset> subsets = Subsets.truncate(repacked);
        Map<String, String> labels = labels(service);

        if (current != null && Subsets.equal(current.getSubsets(), subsets)
                && labels.equals(orEmpty(current.getMetadata().getLabels()))
                && overCapacity == orEmpty(current.getMetadata().getAnnotations())
                        .containsKey(WellKnown.ANNOTATION_OVER_CAPACITY)) {
            return EndpointsPlan.NONE;
        }

        ObjectMeta meta = current == null
                ? new ObjectMetaBuilder().withName(service.getMetadata().getName())
                        .withNamespace(service.getMetadata().getNamespace()).build()
                : new ObjectMetaBuilder(current.getMetadata()).build();
        meta.setLabels(labels);
        Map<String, String> annotations = new LinkedHashMap<>(current == null ? Map.of()
                : orEmpty(current.getMetadata().getAnnotations()));
        if (triggerTime != null) {
            annotations.put(WellKnown.ANNOTATION_LAST_CHANGE_TRIGGER_TIME, Timestamps.rfc3339Nano(triggerTime));
        } else {
            annotations.remove(WellKnown.ANNOTATION_LAST_CHANGE_TRIGGER_TIME);
        }
        if (overCapacity) {
            annotations.put(WellKnown.ANNOTATION_OVER_CAPACITY, WellKnown.OVER_CAPACITY_TRUNCATED);
        } else {
            annotations.remove(WellKnown.ANNOTATION_OVER_CAPACITY);
        }
        meta.setAnnotations(annotations);
        Endpoints desired = new Endpoints("v1", "Endpoints", meta, subsets);
        return new EndpointsPlan(current == null ? EndpointsPlan.Action.CREATE : EndpointsPlan.Action.UPDATE, desired);
    }

    /** The Service's labels, plus the headless label when it has no ClusterIP. */
    static Map<String, String> labels(Service service) {
        Map<String, String> out = new LinkedHashMap<>(orEmpty(service.getMetadata().getLabels()));
        if (ServiceRules.isHeadless(service)) {
            out.put(WellKnown.LABEL_HEADLESS, "");
        } else {
            out.remove(WellKnown.LABEL_HEADLESS);
        }
        return out;
    }

    /** The pod's address for the Service's first IP family (or the ClusterIP's / pod IP's family), or null. */
    static EndpointAddress address(Service service, Pod pod) {
        List<String> ips = PodRules.podIps(pod);
        boolean wantV6;
        List<String> families = service.getSpec().getIpFamilies();
        if (families != null && !families.isEmpty()) {
            wantV6 = "IPv6".equals(families.get(0));
        } else if (!ServiceRules.isHeadless(service)) {
            wantV6 = IpAddresses.isIPv6(service.getSpec().getClusterIP());
        } else {
            wantV6 = !ips.isEmpty() && IpAddresses.isIPv6(ips.get(0));
        }
        String ip = null;
        for (String candidate : ips) {
            if (IpAddresses.isIPv6(candidate) == wantV6) {
                ip = candidate;
                break;
            }
        }
        if (ip == null) {
            return null;
        }
        ObjectReference target = new ObjectReference(null, null, "Pod", pod.getMetadata().getName(),
                pod.getMetadata().getNamespace(), null, pod.getMetadata().getUid());
        String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        String hostname = PodRules.shouldSetHostname(pod, service) ? pod.getSpec().getHostname() : null;
        return new EndpointAddress(hostname, ip, nodeName == null || nodeName.isEmpty() ? null : nodeName, target);
    }

    private static EndpointSubset subset(EndpointAddress a, EndpointPort port, boolean ready) {
        List<EndpointPort> ports = new ArrayList<>();
        if (port != null) {
            ports.add(port);
        }
        return ready ? new EndpointSubset(new ArrayList<>(List.of(a)), new ArrayList<>(), ports)
                : new EndpointSubset(new ArrayList<>(), new ArrayList<>(List.of(a)), ports);
    }

    private static Map<String, String> orEmpty(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }
}
