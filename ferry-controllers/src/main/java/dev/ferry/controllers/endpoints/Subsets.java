package dev.ferry.controllers.endpoints;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The canonical form of Endpoints subsets (upstream's {@code endpoints.RepackSubsets}) and the capacity cap. Pure;
 * returns new lists.
 *
 * <p>Repacking: every (address, port) pair is expanded, addresses are de-duplicated by IP and target UID (not ready
 * wins over ready for the same port), then addresses offering the same ports with the same readiness are packed
 * into one subset; a subset without ports keeps its addresses (with no ports). Addresses are sorted by IP text
 * then target UID as upstream; ports and subsets are sorted by
 * their fields (upstream sorts them by a hash, an order no client relies on).
 */
public final class Subsets {
    /** Upstream's maxCapacity: the most addresses an Endpoints object gets. */
    public static final int MAX_CAPACITY = 1000;

    private Subsets() {
    }

    /** A port with the API default (protocol TCP) and "" for no name: the repacking key. */
    record PortKey(String name, Integer port, String protocol, String appProtocol) {
        static PortKey of(EndpointPort p) {
            return new PortKey(p.getName() == null ? "" : p.getName(), p.getPort(),
                    p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol(), p.getAppProtocol());
        }

        EndpointPort toPort() {
            return new EndpointPort(appProtocol, name.isEmpty() ? null : name, port, protocol);
        }
    }

    private record AddressKey(String ip, String uid) {
    }

    /** Sentinel port of a subset without ports (a headless Service without ports), stripped again on output. */
    private static final PortKey NO_PORTS = new PortKey("", -1, "", null);

    private static final Comparator<PortKey> PORT_ORDER = Comparator.comparing(PortKey::name)
            .thenComparing(PortKey::port, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(PortKey::protocol)
            .thenComparing(PortKey::appProtocol, Comparator.nullsFirst(Comparator.naturalOrder()));

    /** Upstream's LessEndpointAddress: IP text bytewise, then target UID (no target first). */
    static final Comparator<EndpointAddress> ADDRESS_ORDER = (a, b) -> {
        int c = compareBytes(Objects.toString(a.getIp(), ""), Objects.toString(b.getIp(), ""));
        if (c != 0) {
            return c;
        }
        String ua = uid(a);
        String ub = uid(b);
        if (ua == null || ub == null) {
            return ua == null ? (ub == null ? 0 : -1) : 1;
        }
        return ua.compareTo(ub);
    };

    /** The repacked, sorted form of {@code subsets}. */
    public static List<EndpointSubset> repack(List<EndpointSubset> subsets) {
        Map<AddressKey, EndpointAddress> all = new LinkedHashMap<>();
        Map<PortKey, IdentityHashMap<EndpointAddress, Boolean>> byPort = new LinkedHashMap<>();
        for (EndpointSubset ss : subsets) {
            List<PortKey> ports = new ArrayList<>();
            nonNull(ss.getPorts()).forEach(p -> ports.add(PortKey.of(p)));
            if (ports.isEmpty()) {
                ports.add(NO_PORTS);
            }
            for (PortKey pk : ports) {
                for (EndpointAddress a : nonNull(ss.getAddresses())) {
                    map(a, pk, true, all, byPort);
                }
                for (EndpointAddress a : nonNull(ss.getNotReadyAddresses())) {
                    map(a, pk, false, all, byPort);
                }
            }
        }
        // Group ports by the exact set of (address, readiness) offering them.
        Map<List<Object>, List<PortKey>> portsByAddressSet = new LinkedHashMap<>();
        Map<List<Object>, IdentityHashMap<EndpointAddress, Boolean>> addressSets = new LinkedHashMap<>();
        for (Map.Entry<PortKey, IdentityHashMap<EndpointAddress, Boolean>> e : byPort.entrySet()) {
            List<Object> key = setKey(e.getValue());
            addressSets.put(key, e.getValue());
            portsByAddressSet.computeIfAbsent(key, k -> new ArrayList<>()).add(e.getKey());
        }
        List<EndpointSubset> out = new ArrayList<>();
        for (Map.Entry<List<Object>, List<PortKey>> e : portsByAddressSet.entrySet()) {
            List<EndpointAddress> ready = new ArrayList<>();
            List<EndpointAddress> notReady = new ArrayList<>();
            addressSets.get(e.getKey()).forEach((a, isReady) -> (isReady ? ready : notReady).add(copy(a)));
            ready.sort(ADDRESS_ORDER);
            notReady.sort(ADDRESS_ORDER);
            List<PortKey> ports = new ArrayList<>(e.getValue());
            ports.sort(PORT_ORDER);
            List<EndpointPort> endpointPorts = new ArrayList<>();
            if (!ports.equals(List.of(NO_PORTS))) {
                ports.forEach(p -> endpointPorts.add(p.toPort()));
            }
            out.add(new EndpointSubset(ready, notReady, endpointPorts));
        }
        out.sort(Comparator.comparing(Subsets::sortKey));
        return out;
    }

    private static void map(EndpointAddress a, PortKey port, boolean ready, Map<AddressKey, EndpointAddress> all,
            Map<PortKey, IdentityHashMap<EndpointAddress, Boolean>> byPort) {
        EndpointAddress canonical = all.computeIfAbsent(new AddressKey(a.getIp(), uid(a)), k -> a);
        IdentityHashMap<EndpointAddress, Boolean> set = byPort.computeIfAbsent(port, k -> new IdentityHashMap<>());
        Boolean was = set.get(canonical);
        if (was == null || was) {
            set.put(canonical, ready);
        }
    }

    /** An order-independent key of an address set with readiness. */
    private static List<Object> setKey(IdentityHashMap<EndpointAddress, Boolean> set) {
        List<Map.Entry<EndpointAddress, Boolean>> entries = new ArrayList<>(set.entrySet());
        entries.sort((x, y) -> ADDRESS_ORDER.compare(x.getKey(), y.getKey()));
        List<Object> key = new ArrayList<>();
        for (Map.Entry<EndpointAddress, Boolean> e : entries) {
            key.add(new AddressKey(e.getKey().getIp(), uid(e.getKey())));
            key.add(e.getValue());
        }
        return key;
    }

    private static String sortKey(EndpointSubset s) {
        StringBuilder sb = new StringBuilder();
        for (EndpointPort p : s.getPorts()) {
            sb.append(p.getName()).append('/').append(p.getPort()).append('/').append(p.getProtocol()).append(';');
        }
        sb.append('|');
        for (EndpointAddress a : s.getAddresses()) {
            sb.append(a.getIp()).append(',');
        }
        sb.append('|');
        for (EndpointAddress a : s.getNotReadyAddresses()) {
            sb.append(a.getIp()).append(',');
        }
        return sb.toString();
    }

    /**
     * Caps {@code subsets} at {@link #MAX_CAPACITY} addresses as upstream's truncateEndpoints: ready addresses are
     * kept first; the kept ones are shared out in proportion to each subset's size (rounded up, so the last subsets
     * may get fewer). Returns the input when it fits.
     */
    public static List<EndpointSubset> truncate(List<EndpointSubset> subsets) {
        int totalReady = 0;
        int totalNotReady = 0;
        for (EndpointSubset s : subsets) {
            totalReady += nonNull(s.getAddresses()).size();
            totalNotReady += nonNull(s.getNotReadyAddresses()).size();
        }
        if (totalReady + totalNotReady <= MAX_CAPACITY) {
            return subsets;
        }
        boolean truncateReady = totalReady > MAX_CAPACITY;
        int max = truncateReady ? MAX_CAPACITY : MAX_CAPACITY - totalReady;
        int numTotal = truncateReady ? totalReady : totalNotReady;
        int canBeAdded = max;
        List<EndpointSubset> out = new ArrayList<>();
        for (EndpointSubset s : subsets) {
            List<EndpointAddress> ready = nonNull(s.getAddresses());
            List<EndpointAddress> notReady = nonNull(s.getNotReadyAddresses());
            int inSubset = truncateReady ? ready.size() : notReady.size();
            int toBeAdded = (int) Math.ceil((double) inSubset / numTotal * max);
            toBeAdded = Math.min(toBeAdded, canBeAdded);
            if (truncateReady) {
                List<EndpointAddress> kept = new ArrayList<>(ready.subList(0, Math.min(ready.size(), toBeAdded)));
                canBeAdded -= kept.size();
                out.add(new EndpointSubset(kept, new ArrayList<>(), new ArrayList<>(nonNull(s.getPorts()))));
            } else {
                List<EndpointAddress> kept = new ArrayList<>(notReady.subList(0, Math.min(notReady.size(), toBeAdded)));
                canBeAdded -= kept.size();
                out.add(new EndpointSubset(new ArrayList<>(ready), kept, new ArrayList<>(nonNull(s.getPorts()))));
            }
        }
        return out;
    }

    /** Number of addresses (ready and not) in {@code subsets}. */
    public static int addressCount(List<EndpointSubset> subsets) {
        int n = 0;
        for (EndpointSubset s : nonNull(subsets)) {
            n += nonNull(s.getAddresses()).size() + nonNull(s.getNotReadyAddresses()).size();
        }
        return n;
    }

    /**
     * Semantic equality of two subset lists as upstream compares them: nil and empty lists are equal, a port's empty
     * name equals no name, a target's resourceVersion is ignored.
     */
    public static boolean equal(List<EndpointSubset> a, List<EndpointSubset> b) {
        List<EndpointSubset> x = nonNull(a);
        List<EndpointSubset> y = nonNull(b);
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            if (!addressesEqual(x.get(i).getAddresses(), y.get(i).getAddresses())
                    || !addressesEqual(x.get(i).getNotReadyAddresses(), y.get(i).getNotReadyAddresses())
                    || !portsEqual(x.get(i).getPorts(), y.get(i).getPorts())) {
                return false;
            }
        }
        return true;
    }

    private static boolean portsEqual(List<EndpointPort> a, List<EndpointPort> b) {
        List<EndpointPort> x = nonNull(a);
        List<EndpointPort> y = nonNull(b);
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            if (!PortKey.of(x.get(i)).equals(PortKey.of(y.get(i)))) {
                return false;
            }
        }
        return true;
    }

    private static boolean addressesEqual(List<EndpointAddress> a, List<EndpointAddress> b) {
        List<EndpointAddress> x = nonNull(a);
        List<EndpointAddress> y = nonNull(b);
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            EndpointAddress p = x.get(i);
            EndpointAddress q = y.get(i);
            if (!Objects.equals(p.getIp(), q.getIp()) || !Objects.equals(empty(p.getHostname()), empty(q.getHostname()))
                    || !Objects.equals(empty(p.getNodeName()), empty(q.getNodeName()))
                    || !targetEqual(p.getTargetRef(), q.getTargetRef())) {
                return false;
            }
        }
        return true;
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

    private static String empty(String s) {
        return s == null ? "" : s;
    }

    private static EndpointAddress copy(EndpointAddress a) {
        ObjectReference t = a.getTargetRef();
        ObjectReference target = t == null ? null
                : new ObjectReference(t.getApiVersion(), t.getFieldPath(), t.getKind(), t.getName(), t.getNamespace(),
                        t.getResourceVersion(), t.getUid());
        return new EndpointAddress(a.getHostname(), a.getIp(), a.getNodeName(), target);
    }

    private static String uid(EndpointAddress a) {
        return a.getTargetRef() == null ? null : a.getTargetRef().getUid();
    }

    private static int compareBytes(String a, String b) {
        byte[] x = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] y = b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(x, y);
    }

    private static <T> List<T> nonNull(List<T> l) {
        return l == null ? List.of() : l;
    }
}
