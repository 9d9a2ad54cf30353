package dev.ferry.proxy.model;

import dev.ferry.api.net.IpAddresses;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointHints;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.ForNode;
import io.fabric8.kubernetes.api.model.discovery.v1.ForZone;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The IPv4 EndpointSlices of each Service (kube-proxy's EndpointSliceCache), keyed {@code namespace/service}.
 * Slices without the {@code kubernetes.io/service-name} label are ignored. Not thread-safe.
 */
public final class EndpointSliceCache {
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final Map<String, Map<String, EndpointSlice>> byService = new HashMap<>();

    /** The Service key {@code namespace/name} a slice belongs to, or null if it names none. */
    public static String serviceKey(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
        return service == null || service.isEmpty() ? null : slice.getMetadata().getNamespace() + "/" + service;
    }

    /** Stores or replaces {@code slice}; returns its Service key, or null if it was ignored. */
    public String update(EndpointSlice slice) {
        String key = serviceKey(slice);
        if (key != null) {
            byService.computeIfAbsent(key, k -> new HashMap<>()).put(slice.getMetadata().getName(), slice);
        }
        return key;
    }

    /** Forgets {@code slice}; returns its Service key, or null if it was ignored. */
    public String delete(EndpointSlice slice) {
        String key = serviceKey(slice);
        if (key != null) {
            Map<String, EndpointSlice> slices = byService.get(key);
            if (slices != null) {
                slices.remove(slice.getMetadata().getName());
                if (slices.isEmpty()) {
                    byService.remove(key);
                }
            }
        }
        return key;
    }

    public Collection<String> serviceKeys() {
        return List.copyOf(byService.keySet());
    }

    /**
     * Endpoints of the Service {@code key} by service port name ("" for an unnamed port) and protocol, as
     * {@code name + "/" + protocol}; each endpoint once per ip:port (a ready copy wins over a not-ready one, as when
     * a pod moves between slices).
     */
    public Map<String, List<EndpointInfo>> endpoints(String key) {
        Map<String, EndpointSlice> slices = byService.get(key);
        if (slices == null) {
            return Map.of();
        }
        Map<String, Map<String, EndpointInfo>> out = new LinkedHashMap<>();
        slices.values().stream()
                .filter(s -> "IPv4".equals(s.getAddressType()))
                .sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()))
                .forEach(slice -> add(slice, out));
        Map<String, List<EndpointInfo>> result = new LinkedHashMap<>();
        out.forEach((k, v) -> result.put(k, List.copyOf(v.values())));
        return result;
    }

    private static void add(EndpointSlice slice, Map<String, Map<String, EndpointInfo>> out) {
        if (slice.getPorts() == null || slice.getEndpoints() == null) {
            return;
        }
        for (EndpointPort port : slice.getPorts()) {
            if (port.getPort() == null) {
                continue;
            }
            String portKey = (port.getName() == null ? "" : port.getName()) + "/"
                    + (port.getProtocol() == null ? "TCP" : port.getProtocol());
            Map<String, EndpointInfo> byAddress = out.computeIfAbsent(portKey, k -> new LinkedHashMap<>());
            for (Endpoint ep : slice.getEndpoints()) {
                EndpointInfo info = info(ep, port.getPort());
                if (info == null) {
                    continue;
                }
                String id = info.ip().getHostAddress() + ":" + info.port();
                EndpointInfo seen = byAddress.get(id);
                if (seen == null || (!seen.ready() && info.ready())) {
                    byAddress.put(id, info);
                }
            }
        }
    }

    private static EndpointInfo info(Endpoint ep, int port) {
        if (ep.getAddresses() == null || ep.getAddresses().isEmpty()) {
            return null;
        }
        byte[] b = IpAddresses.parse(ep.getAddresses().get(0));
        if (b == null || b.length != 4) {
            return null;
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByAddress(b);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
        EndpointConditions c = ep.getConditions();
        boolean ready = c == null || c.getReady() == null || c.getReady();
        boolean serving = c == null || c.getServing() == null || c.getServing();
        boolean terminating = c != null && c.getTerminating() != null && c.getTerminating();
        EndpointHints hints = ep.getHints();
        Set<String> nodeHints = hints == null || hints.getForNodes() == null ? Set.of()
                : hints.getForNodes().stream().map(ForNode::getName).filter(n -> n != null)
                        .collect(Collectors.toSet());
        Set<String> zoneHints = hints == null || hints.getForZones() == null ? Set.of()
                : hints.getForZones().stream().map(ForZone::getName).filter(n -> n != null)
                        .collect(Collectors.toSet());
        return new EndpointInfo(ip, port, ep.getNodeName() == null ? "" : ep.getNodeName(),
                ep.getZone() == null ? "" : ep.getZone(), ready, serving, terminating, nodeHints, zoneHints);
    }

    /** All endpoints of a service port; the empty list when there are none. */
    public static List<EndpointInfo> forPort(Map<String, List<EndpointInfo>> endpoints, String portName,
            String protocol) {
        return endpoints.getOrDefault(portName + "/" + protocol, new ArrayList<>());
    }
}
