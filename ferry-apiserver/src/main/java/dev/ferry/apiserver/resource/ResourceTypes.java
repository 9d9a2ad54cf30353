package dev.ferry.apiserver.resource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The resources Ferry serves, in discovery order. Strategies are supplied by the caller (the wiring). */
public final class ResourceTypes {
    /** core/v1 {@code bindings}: POST only, the legacy spelling of {@code pods/binding}; never stored. */
    public static final ResourceType BINDINGS = new ResourceType("", "v1", "bindings", "binding", "Binding", true,
            List.of(), List.of(), List.of(), new Strategy() {
            });

    private final List<ResourceType> all;
    private final List<ResourceType> createOnly;
    private final Map<String, ResourceType> byGroupVersionPlural;

    public ResourceTypes(List<ResourceType> all) {
        this(all, List.of());
    }

    /**
     * @param createOnly resources that only accept {@code create} (POST) and are not stored, such as
     *                   {@link #BINDINGS}: listed in discovery with the one verb, absent from {@link #all()}
     */
    public ResourceTypes(List<ResourceType> all, List<ResourceType> createOnly) {
        this.all = List.copyOf(all);
        this.createOnly = List.copyOf(createOnly);
        this.byGroupVersionPlural = all.stream()
                .collect(Collectors.toUnmodifiableMap(t -> t.groupVersion() + "/" + t.plural(), Function.identity()));
    }

    /** The standard set; {@code strategies} maps a kind to its strategy (absent kinds get the no-op strategy). */
    public static ResourceTypes standard(Map<String, Strategy> strategies) {
        Function<String, Strategy> s = kind -> strategies.getOrDefault(kind, new Strategy() {
        });
        return new ResourceTypes(List.of(
                new ResourceType("", "v1", "namespaces", "namespace", "Namespace", false,
                        List.of("ns"), List.of(), List.of("status", "finalize"), s.apply("Namespace")),
                new ResourceType("", "v1", "nodes", "node", "Node", false,
                        List.of("no"), List.of(), List.of("status"), s.apply("Node")),
                new ResourceType("", "v1", "pods", "pod", "Pod", true,
                        List.of("po"), List.of("all"), List.of("status", "log", "binding"), s.apply("Pod")),
                new ResourceType("", "v1", "services", "service", "Service", true,
                        List.of("svc"), List.of("all"), List.of("status"), s.apply("Service")),
                new ResourceType("", "v1", "endpoints", "endpoints", "Endpoints", true,
                        List.of("ep"), List.of(), List.of(), s.apply("Endpoints")),
                new ResourceType("", "v1", "events", "event", "Event", true,
                        List.of("ev"), List.of(), List.of(), s.apply("Event")),
                new ResourceType("apps", "v1", "deployments", "deployment", "Deployment", true,
                        List.of("deploy"), List.of("all"), List.of("status", "scale"), s.apply("Deployment")),
                new ResourceType("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true,
                        List.of("rs"), List.of("all"), List.of("status", "scale"), s.apply("ReplicaSet")),
                new ResourceType("discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", true,
                        List.of(), List.of(), List.of(), s.apply("EndpointSlice")),
                new ResourceType("coordination.k8s.io", "v1", "leases", "lease", "Lease", true,
                        List.of(), List.of(), List.of(), s.apply("Lease"))),
                List.of(BINDINGS));
    }

    /** The stored resources. */
    public List<ResourceType> all() {
        return all;
    }

    /** The create-only resources (not stored, not in {@link #all()}). */
    public List<ResourceType> createOnly() {
        return createOnly;
    }

    public boolean isCreateOnly(ResourceType t) {
        return createOnly.contains(t);
    }

    public Optional<ResourceType> find(String group, String version, String plural) {
        String gv = group.isEmpty() ? version : group + "/" + version;
        return Optional.ofNullable(byGroupVersionPlural.get(gv + "/" + plural));
    }

    public Optional<ResourceType> byKind(String group, String kind) {
        return all.stream().filter(t -> t.group().equals(group) && t.kind().equals(kind)).findFirst();
    }

    /** Group-versions in discovery order, e.g. "v1", "apps/v1", "discovery.k8s.io/v1". */
    public List<String> groupVersions() {
        return all.stream().map(ResourceType::groupVersion).distinct().toList();
    }
}
