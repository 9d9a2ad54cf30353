package dev.ferry.apiserver.controlplane;

import dev.ferry.api.Json;
import dev.ferry.apiserver.storage.Meta;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pure: what the {@code default/kubernetes} Service, its Endpoints and its EndpointSlices must hold for a set of live
 * API servers, and which writes turn the current objects into that (upstream's EndpointsAdapter.Sync and
 * kubernetesservice controller). For API servers that all listen on one port (upstream's assumption) the result is
 * upstream's: one Endpoints subset and one slice named {@code kubernetes}. Ferry's servers may share an IP and differ
 * by port, so in general:
 * <ul>
 * <li>the Endpoints object has one subset per port (ascending), each listing its addresses sorted as strings;
 * <li>there is one slice per (address type, port): the group of the Service's target port and the most common
 * address type is named {@code kubernetes}, any other {@code kubernetes-<ipv4|ipv6>-<port>};
 * <li>the Service's target port is the port most live servers listen on (ties: the lowest), so every server computes
 * the same one and none flaps it.
 * </ul>
 * An empty live set plans nothing: as upstream, the endpoints are never erased to empty (the caller just renewed its
 * own lease, so an empty list means something is wrong; the last server to stop leaves its endpoint behind).
 */
public final class KubernetesEndpoints {
    public static final String NAMESPACE = "default";
    public static final String NAME = "kubernetes";
    public static final String PORT_NAME = "https";
    public static final int SERVICE_PORT = 443;
    /** discovery.LabelSkipMirror: the EndpointSlice mirroring controller leaves these Endpoints alone. */
    public static final String LABEL_SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror";
    /** discovery.LabelServiceName. */
    public static final String LABEL_SERVICE_NAME = "kubernetes.io/service-name";

    /**
     * The writes one reconcile pass makes; null and empty mean none.
     *
     * @param endpoints       the Endpoints to write (whole object), null when the current one is right
     * @param createEndpoints true when no Endpoints exist ({@link #endpoints} is to be created, not updated)
     * @param createSlices    slices to create
     * @param updateSlices    slices whose endpoints, ports or labels to replace (whole objects, by name)
     * @param deleteSlices    names of slices to delete (before the creates: a name may be recreated with another type)
     * @param servicePorts    the Service's {@code spec.ports} to write, null when right
     */
    public record Plan(ObjectNode endpoints, boolean createEndpoints, List<ObjectNode> createSlices,
            List<ObjectNode> updateSlices, List<String> deleteSlices, ArrayNode servicePorts) {
        public static final Plan NONE = new Plan(null, false, List.of(), List.of(), List.of(), null);

        public boolean isEmpty() {
            return endpoints == null && createSlices.isEmpty() && updateSlices.isEmpty() && deleteSlices.isEmpty()
                    && servicePorts == null;
        }
    }

    private KubernetesEndpoints() {
    }

    /**
     * The writes that make the current objects match {@code live}.
     *
     * @param live     the live API servers, sorted and distinct ({@link MasterLeases#live})
     * @param endpoints the current Endpoints {@code default/kubernetes}, null when absent
     * @param slices   the current EndpointSlices of {@code default} (any; those neither labelled for the Service nor
     *                 carrying one of its slice names are left alone)
     * @param service  the current Service {@code default/kubernetes}, null when absent (then nothing is planned for
     *                 it: creating it is the caller's, with {@link #service})
     */
    public static Plan plan(List<ApiEndpoint> live, ObjectNode endpoints, List<? extends JsonNode> slices,
            JsonNode service) {
        if (live.isEmpty()) {
            return Plan.NONE;
        }
        ObjectNode wantEndpoints = endpoints(live);
        ObjectNode endpointsWrite = null;
        if (endpoints == null || !same(endpoints.get("subsets"), wantEndpoints.get("subsets"))
                || !Meta.labels(endpoints).equals(Meta.labels(wantEndpoints))) {
            endpointsWrite = wantEndpoints;
        }
        List<ObjectNode> creates = new ArrayList<>();
        List<ObjectNode> updates = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        Map<String, ObjectNode> wanted = new LinkedHashMap<>();
        for (ObjectNode s : slices(live)) {
            wanted.put(Meta.name(s), s);
        }
        Map<String, JsonNode> current = new HashMap<>();
        for (JsonNode s : slices) {
            boolean labelled = NAME.equals(Meta.labels(s).get(LABEL_SERVICE_NAME));
            if (wanted.containsKey(Meta.name(s))) {
                current.put(Meta.name(s), s);
            } else if (labelled) {
                deletes.add(Meta.name(s));
            }
        }
        for (ObjectNode want : wanted.values()) {
            JsonNode have = current.get(Meta.name(want));
            if (have == null) {
                creates.add(want);
            } else if (!same(have.get("addressType"), want.get("addressType"))) {
                deletes.add(Meta.name(want));
                creates.add(want);
            } else if (!same(have.get("endpoints"), want.get("endpoints"))
                    || !same(have.get("ports"), want.get("ports"))
                    || !Meta.labels(have).equals(Meta.labels(want))) {
                updates.add(want);
            }
        }
        ArrayNode ports = null;
        if (service != null) {
            ArrayNode want = servicePorts(targetPort(live));
            if (!servicePortsMatch(service.path("spec").get("ports"), want)) {
                ports = want;
            }
        }
        return new Plan(endpointsWrite, endpoints == null, List.copyOf(creates), List.copyOf(updates),
                List.copyOf(deletes), ports);
    }

    /** The Endpoints {@code default/kubernetes} for {@code live} (non-empty, sorted). */
    public static ObjectNode endpoints(List<ApiEndpoint> live) {
        ObjectNode obj = object("v1", "Endpoints", NAME, LABEL_SKIP_MIRROR, "true");
        ArrayNode subsets = obj.putArray("subsets");
        Map<Integer, List<ApiEndpoint>> byPort = new TreeMap<>();
        for (ApiEndpoint e : live) {
            byPort.computeIfAbsent(e.port(), p -> new ArrayList<>()).add(e);
        }
        byPort.forEach((port, group) -> {
            ObjectNode subset = subsets.addObject();
            ArrayNode addresses = subset.putArray("addresses");
            group.stream().map(ApiEndpoint::ip).distinct().sorted().forEach(ip -> addresses.addObject().put("ip", ip));
            subset.putArray("ports").add(port(port));
        });
        return obj;
    }

    /** The EndpointSlices for {@code live} (sorted), the one named {@code kubernetes} first; none for none. */
    public static List<ObjectNode> slices(List<ApiEndpoint> live) {
        if (live.isEmpty()) {
            return List.of();
        }
        record Group(String addressType, int port) {
        }
        Map<Group, List<ApiEndpoint>> groups = new HashMap<>();
        Map<String, Integer> perType = new HashMap<>();
        for (ApiEndpoint e : live) {
            groups.computeIfAbsent(new Group(e.addressType(), e.port()), g -> new ArrayList<>()).add(e);
            perType.merge(e.addressType(), 1, Integer::sum);
        }
        int target = targetPort(live);
        // IPv4 wins a tie, as upstream's primary family in a Ferry (IPv4 service range) default cluster.
        String mainType = perType.getOrDefault("IPv6", 0) > perType.getOrDefault("IPv4", 0) ? "IPv6" : "IPv4";
        List<Group> order = new ArrayList<>(groups.keySet());
        order.sort(Comparator.<Group>comparingInt(g -> g.port() == target && g.addressType().equals(mainType) ? 0 : 1)
                .thenComparingInt(g -> g.port() == target ? 0 : 1)
                .thenComparing(Group::addressType)
                .thenComparingInt(Group::port));
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            Group g = order.get(i);
            String name = i == 0 ? NAME : NAME + "-" + g.addressType().toLowerCase(Locale.ROOT) + "-"
                    + g.port();
            out.add(slice(name, g.addressType(), g.port(), groups.get(g)));
        }
        return out;
    }

    private static ObjectNode slice(String name, String addressType, int port, List<ApiEndpoint> group) {
        ObjectNode obj = object("discovery.k8s.io/v1", "EndpointSlice", name, LABEL_SERVICE_NAME, NAME);
        obj.put("addressType", addressType);
        ArrayNode endpoints = obj.putArray("endpoints");
        group.stream().map(ApiEndpoint::ip).distinct().sorted().forEach(ip -> {
            ObjectNode ep = endpoints.addObject();
            ep.putArray("addresses").add(ip);
            ep.putObject("conditions").put("ready", true);
        });
        obj.putArray("ports").add(port(port));
        return obj;
    }

    /** An object of {@code kind} named {@code name} in {@value #NAMESPACE}, with one label. */
    private static ObjectNode object(String apiVersion, String kind, String name, String label, String value) {
        ObjectNode obj = Json.object();
        obj.put("apiVersion", apiVersion);
        obj.put("kind", kind);
        ObjectNode meta = obj.putObject("metadata");
        meta.put("name", name);
        meta.put("namespace", NAMESPACE);
        meta.putObject("labels").put(label, value);
        return obj;
    }

    private static ObjectNode port(int port) {
        ObjectNode p = Json.object();
        p.put("name", PORT_NAME);
        p.put("port", port);
        p.put("protocol", "TCP");
        return p;
    }

    /** The port most live servers listen on ({@code live} non-empty); ties go to the lowest port. */
    public static int targetPort(List<ApiEndpoint> live) {
        Map<Integer, Integer> count = new HashMap<>();
        for (ApiEndpoint e : live) {
            count.merge(e.port(), 1, Integer::sum);
        }
        return count.entrySet().stream()
                .min(Comparator.<Map.Entry<Integer, Integer>>comparingInt(en -> -en.getValue())
                        .thenComparingInt(Map.Entry::getKey))
                .orElseThrow()
                .getKey();
    }

    /** The Service's ports: upstream's createPortAndServiceSpec for a ClusterIP Service. */
    public static ArrayNode servicePorts(int targetPort) {
        ArrayNode ports = Json.MAPPER.createArrayNode();
        ports.addObject().put("name", PORT_NAME).put("port", SERVICE_PORT).put("protocol", "TCP")
                .put("targetPort", targetPort);
        return ports;
    }

    /** The Service {@code default/kubernetes} as upstream creates it. */
    public static ObjectNode service(String clusterIp, int targetPort) {
        ObjectNode svc = Json.object();
        svc.put("apiVersion", "v1");
        svc.put("kind", "Service");
        ObjectNode meta = svc.putObject("metadata");
        meta.put("name", NAME);
        meta.put("namespace", NAMESPACE);
        meta.putObject("labels").put("component", "apiserver").put("provider", "kubernetes");
        ObjectNode spec = svc.putObject("spec");
        spec.put("clusterIP", clusterIp);
        spec.set("ports", servicePorts(targetPort));
        spec.put("sessionAffinity", "None");
        spec.put("type", "ClusterIP");
        return svc;
    }

    /** Numbers compare by value: stored objects decode integers as big integers ({@link Json#MAPPER}). */
    private static final Comparator<JsonNode> VALUES = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    /** Semantic equality of two trees (upstream's apiequality.Semantic.DeepEqual on these fields); null = absent. */
    static boolean same(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.equals(VALUES, b);
    }

    /** Upstream's checkServiceFormat on the ports: same count; name, port, protocol and targetPort equal. */
    private static boolean servicePortsMatch(JsonNode have, ArrayNode want) {
        if (have == null || !have.isArray() || have.size() != want.size()) {
            return false;
        }
        for (int i = 0; i < want.size(); i++) {
            JsonNode h = have.get(i);
            JsonNode w = want.get(i);
            for (String f : List.of("name", "port", "protocol", "targetPort")) {
                if (!same(h.get(f), w.get(f))) {
                    return false;
                }
            }
        }
        return true;
    }
}
