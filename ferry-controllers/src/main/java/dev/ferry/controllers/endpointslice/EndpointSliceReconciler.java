package dev.ferry.controllers.endpointslice;

import dev.ferry.api.net.IpAddresses;
import dev.ferry.controllers.endpointutil.PodRules;
import dev.ferry.controllers.endpointutil.ServiceRules;
import dev.ferry.controllers.endpointutil.Timestamps;
import dev.ferry.controllers.endpointutil.WellKnown;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

/**
 * The EndpointSlice reconciler, as upstream's {@code k8s.io/endpointslice} Reconciler: from a Service, the pods its
 * selector picks, the nodes (for zones) and the Service's existing slices managed by this controller, a plan of
 * slices to create, update and delete. Pure: no I/O, inputs are never mutated, and an unchanged world gives an empty
 * plan.
 *
 * <p>Per address type of the Service ({@code spec.ipFamilies}): pods are grouped by the ports their targetPorts
 * resolve to; each group's endpoints live in slices of at most {@code maxEndpointsPerSlice}. Churn is minimal:
 * endpoints stay in the slice that has them (updated in place when conditions, node, zone or target change), slices
 * left empty are deleted, new endpoints first fill slices that are being updated anyway (fullest first), then the
 * unchanged slice that becomes closest to full, then new slices. A create and a delete of the same address type are
 * merged into an update of the deleted slice. A Service that would have no slice gets one placeholder slice without
 * ports or endpoints. Hints follow the {@code topology-mode: Auto} annotation ({@link AutoHints}), else
 * {@code spec.trafficDistribution} ({@link TrafficHints}). Every created or updated
 * slice carries the trigger time annotation (removed when the trigger time is null).
 */
public final class EndpointSliceReconciler {
    /** Upstream's default {@code --max-endpoints-per-slice}. */
    public static final int DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;
    /** The API's limit of endpoints per slice. */
    public static final int MAX_ALLOWED_ENDPOINTS_PER_SLICE = 1000;
    private static final Comparator<PortKey> PORT_ORDER = Comparator.comparing(PortKey::name)
            .thenComparing(PortKey::protocol)
            .thenComparing(PortKey::port, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(PortKey::appProtocol, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final int maxEndpointsPerSlice;

    public EndpointSliceReconciler(int maxEndpointsPerSlice) {
        if (maxEndpointsPerSlice < 1 || maxEndpointsPerSlice > MAX_ALLOWED_ENDPOINTS_PER_SLICE) {
            throw new IllegalArgumentException("maxEndpointsPerSlice must be in 1.." + MAX_ALLOWED_ENDPOINTS_PER_SLICE
                    + ", got " + maxEndpointsPerSlice);
        }
        this.maxEndpointsPerSlice = maxEndpointsPerSlice;
    }

    /** One port of a slice's port set, with API defaults applied (name "", protocol TCP). */
    record PortKey(String name, String protocol, Integer port, String appProtocol) {
        static PortKey of(EndpointPort p) {
            return new PortKey(p.getName() == null ? "" : p.getName(), PodRules.protocol(p.getProtocol()),
                    p.getPort(), p.getAppProtocol());
        }

        EndpointPort toPort() {
            return new EndpointPort(appProtocol, name, port, protocol);
        }
    }

    /** The identity of an endpoint within a port set: its addresses, hostname and target (upstream's hash). */
    record EndpointId(List<String> addresses, String hostname, String targetNamespace, String targetName) {
        static EndpointId of(Endpoint ep) {
            List<String> addrs = new ArrayList<>(ep.getAddresses() == null ? List.of() : ep.getAddresses());
            addrs.sort(null);
            ObjectReference t = ep.getTargetRef();
            return new EndpointId(List.copyOf(addrs), ep.getHostname() == null ? "" : ep.getHostname(),
                    t == null ? "" : Objects.toString(t.getNamespace(), ""),
                    t == null ? "" : Objects.toString(t.getName(), ""));
        }
    }

    private record Desired(List<PortKey> ports, LinkedHashMap<EndpointId, Endpoint> endpoints) {
    }

    /**
     * The plan for {@code service}: empty for a Service without selector or of type ExternalName (whose slices,
     * if any, are the user's).
     *
     * @param pods the pods of the Service's namespace its selector picks (any order)
     * @param nodes node by name, null when unknown
     * @param existing the Service's slices managed by this controller (label {@code kubernetes.io/service-name} and
     *     managed-by); slices pending deletion are ignored
     * @param triggerTime the last-change trigger time, or null
     */
    public EndpointSlicePlan reconcile(Service service, List<Pod> pods, Function<String, Node> nodes,
            List<EndpointSlice> existing, Instant triggerTime) {
        return reconcile(service, pods, nodes, existing, triggerTime, ZoneShares.NONE);
    }

    /**
     * As {@link #reconcile(Service, List, Function, List, Instant)}, with the zones' shares of CPU for a Service
     * annotated {@code service.kubernetes.io/topology-mode: Auto} ({@link AutoHints}).
     */
    EndpointSlicePlan reconcile(Service service, List<Pod> pods, Function<String, Node> nodes,
            List<EndpointSlice> existing, Instant triggerTime, ZoneShares zones) {
        if (!ServiceRules.managesEndpoints(service)) {
            return new EndpointSlicePlan(List.of(), List.of(), List.of(), List.of(), Set.of(), Map.of());
        }
        List<EndpointSlice> create = new ArrayList<>();
        List<EndpointSlice> update = new ArrayList<>();
        List<EndpointSlice> delete = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> missingNodes = new java.util.TreeSet<>();
        Set<String> addressTypes = addressTypes(service);
        Map<String, List<EndpointSlice>> byType = new LinkedHashMap<>();
        List<EndpointSlice> sortedExisting = new ArrayList<>();
        for (EndpointSlice s : existing) {
            String ts = s.getMetadata().getDeletionTimestamp();
            if (ts == null || ts.isEmpty()) {
                sortedExisting.add(s);
            }
        }
        sortedExisting.sort(Comparator.comparing(s -> Objects.toString(s.getMetadata().getName(), "")));
        List<EndpointSlice> unsupported = new ArrayList<>();
        for (EndpointSlice s : sortedExisting) {
            if (addressTypes.contains(s.getAddressType())) {
                byType.computeIfAbsent(s.getAddressType(), k -> new ArrayList<>()).add(s);
            } else {
                unsupported.add(s);
            }
        }
        List<Pod> sortedPods = new ArrayList<>(pods);
        sortedPods.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        Map<String, AutoHints.Outcome> autoHints = new LinkedHashMap<>();
        for (String addressType : addressTypes) {
            AutoHints.Outcome outcome = reconcileAddressType(service, sortedPods, nodes,
                    byType.getOrDefault(addressType, List.of()), addressType, triggerTime, zones, create, update,
                    delete, problems, missingNodes);
            if (outcome != null) {
                autoHints.put(addressType, outcome);
            }
        }
        delete.addAll(unsupported);
        return new EndpointSlicePlan(create, update, delete, problems, missingNodes, autoHints);
    }

    /** Adds the plan for one address type to the out lists; returns the Auto hints' outcome, or null. */
    private AutoHints.Outcome reconcileAddressType(Service service, List<Pod> pods, Function<String, Node> nodes,
            List<EndpointSlice> existing, String addressType, Instant triggerTime, ZoneShares zones,
            List<EndpointSlice> createOut,
            List<EndpointSlice> updateOut, List<EndpointSlice> deleteOut, List<String> problems,
            Set<String> missingNodes) {
        List<EndpointSlice> toCreate = new ArrayList<>();
        List<EndpointSlice> toUpdate = new ArrayList<>();
        List<EndpointSlice> toDelete = new ArrayList<>();
        List<EndpointSlice> unchanged = new ArrayList<>();

        Map<List<PortKey>, List<EndpointSlice>> existingByPorts = new LinkedHashMap<>();
        for (EndpointSlice s : existing) {
            if (ownedBy(s, service)) {
                existingByPorts.computeIfAbsent(portKey(s.getPorts()), k -> new ArrayList<>()).add(s);
            } else {
                toDelete.add(s);
            }
        }

        Map<List<PortKey>, Desired> desired = new LinkedHashMap<>();
        boolean publishNotReady = ServiceRules.publishNotReadyAddresses(service);
        for (Pod pod : pods) {
            if (!PodRules.shouldBeInEndpoints(pod, true)) {
                continue;
            }
            List<PortKey> ports = endpointPorts(service, pod);
            Desired group = desired.computeIfAbsent(ports, k -> new Desired(k, new LinkedHashMap<>()));
            String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            Node node = nodeName == null || nodeName.isEmpty() ? null : nodes.apply(nodeName);
            if (node == null && !publishNotReady) {
                missingNodes.add(Objects.toString(nodeName, ""));
                problems.add("skipping pod " + pod.getMetadata().getName() + " for service "
                        + service.getMetadata().getNamespace() + "/" + service.getMetadata().getName() + ": node "
                        + Objects.toString(nodeName, "") + " not found");
                continue;
            }
            Endpoint ep = podToEndpoint(pod, node, service, addressType);
            if (!ep.getAddresses().isEmpty()) {
                group.endpoints.put(EndpointId.of(ep), ep);
            }
        }

        for (Desired group : desired.values()) {
            reconcilePortMapping(service, addressType, existingByPorts.getOrDefault(group.ports, List.of()), group,
                    toCreate, toUpdate, toDelete, unchanged);
        }
        for (Map.Entry<List<PortKey>, List<EndpointSlice>> e : existingByPorts.entrySet()) {
            if (!desired.containsKey(e.getKey())) {
                toDelete.addAll(e.getValue());
            }
        }

        if (existing.size() == toDelete.size() && toCreate.isEmpty()) {
            EndpointSlice placeholder = newSlice(service, List.of(), addressType);
            if (toDelete.size() == 1 && isPlaceholderOf(toDelete.get(0), placeholder)) {
                toDelete.clear();
            } else {
                toCreate.add(placeholder);
            }
        }

        AutoHints.Outcome autoHints = null;
        if (topologyAuto(service)) {
            autoHints = AutoHints.assign(zones, toCreate, toUpdate, unchanged, EndpointSliceReconciler::copyOf);
        } else {
            TrafficHints hints = TrafficHints.forDistribution(service.getSpec().getTrafficDistribution());
            for (EndpointSlice s : unchanged) {
                if (hints.needsUpdate(s)) {
                    toUpdate.add(copyOf(s));
                }
            }
            toCreate.forEach(hints::apply);
            toUpdate.forEach(hints::apply);
        }

        // A create and a delete of the same address type become an update of the slice that would be deleted.
        for (Iterator<EndpointSlice> it = toDelete.iterator(); it.hasNext() && !toCreate.isEmpty(); ) {
            EndpointSlice old = it.next();
            if (!addressType.equals(old.getAddressType()) || !ownedBy(old, service)) {
                continue;
            }
            EndpointSlice s = toCreate.remove(toCreate.size() - 1);
            s.getMetadata().setName(old.getMetadata().getName());
            s.getMetadata().setResourceVersion(old.getMetadata().getResourceVersion());
            toUpdate.add(s);
            it.remove();
        }

        boolean serviceDeleting = service.getMetadata().getDeletionTimestamp() != null
                && !service.getMetadata().getDeletionTimestamp().isEmpty();
        if (!serviceDeleting) {
            for (EndpointSlice s : toCreate) {
                setTriggerTime(s, triggerTime);
                createOut.add(s);
            }
        }
        for (EndpointSlice s : toUpdate) {
            setTriggerTime(s, triggerTime);
            updateOut.add(s);
        }
        deleteOut.addAll(toDelete);
        return autoHints;
    }

    /**
     * Upstream's reconcileByPortMapping for one port set: (1) keep desired endpoints where they are, dropping the
     * rest; (2) top up the slices being updated anyway, fullest first; (3) put what is left into the unchanged slice
     * that becomes closest to full, else into new slices.
     */
    private void reconcilePortMapping(Service service, String addressType, List<EndpointSlice> existing,
            Desired group, List<EndpointSlice> toCreate, List<EndpointSlice> toUpdate, List<EndpointSlice> toDelete,
            List<EndpointSlice> unchangedOut) {
        LinkedHashMap<EndpointId, Endpoint> remaining = new LinkedHashMap<>(group.endpoints);
        Map<String, EndpointSlice> byName = new LinkedHashMap<>();
        Set<String> unchanged = new LinkedHashSet<>();
        Set<String> updated = new LinkedHashSet<>();
        Map<String, String> labels = sliceLabels(service);

        for (EndpointSlice slice : existing) {
            String name = slice.getMetadata().getName();
            byName.put(name, slice);
            List<Endpoint> kept = new ArrayList<>();
            boolean endpointChanged = false;
            List<Endpoint> have = slice.getEndpoints() == null ? List.of() : slice.getEndpoints();
            for (Endpoint ep : have) {
                EndpointId id = EndpointId.of(ep);
                Endpoint want = remaining.remove(id);
                if (want != null) {
                    kept.add(want);
                    endpointChanged |= !equalBeyondIdentity(want, ep);
                }
            }
            boolean labelsChanged = !labels.equals(slice.getMetadata().getLabels() == null ? Map.of()
                    : slice.getMetadata().getLabels());
            if (endpointChanged || kept.size() != have.size()) {
                if (kept.isEmpty()) {
                    toDelete.add(slice);
                } else {
                    byName.put(name, copy(slice, kept, labels));
                    updated.add(name);
                }
            } else if (labelsChanged) {
                byName.put(name, copy(slice, copyEndpoints(have), labels));
                updated.add(name);
            } else {
                unchanged.add(name);
            }
        }

        if (!remaining.isEmpty() && !updated.isEmpty()) {
            List<EndpointSlice> fill = new ArrayList<>();
            for (String name : updated) {
                fill.add(byName.get(name));
            }
            fill.sort(Comparator.comparingInt((EndpointSlice s) -> s.getEndpoints().size()).reversed());
            for (EndpointSlice s : fill) {
                fillUp(s, remaining);
            }
        }

        List<EndpointSlice> created = new ArrayList<>();
        while (!remaining.isEmpty()) {
            EndpointSlice target = null;
            if (remaining.size() < maxEndpointsPerSlice && !unchanged.isEmpty()) {
                target = closestToFull(unchanged, byName, remaining.size());
            }
            if (target == null) {
                target = newSlice(service, group.ports, addressType);
            } else {
                target = copyOf(target);
                byName.put(target.getMetadata().getName(), target);
            }
            fillUp(target, remaining);
            String name = target.getMetadata().getName();
            if (name != null) {
                updated.add(name);
                unchanged.remove(name);
            } else {
                created.add(target);
            }
        }
        toCreate.addAll(created);
        for (String name : updated) {
            toUpdate.add(byName.get(name));
        }
        for (String name : unchanged) {
            unchangedOut.add(byName.get(name));
        }
    }

    private void fillUp(EndpointSlice slice, LinkedHashMap<EndpointId, Endpoint> remaining) {
        Iterator<Map.Entry<EndpointId, Endpoint>> it = remaining.entrySet().iterator();
        while (it.hasNext() && slice.getEndpoints().size() < maxEndpointsPerSlice) {
            slice.getEndpoints().add(it.next().getValue());
            it.remove();
        }
    }

    /** The unchanged slice that will be closest to full after taking {@code count} endpoints, or null. */
    private EndpointSlice closestToFull(Set<String> names, Map<String, EndpointSlice> byName, int count) {
        int closest = maxEndpointsPerSlice;
        EndpointSlice best = null;
        for (String name : names) {
            EndpointSlice s = byName.get(name);
            int diff = maxEndpointsPerSlice - (count + s.getEndpoints().size());
            if (diff >= 0 && diff < closest) {
                closest = diff;
                best = s;
                if (diff == 0) {
                    break;
                }
            }
        }
        return best;
    }

    /** Conditions, node, zone and target (ignoring its resourceVersion) are equal; identity is already equal. */
    static boolean equalBeyondIdentity(Endpoint a, Endpoint b) {
        return Objects.equals(a.getNodeName(), b.getNodeName()) && Objects.equals(a.getZone(), b.getZone())
                && Objects.equals(cond(a).getReady(), cond(b).getReady())
                && Objects.equals(cond(a).getServing(), cond(b).getServing())
                && Objects.equals(cond(a).getTerminating(), cond(b).getTerminating())
                && targetEqual(a.getTargetRef(), b.getTargetRef());
    }

    private static EndpointConditions cond(Endpoint e) {
        return e.getConditions() == null ? new EndpointConditions() : e.getConditions();
    }

    private static boolean targetEqual(ObjectReference a, ObjectReference b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(a.getKind(), b.getKind()) && Objects.equals(a.getNamespace(), b.getNamespace())
                && Objects.equals(a.getName(), b.getName()) && Objects.equals(a.getUid(), b.getUid())
                && Objects.equals(a.getApiVersion(), b.getApiVersion())
                && Objects.equals(a.getFieldPath(), b.getFieldPath());
    }

    /** The endpoint of {@code pod} for {@code addressType}; no addresses when the pod has no IP of that family. */
    static Endpoint podToEndpoint(Pod pod, Node node, Service service, String addressType) {
        boolean serving = PodRules.isReady(pod);
        boolean terminating = PodRules.isTerminating(pod);
        boolean ready = ServiceRules.publishNotReadyAddresses(service) || (serving && !terminating);
        List<String> addresses = new ArrayList<>();
        for (String ip : PodRules.podIps(pod)) {
            String canonical = IpAddresses.canonical(ip);
            if (canonical == null) {
                continue;
            }
            boolean v6 = IpAddresses.isIPv6(canonical);
            if (v6 == WellKnown.ADDRESS_TYPE_IPV6.equals(addressType)) {
                addresses.add(canonical);
            }
        }
        EndpointBuilder b = new EndpointBuilder().withAddresses(addresses)
                .withConditions(new EndpointConditions(ready, serving, terminating))
                .withTargetRef(new ObjectReferenceBuilder().withKind("Pod")
                        .withNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                        .withUid(pod.getMetadata().getUid()).build());
        String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (nodeName != null && !nodeName.isEmpty()) {
            b.withNodeName(nodeName);
        }
        String zone = node == null || node.getMetadata().getLabels() == null ? null
                : node.getMetadata().getLabels().get(WellKnown.LABEL_TOPOLOGY_ZONE);
        if (zone != null && !zone.isEmpty()) {
            b.withZone(zone);
        }
        if (PodRules.shouldSetHostname(pod, service)) {
            b.withHostname(pod.getSpec().getHostname());
        }
        return b.build();
    }

    /** The pod's resolved ports for the Service, sorted: a Service port whose targetPort the pod lacks is left out. */
    static List<PortKey> endpointPorts(Service service, Pod pod) {
        List<ServicePort> servicePorts = service.getSpec().getPorts() == null ? List.of()
                : service.getSpec().getPorts();
        List<PortKey> out = new ArrayList<>();
        for (ServicePort sp : servicePorts) {
            OptionalInt port = PodRules.findPort(pod, sp);
            if (port.isEmpty()) {
                continue;
            }
            out.add(new PortKey(sp.getName() == null ? "" : sp.getName(), PodRules.protocol(sp.getProtocol()),
                    port.getAsInt(), sp.getAppProtocol()));
        }
        out.sort(PORT_ORDER);
        return List.copyOf(out);
    }

    private static List<PortKey> portKey(List<EndpointPort> ports) {
        List<PortKey> out = new ArrayList<>();
        if (ports != null) {
            for (EndpointPort p : ports) {
                out.add(PortKey.of(p));
            }
        }
        out.sort(PORT_ORDER);
        return List.copyOf(out);
    }

    /** Address types of the Service's IP families; without families, the ClusterIP's family, or both if headless. */
    static Set<String> addressTypes(Service service) {
        Set<String> out = new LinkedHashSet<>();
        List<String> families = service.getSpec().getIpFamilies();
        if (families != null) {
            for (String f : families) {
                if ("IPv4".equals(f)) {
                    out.add(WellKnown.ADDRESS_TYPE_IPV4);
                } else if ("IPv6".equals(f)) {
                    out.add(WellKnown.ADDRESS_TYPE_IPV6);
                }
            }
        }
        if (!out.isEmpty()) {
            return out;
        }
        if (!ServiceRules.isHeadless(service)) {
            out.add(IpAddresses.isIPv6(service.getSpec().getClusterIP()) ? WellKnown.ADDRESS_TYPE_IPV6
                    : WellKnown.ADDRESS_TYPE_IPV4);
            return out;
        }
        out.add(WellKnown.ADDRESS_TYPE_IPV4);
        out.add(WellKnown.ADDRESS_TYPE_IPV6);
        return out;
    }

    /**
     * The labels of the Service's slices: the Service's labels except the reserved ones, the headless label when it
     * has no ClusterIP, the service-name and managed-by labels.
     */
    static Map<String, String> sliceLabels(Service service) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, String> svc = service.getMetadata().getLabels();
        if (svc != null) {
            svc.forEach((k, v) -> {
                if (!reserved(k)) {
                    out.put(k, v);
                }
            });
        }
        if (ServiceRules.isHeadless(service)) {
            out.put(WellKnown.LABEL_HEADLESS, "");
        }
        out.put(WellKnown.LABEL_SERVICE_NAME, service.getMetadata().getName());
        out.put(WellKnown.LABEL_MANAGED_BY, WellKnown.ENDPOINTSLICE_CONTROLLER);
        return out;
    }

    private static boolean reserved(String key) {
        return key.equals(WellKnown.LABEL_SERVICE_NAME) || key.equals(WellKnown.LABEL_MANAGED_BY)
                || key.equals(WellKnown.LABEL_HEADLESS);
    }

    /** The Service's controller reference (apiVersion v1, kind Service). */
    static OwnerReference ownerReference(Service service) {
        return new OwnerReferenceBuilder().withApiVersion("v1").withKind("Service")
                .withName(service.getMetadata().getName()).withUid(service.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    static boolean ownedBy(EndpointSlice slice, Service service) {
        List<OwnerReference> refs = slice.getMetadata().getOwnerReferences();
        if (refs == null) {
            return false;
        }
        for (OwnerReference r : refs) {
            if (Objects.equals(r.getUid(), service.getMetadata().getUid()) && "Service".equals(r.getKind())
                    && "v1".equals(r.getApiVersion())) {
                return true;
            }
        }
        return false;
    }

    private static EndpointSlice newSlice(Service service, List<PortKey> ports, String addressType) {
        ObjectMeta meta = new ObjectMetaBuilder().withGenerateName(service.getMetadata().getName() + "-")
                .withNamespace(service.getMetadata().getNamespace()).withLabels(sliceLabels(service))
                .withOwnerReferences(ownerReference(service)).build();
        List<EndpointPort> endpointPorts = new ArrayList<>();
        ports.forEach(p -> endpointPorts.add(p.toPort()));
        EndpointSlice s = new EndpointSlice();
        s.setApiVersion("discovery.k8s.io/v1");
        s.setKind("EndpointSlice");
        s.setMetadata(meta);
        s.setAddressType(addressType);
        s.setPorts(endpointPorts);
        s.setEndpoints(new ArrayList<>());
        return s;
    }

    /** Whether {@code existing} is the placeholder this reconciler would create (namespace, labels, owners). */
    private static boolean isPlaceholderOf(EndpointSlice existing, EndpointSlice placeholder) {
        ObjectMeta a = existing.getMetadata();
        ObjectMeta b = placeholder.getMetadata();
        return Objects.equals(a.getNamespace(), b.getNamespace())
                && Objects.equals(orEmpty(a.getLabels()), orEmpty(b.getLabels()))
                && ownersEqual(a.getOwnerReferences(), b.getOwnerReferences())
                && Objects.equals(existing.getAddressType(), placeholder.getAddressType())
                && (existing.getPorts() == null || existing.getPorts().isEmpty())
                && (existing.getEndpoints() == null || existing.getEndpoints().isEmpty());
    }

    private static boolean ownersEqual(List<OwnerReference> a, List<OwnerReference> b) {
        List<OwnerReference> x = a == null ? List.of() : a;
        List<OwnerReference> y = b == null ? List.of() : b;
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            OwnerReference p = x.get(i);
            OwnerReference q = y.get(i);
            if (!Objects.equals(p.getApiVersion(), q.getApiVersion()) || !Objects.equals(p.getKind(), q.getKind())
                    || !Objects.equals(p.getName(), q.getName()) || !Objects.equals(p.getUid(), q.getUid())
                    || !Objects.equals(p.getController(), q.getController())
                    || !Objects.equals(p.getBlockOwnerDeletion(), q.getBlockOwnerDeletion())) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> orEmpty(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }

    /** A copy of {@code slice} with {@code endpoints} (owned by the copy) and {@code labels}. */
    /** A copy of {@code slice} that this sync may change (its endpoints copied too). */
    private static EndpointSlice copyOf(EndpointSlice slice) {
        return copy(slice, copyEndpoints(slice.getEndpoints()), slice.getMetadata().getLabels());
    }

    private static EndpointSlice copy(EndpointSlice slice, List<Endpoint> endpoints, Map<String, String> labels) {
        ObjectMeta meta = new ObjectMetaBuilder(slice.getMetadata()).build();
        meta.setLabels(labels == null ? new LinkedHashMap<>() : new LinkedHashMap<>(labels));
        meta.setAnnotations(slice.getMetadata().getAnnotations() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(slice.getMetadata().getAnnotations()));
        List<EndpointPort> ports = new ArrayList<>();
        if (slice.getPorts() != null) {
            slice.getPorts().forEach(p -> ports.add(new EndpointPort(p.getAppProtocol(), p.getName(), p.getPort(),
                    p.getProtocol())));
        }
        EndpointSlice s = new EndpointSlice();
        s.setApiVersion("discovery.k8s.io/v1");
        s.setKind("EndpointSlice");
        s.setMetadata(meta);
        s.setAddressType(slice.getAddressType());
        s.setPorts(ports);
        s.setEndpoints(new ArrayList<>(endpoints));
        return s;
    }

    private static List<Endpoint> copyEndpoints(List<Endpoint> endpoints) {
        List<Endpoint> out = new ArrayList<>();
        if (endpoints != null) {
            endpoints.forEach(e -> out.add(new EndpointBuilder(e).build()));
        }
        return out;
    }

    private static void setTriggerTime(EndpointSlice s, Instant triggerTime) {
        Map<String, String> ann = s.getMetadata().getAnnotations() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(s.getMetadata().getAnnotations());
        if (triggerTime != null) {
            ann.put(WellKnown.ANNOTATION_LAST_CHANGE_TRIGGER_TIME, Timestamps.rfc3339Nano(triggerTime));
        } else {
            ann.remove(WellKnown.ANNOTATION_LAST_CHANGE_TRIGGER_TIME);
        }
        s.getMetadata().setAnnotations(ann);
    }

    /**
     * The topology annotation asks for the "Auto" heuristic, which then owns hints (the deprecated
     * {@code topology-aware-hints} wins when both are set, as upstream's hintsEnabled).
     */
    static boolean topologyAuto(Service service) {
        Map<String, String> ann = service.getMetadata().getAnnotations();
        if (ann == null) {
            return false;
        }
        String v = ann.containsKey("service.kubernetes.io/topology-aware-hints")
                ? ann.get("service.kubernetes.io/topology-aware-hints")
                : ann.get("service.kubernetes.io/topology-mode");
        return "Auto".equals(v) || "auto".equals(v);
    }
}
