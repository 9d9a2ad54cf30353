package dev.ferry.apiserver.discovery;

import dev.ferry.api.Json;
import dev.ferry.apiserver.resource.ResourceType;
import dev.ferry.apiserver.resource.ResourceTypes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The discovery documents for a set of served resources, in upstream's shapes:
 * <ul>
 *   <li>legacy: {@code /api} (APIVersions), {@code /apis} (APIGroupList), {@code /apis/<group>} (APIGroup),
 *       {@code /api/v1} and {@code /apis/<group>/<version>} (APIResourceList, subresources as "pods/log");</li>
 *   <li>aggregated ({@code apidiscovery.k8s.io/v2}, or {@code v2beta1} for older clients): APIGroupDiscoveryList
 *       for {@code /api} (one item named "") and {@code /apis};</li>
 *   <li>{@code /version}.</li>
 * </ul>
 * Documents are built once; every accessor returns a fresh copy, so callers may mutate what they get.
 * Serve aggregated documents with {@link AggregatedDiscovery#contentType}.
 */
public final class Discovery {
    /** Verbs of a main resource; all served resources support the full set. */
    private static final List<String> VERBS = ResourceType.VERBS;
    /** Verbs of a create-only resource (core/v1 bindings). */
    private static final List<String> CREATE_ONLY_VERBS = List.of("create");

    private final ResourceTypes types;
    private final ObjectNode version;
    private final ObjectNode apiGroupList;
    private final Map<String, ObjectNode> apiGroups = new LinkedHashMap<>();
    private final Map<String, ObjectNode> resourceLists = new LinkedHashMap<>();
    private final Map<String, ObjectNode> aggregatedApi = new LinkedHashMap<>();
    private final Map<String, ObjectNode> aggregatedApis = new LinkedHashMap<>();

    public Discovery(ResourceTypes types, VersionInfo versionInfo) {
        this.types = types;
        this.version = versionInfo.toJson();
        for (String gv : types.groupVersions()) {
            resourceLists.put(gv, buildResourceList(gv));
        }
        this.apiGroupList = buildApiGroupList();
        for (String version : AggregatedDiscovery.VERSIONS) {
            aggregatedApi.put(version, buildAggregated(version, true));
            aggregatedApis.put(version, buildAggregated(version, false));
        }
    }

    /** {@code GET /version}. */
    public ObjectNode version() {
        return version.deepCopy();
    }

    /**
     * {@code GET /api} (legacy). {@code serverAddress} ("host:port") is what clients should use to reach this
     * server; upstream answers the advertise address for the catch-all CIDR.
     */
    public ObjectNode apiVersions(String serverAddress) {
        ObjectNode out = Json.object();
        out.put("kind", "APIVersions");
        ArrayNode versions = out.putArray("versions");
        types.groupVersions().stream().filter(gv -> !gv.contains("/")).forEach(versions::add);
        ObjectNode cidr = out.putArray("serverAddressByClientCIDRs").addObject();
        cidr.put("clientCIDR", "0.0.0.0/0");
        cidr.put("serverAddress", serverAddress);
        return out;
    }

    /** {@code GET /apis} (legacy): every named group; always present, possibly with no groups. */
    public ObjectNode apiGroupList() {
        return apiGroupList.deepCopy();
    }

    /** {@code GET /apis/<group>}; empty for an unknown group. */
    public Optional<ObjectNode> apiGroup(String group) {
        return Optional.ofNullable(apiGroups.get(group)).map(ObjectNode::deepCopy);
    }

    /** {@code GET /api/v1} ("v1") or {@code GET /apis/apps/v1} ("apps/v1"); empty for an unknown group-version. */
    public Optional<ObjectNode> apiResourceList(String groupVersion) {
        return Optional.ofNullable(resourceLists.get(groupVersion)).map(ObjectNode::deepCopy);
    }

    /**
     * {@code GET /api} with an aggregated Accept: the core group as one item named "".
     *
     * @param version "v2" or "v2beta1", as chosen by {@link AggregatedDiscovery#negotiate}
     */
    public ObjectNode aggregatedApi(String version) {
        return aggregated(aggregatedApi, version);
    }

    /** {@code GET /apis} with an aggregated Accept: every named group. */
    public ObjectNode aggregatedApis(String version) {
        return aggregated(aggregatedApis, version);
    }

    private static ObjectNode aggregated(Map<String, ObjectNode> byVersion, String version) {
        ObjectNode doc = byVersion.get(version);
        if (doc == null) {
            throw new IllegalArgumentException("unsupported aggregated discovery version " + version);
        }
        return doc.deepCopy();
    }

    /** Named groups in discovery order, each with its versions in order (the first is preferred). */
    private Map<String, List<String>> namedGroups() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (ResourceType t : types.all()) {
            if (!t.group().isEmpty()) {
                List<String> versions = groups.computeIfAbsent(t.group(), g -> new ArrayList<>());
                if (!versions.contains(t.version())) {
                    versions.add(t.version());
                }
            }
        }
        return groups;
    }

    private ObjectNode buildApiGroupList() {
        ObjectNode out = Json.object();
        out.put("kind", "APIGroupList");
        out.put("apiVersion", "v1");
        ArrayNode groups = out.putArray("groups");
        namedGroups().forEach((group, versions) -> {
            ObjectNode g = groups.addObject();
            writeGroup(g, group, versions);
            ObjectNode standalone = Json.object();
            standalone.put("kind", "APIGroup");
            standalone.put("apiVersion", "v1");
            writeGroup(standalone, group, versions);
            apiGroups.put(group, standalone);
        });
        return out;
    }

    private static void writeGroup(ObjectNode out, String group, List<String> versions) {
        out.put("name", group);
        ArrayNode vs = out.putArray("versions");
        for (String v : versions) {
            ObjectNode gv = vs.addObject();
            gv.put("groupVersion", group + "/" + v);
            gv.put("version", v);
        }
        ObjectNode preferred = out.putObject("preferredVersion");
        preferred.put("groupVersion", group + "/" + versions.get(0));
        preferred.put("version", versions.get(0));
    }

    private ObjectNode buildResourceList(String groupVersion) {
        ObjectNode out = Json.object();
        out.put("kind", "APIResourceList");
        out.put("apiVersion", "v1");
        out.put("groupVersion", groupVersion);
        ArrayNode resources = out.putArray("resources");
        for (ResourceType t : types.createOnly()) {
            if (t.groupVersion().equals(groupVersion)) {
                ObjectNode r = resources.addObject();
                r.put("name", t.plural());
                r.put("singularName", t.singular());
                r.put("namespaced", t.namespaced());
                r.put("kind", t.kind());
                addAll(r.putArray("verbs"), CREATE_ONLY_VERBS);
            }
        }
        for (ResourceType t : types.all()) {
            if (!t.groupVersion().equals(groupVersion)) {
                continue;
            }
            ObjectNode r = resources.addObject();
            r.put("name", t.plural());
            r.put("singularName", t.singular());
            r.put("namespaced", t.namespaced());
            r.put("kind", t.kind());
            addAll(r.putArray("verbs"), VERBS);
            if (!t.shortNames().isEmpty()) {
                addAll(r.putArray("shortNames"), t.shortNames());
            }
            if (!t.categories().isEmpty()) {
                addAll(r.putArray("categories"), t.categories());
            }
            r.put("storageVersionHash", storageVersionHash(t.group(), t.version(), t.kind()));
            for (String name : t.subresources()) {
                Subresource sub = Subresource.of(t, name);
                ObjectNode s = resources.addObject();
                s.put("name", t.plural() + "/" + name);
                s.put("singularName", "");
                s.put("namespaced", t.namespaced());
                if (!sub.group().equals(t.group()) || !sub.version().equals(t.version())) {
                    s.put("group", sub.group());
                    s.put("version", sub.version());
                }
                s.put("kind", sub.kind());
                addAll(s.putArray("verbs"), sub.verbs());
            }
        }
        return out;
    }

    private ObjectNode buildAggregated(String version, boolean core) {
        ObjectNode out = Json.object();
        out.put("kind", "APIGroupDiscoveryList");
        out.put("apiVersion", AggregatedDiscovery.GROUP + "/" + version);
        out.putObject("metadata");
        ArrayNode items = out.putArray("items");
        Map<String, List<String>> groups = new LinkedHashMap<>();
        if (core) {
            List<String> coreVersions = types.groupVersions().stream().filter(gv -> !gv.contains("/")).toList();
            if (!coreVersions.isEmpty()) {
                groups.put("", coreVersions);
            }
        } else {
            groups.putAll(namedGroups());
        }
        groups.forEach((group, versions) -> {
            ObjectNode item = items.addObject();
            ObjectNode metadata = item.putObject("metadata");
            metadata.put("name", group);
            metadata.putNull("creationTimestamp");
            ArrayNode vs = item.putArray("versions");
            for (String v : versions) {
                ObjectNode vd = vs.addObject();
                vd.put("version", v);
                ArrayNode resources = vd.putArray("resources");
                types.createOnly().stream()
                        .filter(t -> t.group().equals(group) && t.version().equals(v))
                        .forEach(t -> writeAggregatedResource(resources.addObject(), t, CREATE_ONLY_VERBS));
                types.all().stream()
                        .filter(t -> t.group().equals(group) && t.version().equals(v))
                        .forEach(t -> writeAggregatedResource(resources.addObject(), t, VERBS));
                vd.put("freshness", "Current");
            }
        });
        return out;
    }

    private static void writeAggregatedResource(ObjectNode r, ResourceType t, List<String> verbs) {
        r.put("resource", t.plural());
        writeGvk(r.putObject("responseKind"), t.group(), t.version(), t.kind());
        r.put("scope", t.namespaced() ? "Namespaced" : "Cluster");
        r.put("singularResource", t.singular());
        addAll(r.putArray("verbs"), verbs);
        if (!t.shortNames().isEmpty()) {
            addAll(r.putArray("shortNames"), t.shortNames());
        }
        if (!t.categories().isEmpty()) {
            addAll(r.putArray("categories"), t.categories());
        }
        if (!t.subresources().isEmpty()) {
            ArrayNode subs = r.putArray("subresources");
            for (String name : t.subresources()) {
                Subresource sub = Subresource.of(t, name);
                ObjectNode s = subs.addObject();
                s.put("subresource", name);
                writeGvk(s.putObject("responseKind"), sub.group(), sub.version(), sub.kind());
                addAll(s.putArray("verbs"), sub.verbs());
            }
        }
    }

    private static void writeGvk(ObjectNode out, String group, String version, String kind) {
        out.put("group", group);
        out.put("version", version);
        out.put("kind", kind);
    }

    private static void addAll(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    /**
     * Upstream's {@code discovery.StorageVersionHash}: base64 of the first 8 bytes of SHA-256 over
     * "group/version/kind" of the storage version (e.g. "xPOwRZ+Yhw8=" for "/v1/Pod").
     */
    static String storageVersionHash(String group, String version, String kind) {
        try {
            byte[] sum = MessageDigest.getInstance("SHA-256")
                    .digest((group + "/" + version + "/" + kind).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(Arrays.copyOf(sum, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
