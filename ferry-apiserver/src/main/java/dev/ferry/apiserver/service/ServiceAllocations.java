package dev.ferry.apiserver.service;

import dev.ferry.api.validation.FieldError;
import dev.ferry.apiserver.ApiException;
import dev.ferry.apiserver.allocation.AllocationException;
import dev.ferry.apiserver.allocation.IpAllocator;
import dev.ferry.apiserver.allocation.PortAllocator;
import dev.ferry.apiserver.resource.WriteHook;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Allocates a Service's cluster IPs, node ports and health-check node port around a write, as upstream's
 * {@code registry/core/service/storage/alloc.go}:
 * <ul>
 * <li>create: the requested (or next free) cluster IP, node ports for NodePort/LoadBalancer ports lacking one (ports
 * sharing a port number share a node port), a health-check node port for LoadBalancer + externalTrafficPolicy Local;
 * <li>update: only what is new (e.g. ExternalName to ClusterIP, an added port); what the new object no longer uses is
 * released after the write commits;
 * <li>delete: everything, after the write commits.
 * </ul>
 * A {@code before*} call that fails has released what it took. Thread-safe: each allocator operation is atomic, so no
 * value is handed out twice, also under concurrent writes.
 */
public final class ServiceAllocations implements WriteHook {
    private final IpAllocator ips;
    private final PortAllocator ports;

    public ServiceAllocations(ServiceNetworkConfig config) {
        this(new IpAllocator(config.serviceCidr()), new PortAllocator(config.nodePortMin(), config.nodePortMax()));
    }

    public ServiceAllocations(IpAllocator ips, PortAllocator ports) {
        this.ips = ips;
        this.ports = ports;
    }

    /** The first address of the service range (offset 1): the {@code kubernetes} Service's cluster IP. */
    public String firstServiceIp() {
        return ips.firstAddress();
    }

    public IpAllocator ipAllocator() {
        return ips;
    }

    public PortAllocator portAllocator() {
        return ports;
    }

    @Override
    public Reservation beforeCreate(ObjectNode obj) {
        ObjectNode spec = spec(obj);
        String name = name(obj);
        Txn txn = new Txn();
        try {
            allocClusterIPs(spec, name, txn);
            if (ServiceSpecs.needsNodePort(spec)) {
                initNodePorts(spec, name, txn);
            }
            if (ServiceSpecs.needsHealthCheck(spec)) {
                allocHealthCheckNodePort(spec, txn);
            }
        } catch (RuntimeException e) {
            txn.release();
            throw e;
        }
        return txn;
    }

    @Override
    public Reservation beforeUpdate(ObjectNode obj, ObjectNode old) {
        ObjectNode spec = spec(obj);
        JsonNode oldSpec = ServiceValidation.spec(old);
        String name = name(obj);
        Txn txn = new Txn();
        try {
            updateClusterIPs(spec, oldSpec, name, txn);
            updateNodePorts(spec, oldSpec, name, txn);
            updateHealthCheckNodePort(spec, oldSpec, txn);
        } catch (RuntimeException e) {
            txn.release();
            throw e;
        }
        return txn;
    }

    @Override
    public Reservation beforeDelete(ObjectNode old) {
        JsonNode oldSpec = ServiceValidation.spec(old);
        Txn txn = new Txn();
        deferClusterIPs(oldSpec, txn);
        ServiceSpecs.nodePorts(oldSpec).forEach(txn.deferredPorts::add);
        if (ServiceSpecs.needsHealthCheck(oldSpec) && Nodes.integer(oldSpec, "healthCheckNodePort") > 0) {
            txn.deferredPorts.add((int) Nodes.integer(oldSpec, "healthCheckNodePort"));
        }
        return txn;
    }

    /**
     * Start-up repair: marks the cluster IPs, node ports and health-check node ports of every stored Service as used.
     * Call before serving writes. Values already marked (e.g. by an earlier write) are left alone.
     *
     * @return one line per problem found (a value held by two Services, a value outside the configured range)
     */
    public List<String> rebuild(Iterable<ObjectNode> storedServices) {
        List<String> problems = new ArrayList<>();
        Set<String> seenIps = new HashSet<>();
        Set<Integer> seenPorts = new HashSet<>();
        for (ObjectNode svc : storedServices) {
            JsonNode spec = ServiceValidation.spec(svc);
            JsonNode meta = Nodes.get(svc, "metadata");
            String key = Nodes.text(meta, "namespace") + "/" + Nodes.text(meta, "name");
            if (ServiceSpecs.needsClusterIP(spec) && !ServiceSpecs.isHeadless(spec)) {
                for (String ip : Nodes.strings(spec, "clusterIPs")) {
                    if (ip.isEmpty() || ServiceSpecs.NONE.equals(ip) || ips.isIPv6() != "IPv6".equals(
                            ServiceSpecs.familyOf(ip))) {
                        continue;
                    }
                    if (!seenIps.add(ip)) {
                        problems.add("the cluster IP " + ip + " for service " + key
                                + " was assigned to multiple services; please recreate");
                        continue;
                    }
                    try {
                        ips.allocate(ip);
                    } catch (AllocationException e) {
                        if (e.reason() == AllocationException.Reason.NOT_IN_RANGE) {
                            problems.add("the cluster IP " + ip + " for service " + key
                                    + " is not within the service CIDR " + ips.cidr() + "; please recreate");
                        }
                    }
                }
            }
            Set<Integer> own = new LinkedHashSet<>(ServiceSpecs.nodePorts(spec));
            long hc = Nodes.integer(spec, "healthCheckNodePort");
            if (hc > 0) {
                own.add((int) hc);
            }
            for (int port : own) {
                if (!seenPorts.add(port)) {
                    problems.add("the node port " + port + " for service " + key
                            + " was assigned to multiple services; please recreate");
                    continue;
                }
                try {
                    ports.allocate(port);
                } catch (AllocationException e) {
                    if (e.reason() == AllocationException.Reason.NOT_IN_RANGE) {
                        problems.add("the node port " + port + " for service " + key
                                + " is not within the port range " + ports.rangeText() + "; please recreate");
                    }
                }
            }
        }
        return problems;
    }

    private static ObjectNode spec(ObjectNode obj) {
        JsonNode spec = obj.get("spec");
        return spec != null && spec.isObject() ? (ObjectNode) spec : obj.putObject("spec");
    }

    private static String name(ObjectNode obj) {
        return Nodes.text(Nodes.get(obj, "metadata"), "name");
    }

    private void allocClusterIPs(ObjectNode spec, String name, Txn txn) {
        if (!ServiceSpecs.needsClusterIP(spec) || ServiceSpecs.isHeadless(spec)) {
            return;
        }
        List<String> families = Nodes.strings(spec, "ipFamilies");
        if (families.isEmpty()) {
            families = List.of(ips.isIPv6() ? ServiceSpecs.IPV6 : ServiceSpecs.IPV4);
        }
        List<String> clusterIPs = new ArrayList<>(Nodes.strings(spec, "clusterIPs"));
        for (int i = 0; i < families.size(); i++) {
            if (i >= clusterIPs.size()) {
                clusterIPs.add("");
            }
            String family = families.get(i);
            if (!family.equals(ips.isIPv6() ? ServiceSpecs.IPV6 : ServiceSpecs.IPV4)) {
                throw ApiException.internal("failed to allocate a serviceIP: " + family
                        + " is not configured on this cluster");
            }
            String requested = clusterIPs.get(i);
            if (requested.isEmpty()) {
                try {
                    clusterIPs.set(i, ips.allocateNext());
                } catch (AllocationException e) {
                    throw ApiException.internal("failed to allocate a serviceIP: " + e.getMessage());
                }
            } else {
                try {
                    ips.allocate(requested);
                } catch (AllocationException e) {
                    ArrayNode value = Nodes.stringArray(clusterIPs);
                    throw ApiException.invalid("", "Service", name, List.of(FieldError.invalid("spec.clusterIPs",
                            value, "failed to allocate IP " + requested + ": " + e.getMessage())));
                }
            }
            txn.allocatedIps.add(clusterIPs.get(i));
        }
        Nodes.putStrings(spec, "clusterIPs", clusterIPs);
        spec.put("clusterIP", clusterIPs.get(0));
    }

    private void initNodePorts(ObjectNode spec, String name, Txn txn) {
        boolean allocateNew = ServiceSpecs.shouldAllocateNodePorts(spec);
        List<ObjectNode> servicePorts = Nodes.objects(spec, "ports");
        Map<Long, Integer> byServicePort = new HashMap<>();
        for (int i = 0; i < servicePorts.size(); i++) {
            ObjectNode port = servicePorts.get(i);
            long nodePort = Nodes.integer(port, "nodePort");
            if (nodePort == 0 && !allocateNew) {
                continue;
            }
            long servicePort = Nodes.integer(port, "port");
            int shared = byServicePort.getOrDefault(servicePort, 0);
            if (shared == 0) {
                long requested = requestedNodePort(servicePort, servicePorts);
                int assigned = requested != 0
                        ? allocatePort(requested, i, name, txn)
                        : allocateNextPort(txn);
                port.put("nodePort", assigned);
                byServicePort.put(servicePort, assigned);
            } else if (nodePort != shared) {
                if (nodePort == 0) {
                    port.put("nodePort", shared);
                } else {
                    allocatePort(nodePort, i, name, txn);
                }
            }
        }
    }

    /** The node port the user asked for on any port with this service port number, 0 if none. */
    private static long requestedNodePort(long servicePort, List<ObjectNode> servicePorts) {
        for (ObjectNode p : servicePorts) {
            if (Nodes.integer(p, "port") == servicePort && Nodes.integer(p, "nodePort") != 0) {
                return Nodes.integer(p, "nodePort");
            }
        }
        return 0;
    }

    private int allocatePort(long port, int index, String name, Txn txn) {
        try {
            ports.allocate(port < 0 || port > Integer.MAX_VALUE ? -1 : (int) port);
        } catch (AllocationException e) {
            throw ApiException.invalid("", "Service", name,
                    List.of(FieldError.invalid("spec.ports[" + index + "].nodePort", port, e.getMessage())));
        }
        txn.allocatedPorts.add((int) port);
        return (int) port;
    }

    private int allocateNextPort(Txn txn) {
        try {
            int port = ports.allocateNext();
            txn.allocatedPorts.add(port);
            return port;
        } catch (AllocationException e) {
            throw ApiException.internal("failed to allocate a nodePort: " + e.getMessage());
        }
    }

    private void allocHealthCheckNodePort(ObjectNode spec, Txn txn) {
        long requested = Nodes.integer(spec, "healthCheckNodePort");
        if (requested != 0) {
            try {
                ports.allocate((int) requested);
            } catch (AllocationException e) {
                throw ApiException.internal("failed to allocate requested HealthCheck NodePort " + requested + ": "
                        + e.getMessage());
            }
            txn.allocatedPorts.add((int) requested);
        } else {
            try {
                int port = ports.allocateNext();
                txn.allocatedPorts.add(port);
                spec.put("healthCheckNodePort", port);
            } catch (AllocationException e) {
                throw ApiException.internal("failed to allocate a HealthCheck NodePort 0: " + e.getMessage());
            }
        }
    }

    private void updateClusterIPs(ObjectNode spec, JsonNode oldSpec, String name, Txn txn) {
        if (ServiceNormalizer.matchingPreferDualStack(spec, oldSpec)) {
            return;
        }
        boolean oldExternal = !ServiceSpecs.needsClusterIP(oldSpec);
        boolean newExternal = !ServiceSpecs.needsClusterIP(spec);
        if (oldExternal && !newExternal) {
            allocClusterIPs(spec, name, txn);
            return;
        }
        if (ServiceSpecs.isHeadless(oldSpec)) {
            return;
        }
        if (!oldExternal && newExternal) {
            deferClusterIPs(oldSpec, txn);
        }
    }

    private static void deferClusterIPs(JsonNode oldSpec, Txn txn) {
        if (!ServiceSpecs.needsClusterIP(oldSpec) || ServiceSpecs.isHeadless(oldSpec)) {
            return;
        }
        for (String ip : Nodes.strings(oldSpec, "clusterIPs")) {
            if (!ip.isEmpty()) {
                txn.deferredIps.add(ip);
            }
        }
    }

    private void updateNodePorts(ObjectNode spec, JsonNode oldSpec, String name, Txn txn) {
        List<Integer> oldNodePorts = ServiceSpecs.nodePorts(oldSpec);
        String type = ServiceSpecs.type(spec);
        if (ServiceSpecs.needsNodePort(oldSpec)
                && (ServiceSpecs.EXTERNAL_NAME.equals(type) || ServiceSpecs.CLUSTER_IP.equals(type))) {
            txn.deferredPorts.addAll(oldNodePorts);
        }
        if (!ServiceSpecs.needsNodePort(spec)) {
            return;
        }
        boolean allocateNew = ServiceSpecs.shouldAllocateNodePorts(spec);
        Set<Long> allocatedHere = new HashSet<>();
        List<ObjectNode> servicePorts = Nodes.objects(spec, "ports");
        for (int i = 0; i < servicePorts.size(); i++) {
            ObjectNode port = servicePorts.get(i);
            long nodePort = Nodes.integer(port, "nodePort");
            if (nodePort == 0 && !allocateNew) {
                continue;
            }
            if (nodePort != 0) {
                if (!oldNodePorts.contains((int) nodePort) && !allocatedHere.contains(nodePort)) {
                    allocatePort(nodePort, i, name, txn);
                    allocatedHere.add(nodePort);
                }
            } else {
                port.put("nodePort", allocateNextPort(txn));
            }
        }
        List<Integer> newNodePorts = ServiceSpecs.nodePorts(spec);
        for (int old : oldNodePorts) {
            if (!newNodePorts.contains(old)) {
                txn.deferredPorts.add(old);
            }
        }
    }

    private void updateHealthCheckNodePort(ObjectNode spec, JsonNode oldSpec, Txn txn) {
        boolean needed = ServiceSpecs.needsHealthCheck(oldSpec);
        boolean needs = ServiceSpecs.needsHealthCheck(spec);
        if (!needed && needs) {
            allocHealthCheckNodePort(spec, txn);
        } else if (needed && !needs) {
            long old = Nodes.integer(oldSpec, "healthCheckNodePort");
            if (old > 0) {
                txn.deferredPorts.add((int) old);
            }
        }
    }

    /**
     * What one write took and what it gives back: {@link #commit()} frees the deferred values (no longer used by the
     * stored object), {@link #release()} frees what this write allocated. Only the first of the two calls acts.
     */
    private final class Txn implements Reservation {
        final List<String> allocatedIps = new ArrayList<>();
        final List<Integer> allocatedPorts = new ArrayList<>();
        final List<String> deferredIps = new ArrayList<>();
        final List<Integer> deferredPorts = new ArrayList<>();
        private boolean done;

        @Override
        public synchronized void commit() {
            if (done) {
                return;
            }
            done = true;
            deferredIps.forEach(ips::release);
            deferredPorts.forEach(ports::release);
        }

        @Override
        public synchronized void release() {
            if (done) {
                return;
            }
            done = true;
            allocatedIps.forEach(ips::release);
            allocatedPorts.forEach(ports::release);
        }
    }
}
