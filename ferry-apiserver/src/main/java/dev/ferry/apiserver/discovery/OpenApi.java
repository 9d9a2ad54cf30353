package dev.ferry.apiserver.discovery;

import dev.ferry.api.Json;
import dev.ferry.apiserver.resource.ResourceType;
import dev.ferry.apiserver.resource.ResourceTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI v3 documents kubectl needs: {@code GET /openapi/v3} (the root listing each group-version with a
 * {@code ?hash=} URL) and {@code GET /openapi/v3/<api/v1|apis/group/version>}.
 *
 * <p>What is served and why:
 * <ul>
 *   <li>Every resource and PATCH-able subresource (status, scale) gets a PATCH operation carrying
 *       {@code x-kubernetes-group-version-kind} and the {@code fieldValidation} query parameter. That is what
 *       kubectl's default {@code --validate=strict} checks before {@code create -f}, {@code apply} (client and
 *       server side) and {@code edit}: with it, kubectl leaves validation to the server.</li>
 *   <li>The PATCH operations deliberately have no {@code requestBody}: kubectl then computes strategic merge
 *       patches from its compiled-in Go types (the upstream merge keys) instead of from these documents.</li>
 *   <li>{@code components.schemas} holds the real schemas of Service and the types it references
 *       ({@code openapi-v3-api-v1-schemas.json}, derived from upstream's generated document), so
 *       {@code kubectl explain service.spec.ports} works. Other kinds have no schema; explain fails for them.</li>
 *   <li>{@code /openapi/v2}: answer 200 with an empty body and {@link #V2_CONTENT_TYPE} (an empty protobuf
 *       Document). kubectl 1.29+ needs nothing from it (a 404 works too), but kubectl 1.27/1.28 validate against
 *       v2 only and fail {@code create -f}/{@code apply} on a 404. Measured with kubectl 1.27, 1.28, 1.32: create,
 *       apply (client-side, with the upstream merge keys), server-side apply, edit and explain all work with the
 *       empty answer. {@code explain --output=plaintext-openapiv2} does not.</li>
 * </ul>
 * The hash is the upper-case hex SHA-512 of the document's serialised bytes ({@link #groupVersionBytes}), as
 * upstream; it changes exactly when the document does. Documents are built once; accessors return copies.
 */
public final class OpenApi {
    /**
     * Content-Type of the empty {@code /openapi/v2} answer. Not the deprecated "spec.v2@v1.0" spelling: kubectl 1.28
     * fails to parse that media type ("mime: unexpected content after media subtype").
     */
    public static final String V2_CONTENT_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private static final String SCHEMAS_RESOURCE = "openapi-v3-api-v1-schemas.json";
    private static final String SCHEMA_PREFIX = "#/components/schemas/";

    private static final String DRY_RUN_DOC = "When present, indicates that modifications should not be persisted. "
            + "An invalid or unrecognized dryRun directive will result in an error response and no further "
            + "processing of the request. Valid values are: - All: all dry run stages will be processed";
    private static final String FIELD_MANAGER_DOC = "fieldManager is a name associated with the actor or entity "
            + "that is making these changes. The value must be less than or 128 characters long, and only contain "
            + "printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint. This field is required "
            + "for apply requests (application/apply-patch) but optional for non-apply patch types (JsonPatch, "
            + "MergePatch, StrategicMergePatch).";
    private static final String FIELD_VALIDATION_DOC = "fieldValidation instructs the server on how to handle "
            + "objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: "
            + "- Ignore: This will ignore any unknown fields that are silently dropped from the object, and will "
            + "ignore all but the last duplicate field that the decoder encounters. This is the default behavior "
            + "prior to v1.23. - Warn: This will send a warning via the standard warning response header for each "
            + "unknown field that is dropped from the object, and for each duplicate field that is encountered. The "
            + "request will still succeed if there are no other errors, and will only persist the last of any "
            + "duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a "
            + "BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields "
            + "are present. The error returned from the server will contain all unknown and duplicate fields "
            + "encountered.";
    private static final String FORCE_DOC = "Force is going to \"force\" Apply requests. It means user will "
            + "re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch "
            + "requests.";

    /** Group-version path ("api/v1", "apis/apps/v1") to its document. */
    private final Map<String, Document> documents = new LinkedHashMap<>();
    private final ObjectNode root;

    private record Document(ObjectNode json, byte[] bytes, String hash) {
    }

    public OpenApi(ResourceTypes types, VersionInfo version) {
        ObjectNode coreSchemas = loadSchemas();
        for (String gv : types.groupVersions()) {
            String path = path(gv);
            ObjectNode schemas = gv.equals("v1") ? coreSchemas : Json.object();
            ObjectNode doc = buildDocument(types, gv, schemas, version);
            byte[] bytes = Json.MAPPER.writeValueAsBytes(doc);
            documents.put(path, new Document(doc, bytes, sha512Hex(bytes)));
        }
        root = Json.object();
        ObjectNode paths = root.putObject("paths");
        documents.forEach((path, doc) ->
                paths.putObject(path).put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + doc.hash()));
    }

    /** {@code GET /openapi/v3}. */
    public ObjectNode root() {
        return root.deepCopy();
    }

    /** {@code GET /openapi/v3/<path>} for a path listed in the root ("api/v1", "apis/apps/v1"); else empty. */
    public Optional<ObjectNode> groupVersionDoc(String path) {
        return Optional.ofNullable(documents.get(path)).map(d -> d.json().deepCopy());
    }

    /** The exact bytes the hash covers; serve these (with ETag = the hash) rather than re-serialising. */
    public Optional<byte[]> groupVersionBytes(String path) {
        return Optional.ofNullable(documents.get(path)).map(d -> d.bytes().clone());
    }

    /** The document's hash, as in the root's {@code serverRelativeURL}. */
    public Optional<String> hash(String path) {
        return Optional.ofNullable(documents.get(path)).map(Document::hash);
    }

    /** "v1" → "api/v1"; "apps/v1" → "apis/apps/v1". */
    static String path(String groupVersion) {
        return groupVersion.contains("/") ? "apis/" + groupVersion : "api/" + groupVersion;
    }

    private static ObjectNode buildDocument(ResourceTypes types, String gv, ObjectNode schemas, VersionInfo version) {
        ObjectNode doc = Json.object();
        doc.put("openapi", "3.0.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Kubernetes");
        info.put("version", version.gitVersion());
        ObjectNode paths = doc.putObject("paths");
        for (ResourceType t : types.all()) {
            if (!t.groupVersion().equals(gv)) {
                continue;
            }
            String prefix = "/" + path(gv) + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural() + "/{name}";
            addPatch(paths, prefix, t, null, schemas);
            for (String name : t.subresources()) {
                Subresource sub = Subresource.of(t, name);
                if (sub.hasVerb("patch")) {
                    addPatch(paths, prefix + "/" + name, t, sub, schemas);
                }
            }
        }
        doc.putObject("components").set("schemas", schemas);
        return doc;
    }

    private static void addPatch(ObjectNode paths, String path, ResourceType t, Subresource sub, ObjectNode schemas) {
        String group = sub == null ? t.group() : sub.group();
        String version = sub == null ? t.version() : sub.version();
        String kind = sub == null ? t.kind() : sub.kind();
        ObjectNode item = paths.putObject(path);
        ArrayNode pathParams = item.putArray("parameters");
        pathParam(pathParams.addObject(), "name", "name of the " + kind);
        if (t.namespaced()) {
            pathParam(pathParams.addObject(), "namespace", "object name and auth scope, such as for teams and projects");
        }

        ObjectNode op = item.putObject("patch");
        op.putArray("tags").add(tag(t));
        op.put("description", sub == null
                ? "partially update the specified " + t.kind()
                : "partially update " + sub.name() + " of the specified " + t.kind());
        op.put("operationId", "patch" + operationGroup(t) + capitalize(t.version())
                + (t.namespaced() ? "Namespaced" : "") + t.kind() + (sub == null ? "" : capitalize(sub.name())));
        ArrayNode params = op.putArray("parameters");
        queryParam(params.addObject(), "dryRun", DRY_RUN_DOC, "string");
        queryParam(params.addObject(), "fieldManager", FIELD_MANAGER_DOC, "string");
        queryParam(params.addObject(), "fieldValidation", FIELD_VALIDATION_DOC, "string");
        queryParam(params.addObject(), "force", FORCE_DOC, "boolean");
        ObjectNode responses = op.putObject("responses");
        String schemaName = schemaName(schemas, group, version, kind);
        response(responses.putObject("200"), "OK", schemaName);
        response(responses.putObject("201"), "Created", schemaName);
        responses.putObject("401").put("description", "Unauthorized");
        op.put("x-kubernetes-action", "patch");
        ObjectNode gvk = op.putObject("x-kubernetes-group-version-kind");
        gvk.put("group", group);
        gvk.put("version", version);
        gvk.put("kind", kind);
    }

    private static void pathParam(ObjectNode p, String name, String description) {
        p.put("name", name);
        p.put("in", "path");
        p.put("description", description);
        p.put("required", true);
        ObjectNode schema = p.putObject("schema");
        schema.put("type", "string");
        schema.put("uniqueItems", true);
    }

    private static void queryParam(ObjectNode p, String name, String description, String type) {
        p.put("name", name);
        p.put("in", "query");
        p.put("description", description);
        ObjectNode schema = p.putObject("schema");
        schema.put("type", type);
        schema.put("uniqueItems", true);
    }

    private static void response(ObjectNode r, String description, String schemaName) {
        r.put("description", description);
        if (schemaName != null) {
            r.putObject("content").putObject("application/json").putObject("schema")
                    .put("$ref", SCHEMA_PREFIX + schemaName);
        }
    }

    /** The name of the component schema whose x-kubernetes-group-version-kind lists the kind, or null. */
    private static String schemaName(ObjectNode schemas, String group, String version, String kind) {
        for (Map.Entry<String, JsonNode> e : schemas.properties()) {
            for (JsonNode gvk : e.getValue().path("x-kubernetes-group-version-kind").values()) {
                if (gvk.path("group").asString("").equals(group) && gvk.path("version").asString("").equals(version)
                        && gvk.path("kind").asString("").equals(kind)) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    /** Upstream's tag: "core_v1", "apps_v1", "discovery_v1". */
    private static String tag(ResourceType t) {
        String group = t.group().isEmpty() ? "core" : t.group().replace(".k8s.io", "").replace('.', '_');
        return group + "_" + t.version();
    }

    /** Upstream's operation id group part: "Core", "Apps", "Discovery", "RbacAuthorization". */
    private static String operationGroup(ResourceType t) {
        if (t.group().isEmpty()) {
            return "Core";
        }
        StringBuilder sb = new StringBuilder();
        for (String part : t.group().replace(".k8s.io", "").split("\\.")) {
            sb.append(capitalize(part));
        }
        return sb.toString();
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    private static ObjectNode loadSchemas() {
        try (InputStream in = OpenApi.class.getResourceAsStream(SCHEMAS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + SCHEMAS_RESOURCE);
            }
            return (ObjectNode) Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha512Hex(byte[] bytes) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is a required JDK algorithm", e);
        }
    }
}
