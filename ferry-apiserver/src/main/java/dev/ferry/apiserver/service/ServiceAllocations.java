package dev.ferry.apiserver.service;

import dev.ferry.api.validation.FieldError;
import dev.ferry.apiserver.ApiException;
import dev.ferry.apiserver.allocation.AllocationException;
import dev.ferry.apiserver.allocation.AllocationLedger;
import dev.ferry.api.net.IpAddresses;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 *
 * <p>Every value taken from a local bitmap is then claimed in the {@link AllocationLedger}; a value someone else holds
 * there stays marked in the bitmap (it is in use elsewhere) and counts as already allocated. With a shared ledger this
 * keeps values unique across API servers on one store; every release gives the claim back too.
 */
public final class ServiceAllocations implements WriteHook {
    private static final Logger log = LoggerFactory.getLogger(ServiceAllocations.class);

    private final IpAllocator ips;
    private final PortAllocator ports;
    private final AllocationLedger ledger;

    public ServiceAllocations(ServiceNetworkConfig config) {
        this(config, AllocationLedger.LOCAL);
    }

    public ServiceAllocations(ServiceNetworkConfig config, AllocationLedger ledger) {
        this(new IpAllocator(config.serviceCidr()), new PortAllocator(config.nodePortMin(), config.nodePortMax()),
                ledger);
    }

    public ServiceAllocations(IpAllocator ips, PortAllocator ports) {
        this(ips, ports, AllocationLedger.LOCAL);
    }

    public ServiceAllocations(IpAllocator ips, PortAllocator ports, AllocationLedger ledger) {
        this.ips = ips;
        this.ports = ports;
        this.ledger = ledger;
    }

    public AllocationLedger ledger() {
        return ledger;
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
        Txn txn = new Txn(owner(obj));
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
        Txn txn = new Txn(owner(obj));
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
        Txn txn = new Txn(owner(old));
        deferClusterIPs(oldSpec, txn);
        ServiceSpecs.nodePorts(oldSpec).forEach(txn.deferredPorts::add);
        if (ServiceSpecs.needsHealthCheck(oldSpec) && Nodes.integer(oldSpec, "healthCheckNodePort") > 0) {
            txn.deferredPorts.add((int) Nodes.integer(oldSpec, "healthCheckNodePort"));
        }
        return txn;
    }

    /**
     * Start-up repair: marks the cluster IPs, node ports and health-check node ports of every stored Service as used.
     * Call before serving writes. Values already marked (e.g. by an earlier write) are left alone. With a shared ledger,
     * also marks every claimed value (held by a Service or an in-flight write elsewhere), and claims the stored
     * Services' values that have no claim yet (Services stored before the ledger existed).
     *
     * @return one line per problem found (a value held by two Services, a value outside the configured range)
     */
    public List<String> rebuild(Iterable<ObjectNode> storedServices) {
        List<String> problems = new ArrayList<>();
        List<AllocationLedger.Claim> claims = ledger.claims();
        Set<String> claimed = new HashSet<>();
        claims.forEach(c -> claimed.add(c.kind() + "/" + c.value()));
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
                            continue;
                        }
                    }
                    backfill(AllocationLedger.SERVICE_IPS, IpAddresses.canonical(ip), key, claimed, problems);
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
                        continue;
                    }
                }
                backfill(AllocationLedger.NODE_PORTS, Integer.toString(port), key, claimed, problems);
            }
        }
        for (AllocationLedger.Claim c : claims) {
            markLocally(c.kind(), c.value());
        }
        return problems;
    }

    /** Claims a stored Service's value that a shared ledger does not hold yet. */
    private void backfill(String kind, String value, String owner, Set<String> claimed, List<String> problems) {
        if (!ledger.shared() || value == null || claimed.contains(kind + "/" + value)) {
            return;
        }
        try {
            // false: claimed meanwhile, by another API server repairing the same Service
            ledger.claim(kind, value, owner);
        } catch (RuntimeException e) {
            problems.add("claiming " + kind + " " + value + " for service " + owner + " failed: " + e.getMessage());
        }
    }

    private void markLocally(String kind, String value) {
        try {
            if (AllocationLedger.SERVICE_IPS.equals(kind)) {
                ips.allocate(value);
            } else if (AllocationLedger.NODE_PORTS.equals(kind)) {
                Integer port = parsePort(value);
                if (port != null) {
                    ports.allocate(port);
                }
            }
        } catch (AllocationException e) {
            // already marked, or not ours to mark (outside this server's range)
        }
    }

    /**
     * The ledger claims ({@code kind + "/" + value}) that {@code storedServices} account for: their cluster IPs (canonical
     * text), node ports and health-check node ports.
     */
    static Set<String> claimKeysOf(Iterable<ObjectNode> storedServices) {
        Set<String> out = new HashSet<>();
        for (ObjectNode svc : storedServices) {
            JsonNode spec = ServiceValidation.spec(svc);
            if (ServiceSpecs.needsClusterIP(spec) && !ServiceSpecs.isHeadless(spec)) {
                for (String ip : Nodes.strings(spec, "clusterIPs")) {
                    String canonical = IpAddresses.canonical(ip);
                    if (canonical != null) {
                        out.add(AllocationLedger.SERVICE_IPS + "/" + canonical);
                    }
                }
            }
            ServiceSpecs.nodePorts(spec).forEach(p -> out.add(AllocationLedger.NODE_PORTS + "/" + p));
            long hc = Nodes.integer(spec, "healthCheckNodePort");
            if (hc > 0) {
                out.add(AllocationLedger.NODE_PORTS + "/" + hc);
            }
        }
        return out;
    }

    /** The values marked in the local bitmaps, as {@code kind + "/" + value} (a snapshot). */
    Set<String> locallyMarked() {
        Set<String> out = new HashSet<>();
        ips.allocated().forEach(ip -> out.add(AllocationLedger.SERVICE_IPS + "/" + ip));
        ports.allocated().forEach(p -> out.add(AllocationLedger.NODE_PORTS + "/" + p));
        return out;
    }

    private static ObjectNode spec(ObjectNode obj) {
        JsonNode spec = obj.get("spec");
        return spec != null && spec.isObject() ? (ObjectNode) spec : obj.putObject("spec");
    }

    private static String name(ObjectNode obj) {
        return Nodes.text(Nodes.get(obj, "metadata"), "name");
    }

    private static String owner(JsonNode obj) {
        JsonNode meta = Nodes.get(obj, "metadata");
        return Nodes.text(meta, "namespace") + "/" + Nodes.text(meta, "name");
    }

    /** Takes {@code ip} locally, then in the ledger; a value held elsewhere stays marked locally. */
    private void takeIp(String ip, String owner) throws AllocationException {
        ips.allocate(ip);
        if (!claim(AllocationLedger.SERVICE_IPS, IpAddresses.canonical(ip), owner, () -> ips.release(ip))) {
            throw new AllocationException(AllocationException.Reason.ALREADY_ALLOCATED,
                    "provided IP is already allocated");
        }
    }

    /** The next free address that this writer could also claim; addresses held elsewhere stay marked locally. */
    private String takeNextIp(String owner) throws AllocationException {
        while (true) {
            String ip = ips.allocateNext();
            if (claim(AllocationLedger.SERVICE_IPS, ip, owner, () -> ips.release(ip))) {
                return ip;
            }
        }
    }

    private void takePort(int port, String owner) throws AllocationException {
        ports.allocate(port);
        if (!claim(AllocationLedger.NODE_PORTS, Integer.toString(port), owner, () -> ports.release(port))) {
            throw new AllocationException(AllocationException.Reason.ALREADY_ALLOCATED,
                    "provided port is already allocated");
        }
    }

    private int takeNextPort(String owner) throws AllocationException {
        while (true) {
            int port = ports.allocateNext();
            if (claim(AllocationLedger.NODE_PORTS, Integer.toString(port), owner, () -> ports.release(port))) {
                return port;
            }
        }
    }

    /** Claims a value just taken locally; if the ledger fails, {@code undo} frees it locally before rethrowing. */
    private boolean claim(String kind, String value, String owner, Runnable undo) {
        try {
            return ledger.claim(kind, value, owner);
        } catch (RuntimeException e) {
            undo.run();
            throw e;
        }
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
                    clusterIPs.set(i, takeNextIp(txn.owner));
                } catch (AllocationException e) {
                    throw ApiException.internal("failed to allocate a serviceIP: " + e.getMessage());
                }
            } else {
                try {
                    takeIp(requested, txn.owner);
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
            takePort(port < 0 || port > Integer.MAX_VALUE ? -1 : (int) port, txn.owner);
        } catch (AllocationException e) {
            throw ApiException.invalid("", "Service", name,
                    List.of(FieldError.invalid("spec.ports[" + index + "].nodePort", port, e.getMessage())));
        }
        txn.allocatedPorts.add((int) port);
        return (int) port;
    }

    private int allocateNextPort(Txn txn) {
        try {
            int port = takeNextPort(txn.owner);
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
                takePort((int) requested, txn.owner);
            } catch (AllocationException e) {
                throw ApiException.internal("failed to allocate requested HealthCheck NodePort " + requested + ": "
                        + e.getMessage());
            }
            txn.allocatedPorts.add((int) requested);
        } else {
            try {
                int port = takeNextPort(txn.owner);
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

    /** Frees {@code value} of {@code kind} in the local bitmap only (the ledger no longer holds it). */
    void freeLocally(String kind, String value) {
        if (AllocationLedger.SERVICE_IPS.equals(kind)) {
            ips.release(value);
        } else if (AllocationLedger.NODE_PORTS.equals(kind)) {
            Integer port = parsePort(value);
            if (port != null) {
                ports.release(port);
            }
        }
    }

    private static Integer parsePort(String value) {
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void releaseEverywhere(String kind, String value, Runnable local) {
        try {
            ledger.release(kind, value);
        } catch (RuntimeException e) {
            // the claim is left unbacked; the periodic repair deletes it
            log.warn("releasing {} {}: {}", kind, value, e.toString());
        }
        local.run();
    }

    /**
     * What one write took and what it gives back: {@link #commit()} frees the deferred values (no longer used by the
     * stored object), {@link #release()} frees what this write allocated. Only the first of the two calls acts.
     * A value is freed in the ledger before the local bitmap, so a local writer never picks a value still claimed.
     */
    private final class Txn implements Reservation {
        final String owner;
        final List<String> allocatedIps = new ArrayList<>();
        final List<Integer> allocatedPorts = new ArrayList<>();
        final List<String> deferredIps = new ArrayList<>();
        final List<Integer> deferredPorts = new ArrayList<>();
        private boolean done;

        Txn(String owner) {
            this.owner = owner;
        }

        @Override
        public synchronized void commit() {
            if (done) {
                return;
            }
            done = true;
            deferredIps.forEach(this::releaseIp);
            deferredPorts.forEach(this::releasePort);
        }

        @Override
        public synchronized void release() {
            if (done) {
                return;
            }
            done = true;
            allocatedIps.forEach(this::releaseIp);
            allocatedPorts.forEach(this::releasePort);
        }

        private void releaseIp(String ip) {
            String canonical = IpAddresses.canonical(ip);
            if (canonical == null) {
                return;
            }
            releaseEverywhere(AllocationLedger.SERVICE_IPS, canonical, () -> ips.release(ip));
        }

        private void releasePort(int port) {
            releaseEverywhere(AllocationLedger.NODE_PORTS, Integer.toString(port), () -> ports.release(port));
        }
    }
}
