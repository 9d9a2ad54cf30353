package dev.ferry.apiserver.http;

import dev.ferry.api.Json;
import dev.ferry.api.selector.FieldSelector;
import dev.ferry.api.selector.LabelSelector;
import dev.ferry.api.selector.SelectorException;
import dev.ferry.apiserver.ApiException;
import dev.ferry.apiserver.pod.LogRequest;
import dev.ferry.apiserver.resource.ResourceType;
import dev.ferry.apiserver.storage.CacheEvent;
import dev.ferry.apiserver.storage.DeleteOptions;
import dev.ferry.apiserver.storage.Fields;
import dev.ferry.apiserver.storage.Meta;
import dev.ferry.apiserver.storage.Registry;
import dev.ferry.apiserver.storage.WatchFilter;
import dev.ferry.apiserver.storage.Watcher;
import dev.ferry.apiserver.storage.WriteOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The REST verbs on resource paths: get, list, watch, create, update, patch, delete, deletecollection, subresources. */
public final class ResourceHandler implements AutoCloseable {
    static final String TABLE_CONTENT_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io";
    static final String JSON = "application/json";
    private static final int WATCH_QUEUE = 1024;
    private static final String BODY_TYPES =
            "application/json, application/yaml, application/vnd.kubernetes.protobuf";
    private static final String APPLY = "application/apply-patch+yaml";

    private final Registry registry;
    private final Plugins.TableRenderer tables;
    private final Plugins.Patcher patcher;
    private final Plugins.FieldChecker fields;
    private final Plugins.ProtobufDecoder protobuf;
    private final Clock clock;
    private final int maxWatchers;
    private final AtomicInteger watchers = new AtomicInteger();
    private final PodSubresources pods;

    public ResourceHandler(Registry registry, Plugins.TableRenderer tables, Plugins.Patcher patcher,
            Plugins.FieldChecker fields, Plugins.ProtobufDecoder protobuf, Clock clock, int maxWatchers) {
        this.registry = registry;
        this.tables = tables;
        this.patcher = patcher;
        this.fields = fields;
        this.protobuf = protobuf;
        this.clock = clock;
        this.maxWatchers = maxWatchers;
        this.pods = new PodSubresources(registry, clock);
    }

    public Reply handle(ApiRequest req, RequestInfo info) {
        if (info.group().isEmpty() && info.version().equals("v1") && info.resource().equals("bindings")
                && info.underNamespace()) {
            return legacyBinding(req, info);
        }
        ResourceType t = registry.types().find(info.group(), info.version(), info.resource())
                .orElseThrow(() -> ApiException.notFound("the server could not find the requested resource"));
        if (!t.namespaced() && info.underNamespace()) {
            throw ApiException.notFound("the server could not find the requested resource");
        }
        String ns = t.namespaced() ? info.namespace() : "";
        String name = info.name();
        String sub = info.subresource();
        if (!sub.isEmpty() && !t.hasSubresource(sub)) {
            throw ApiException.notFound("the server could not find the requested resource");
        }
        if (t.namespaced() && ns.isEmpty() && !(req.method().equals("GET") && name.isEmpty())) {
            throw ApiException.notFound("the server could not find the requested resource");
        }
        if (sub.equals("log") && req.method().equals("GET")) {
            // a text stream: the client's Accept (often text/plain) is not negotiated like an object's
            return pods.logs(ns, name, LogRequest.parse(req::param));
        }
        Format format = Format.negotiate(req.accept(), tables != null);
        return switch (req.method()) {
            case "POST" -> {
                if (sub.equals("binding")) {
                    yield json(201, pods.bind(ns, name, decodeBody(req), writeOptions(req)));
                }
                if (!name.isEmpty()) {
                    throw ApiException.methodNotAllowed("the server does not allow this method on the requested "
                            + "resource");
                }
                ObjectNode obj = decodeBody(req);
                List<String> warnings = checkFields(req, t, obj);
                yield encode(201, t, registry.create(t, ns, obj, writeOptions(req)), format).withWarnings(warnings);
            }
            case "GET" -> {
                if (sub.equals("binding")) {
                    throw ApiException.methodNotAllowed("the server does not allow this method on the requested "
                            + "resource");
                }
                yield name.isEmpty() ? listOrWatch(req, t, ns, format) : get(t, ns, name, sub, format);
            }
            case "PUT", "PATCH" -> {
                if (sub.equals("binding") || sub.equals("log")) {
                    throw ApiException.methodNotAllowed("the server does not allow this method on the requested "
                            + "resource");
                }
                yield req.method().equals("PUT") ? update(req, t, ns, requireName(name), sub, format)
                        : patch(req, t, ns, requireName(name), sub, format);
            }
            case "DELETE" -> {
                if (!sub.isEmpty()) {
                    throw methodNotAllowed();
                }
                yield name.isEmpty() ? deleteCollection(req, t, ns, format)
                        : encode(200, t, registry.delete(t, ns, name, deleteOptions(req)), format);
            }
            default -> throw ApiException.methodNotAllowed("the server does not allow this method on the requested "
                    + "resource");
        };
    }

    /** {@code POST /api/v1/namespaces/{ns}/bindings}: the Binding's name picks the pod. */
    private Reply legacyBinding(ApiRequest req, RequestInfo info) {
        if (!info.name().isEmpty() || !info.subresource().isEmpty()) {
            throw ApiException.notFound("the server could not find the requested resource");
        }
        if (!req.method().equals("POST")) {
            throw methodNotAllowed();
        }
        return json(201, pods.bind(info.namespace(), null, decodeBody(req), writeOptions(req)));
    }

    private static ApiException methodNotAllowed() {
        return ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
    }

    // ---- reads ----

    private Reply get(ResourceType t, String ns, String name, String sub, Format format) {
        ObjectNode obj = registry.get(t, ns, name);
        if (sub.equals("scale")) {
            return json(200, Scales.toScale(obj));
        }
        return encode(200, t, obj, format);
    }

    private Reply listOrWatch(ApiRequest req, ResourceType t, String ns, Format format) {
        WatchFilter filter = filter(req, t, ns);
        if (req.flag("watch")) {
            return watch(req, t, filter, format);
        }
        int limit = parseInt(req.param("limit"), "limit");
        Registry.ListResult page = registry.list(t, filter,
                new Registry.ListOptions(req.param("resourceVersion"), limit, req.param("continue")));
        if (format == Format.TABLE) {
            ObjectNode table = tables.render(t, page.items(), req.param("includeObject", "Metadata"), true,
                    Long.toString(page.revision()), page.continueToken(), clock.instant());
            return new Reply.Body(200, TABLE_CONTENT_TYPE, Json.MAPPER.writeValueAsBytes(table));
        }
        ObjectNode list = Json.object();
        list.put("kind", t.kind() + "List");
        list.put("apiVersion", t.groupVersion());
        ObjectNode meta = list.putObject("metadata");
        meta.put("resourceVersion", Long.toString(page.revision()));
        if (!page.continueToken().isEmpty()) {
            meta.put("continue", page.continueToken());
        }
        ArrayNode items = list.putArray("items");
        page.items().forEach(items::add);
        return format.body(200, list);
    }

    private Reply watch(ApiRequest req, ResourceType t, WatchFilter filter, Format format) {
        // Parse everything that can fail before taking a watcher slot: the slot is only given back by the stream.
        int timeoutSeconds = parseInt(req.param("timeoutSeconds"), "timeoutSeconds");
        if (watchers.incrementAndGet() > maxWatchers) {
            watchers.decrementAndGet();
            throw ApiException.tooManyRequests("too many watches open (" + maxWatchers + "); try again later", 1);
        }
        Watcher w;
        try {
            w = registry.watch(t, filter, req.param("resourceVersion"), WATCH_QUEUE);
        } catch (ApiException e) {
            watchers.decrementAndGet();
            if (e.code() == 410) {
                return new Reply.Body(200, JSON, (watchFrame("ERROR", e.toStatus()) + "\n").getBytes());
            }
            throw e;
        }
        Duration timeout = timeoutSeconds > 0 ? Duration.ofSeconds(timeoutSeconds)
                : Duration.ofMinutes(30 + ThreadLocalRandom.current().nextInt(30));
        Duration bookmarks = req.flag("allowWatchBookmarks") ? Duration.ofSeconds(10) : null;
        String includeObject = req.param("includeObject", "Metadata");
        Reply.WatchEncoder encoder = new Reply.WatchEncoder() {
            private boolean first = true;

            @Override
            public byte[] event(CacheEvent ev) {
                ObjectNode cached = ev.obj();
                JsonNode obj = Registry.hasTypeMeta(t, cached) ? cached : Registry.withTypeMeta(t, cached.deepCopy());
                if (format == Format.TABLE) {
                    obj = tables.render(t, List.of((ObjectNode) obj), includeObject, first, Meta.resourceVersion(obj),
                            "", clock.instant());
                }
                first = false;
                return watchFrame(ev.type().name(), obj).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }

            @Override
            public byte[] bookmark(long revision) {
                ObjectNode obj = Json.object();
                obj.put("kind", t.kind());
                obj.put("apiVersion", t.groupVersion());
                obj.putObject("metadata").put("resourceVersion", Long.toString(revision));
                return watchFrame("BOOKMARK", obj).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }

            @Override
            public byte[] expired(long revision) {
                ApiException e = ApiException.expired("too old resource version: " + revision);
                return watchFrame("ERROR", e.toStatus()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
        };
        String contentType = format == Format.TABLE ? TABLE_CONTENT_TYPE : JSON;
        return new Reply.Stream(contentType, w, encoder, timeout, bookmarks, watchers::decrementAndGet);
    }

    static String watchFrame(String type, JsonNode obj) {
        ObjectNode frame = Json.object();
        frame.put("type", type);
        frame.set("object", obj);
        return frame.toString();
    }

    // ---- writes ----

    private Reply update(ApiRequest req, ResourceType t, String ns, String name, String sub, Format format) {
        ObjectNode obj = decodeBody(req);
        List<String> warnings = sub.equals("scale") ? List.of() : checkFields(req, t, obj);
        if (sub.equals("scale")) {
            return json(200, Scales.toScale(registry.patch(t, ns, name, cur -> Scales.applyScale(cur, obj, true), "",
                    writeOptions(req))));
        }
        return encode(200, t, registry.update(t, ns, name, obj, sub, writeOptions(req)), format).withWarnings(warnings);
    }

    private Reply patch(ApiRequest req, ResourceType t, String ns, String name, String sub, Format format) {
        String media = req.mediaType();
        String manager = req.param("fieldManager", "");
        Boolean force = req.param("force") == null ? null : req.flag("force");
        WriteOptions untracked = new WriteOptions(dryRun(req), "");
        List<String> warnings = media.equals(APPLY) && !sub.equals("scale")
                ? checkFields(req, t, parseObject(req.body(), true)) : List.of();
        if (sub.equals("scale")) {
            return json(200, Scales.toScale(registry.patch(t, ns, name, cur -> {
                ObjectNode scale = patcher.patch(Scales.SCALE_TYPE, Scales.toScale(cur), media, req.body(), manager,
                        force, "", clock.instant());
                return Scales.applyScale(cur, scale, false);
            }, "", untracked)));
        }
        if (media.equals(APPLY) && sub.isEmpty() && registry.find(t, ns, name).isEmpty()) {
            ObjectNode created = patcher.patch(t, null, media, req.body(), manager, force, sub, clock.instant());
            ObjectNode meta = Meta.metadata(created);
            if (!Meta.name(created).isEmpty() && !Meta.name(created).equals(name)) {
                throw ApiException.badRequest("the name of the object (" + Meta.name(created)
                        + ") does not match the name on the URL (" + name + ")");
            }
            meta.put("name", name);
            try {
                return encode(201, t, registry.create(t, ns, created, untracked), format).withWarnings(warnings);
            } catch (ApiException e) {
                if (e.code() != 409 || !e.reason().equals("AlreadyExists")) {
                    throw e;
                }
            }
        }
        return encode(200, t, registry.patch(t, ns, name,
                cur -> patcher.patch(t, cur, media, req.body(), manager, force, sub, clock.instant()), sub,
                untracked), format).withWarnings(warnings);
    }

    private Reply deleteCollection(ApiRequest req, ResourceType t, String ns, Format format) {
        WatchFilter filter = filter(req, t, ns);
        DeleteOptions opts = deleteOptions(req);
        List<ObjectNode> deleted = new ArrayList<>();
        for (ObjectNode obj : registry.list(t, filter, new Registry.ListOptions("", 0, null)).items()) {
            try {
                deleted.add(registry.delete(t, Meta.namespace(obj), Meta.name(obj), opts));
            } catch (ApiException e) {
                if (e.code() != 404) {
                    throw e;
                }
            }
        }
        ObjectNode list = Json.object();
        list.put("kind", t.kind() + "List");
        list.put("apiVersion", t.groupVersion());
        list.putObject("metadata");
        ArrayNode items = list.putArray("items");
        deleted.forEach(items::add);
        return format.body(200, list);
    }

    // ---- request parsing ----

    private static String contentType(ApiRequest req) {
        return req.contentType() == null ? "" : req.contentType();
    }

    private static String requireName(String name) {
        if (name.isEmpty()) {
            throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        return name;
    }

    private WatchFilter filter(ApiRequest req, ResourceType t, String ns) {
        try {
            LabelSelector labels = LabelSelector.parse(req.param("labelSelector"));
            FieldSelector fields = FieldSelector.parse(req.param("fieldSelector"));
            Fields.check(t.kind(), fields);
            return new WatchFilter(t.kind(), ns, labels, fields);
        } catch (SelectorException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /**
     * {@code fieldValidation}: Strict rejects fields the kind does not declare with upstream's strict-decoding 400;
     * Warn (the default) accepts them and returns one warning each; Ignore accepts them silently. Either way the
     * registry drops them before storing.
     */
    private List<String> checkFields(ApiRequest req, ResourceType t, ObjectNode obj) {
        String mode = req.param("fieldValidation", "");
        if (!mode.isEmpty() && !mode.equals("Strict") && !mode.equals("Warn") && !mode.equals("Ignore")) {
            throw ApiException.badRequest("fieldValidation: Unsupported value: \"" + mode
                    + "\": supported values: \"Ignore\", \"Warn\", \"Strict\"");
        }
        if (mode.equals("Ignore")) {
            return List.of();
        }
        List<String> unknown = fields.unknownFields(t, obj).stream().map(f -> "unknown field \"" + f + "\"").toList();
        if (mode.equals("Strict") && !unknown.isEmpty()) {
            throw ApiException.badRequest(t.kind() + " in version \"" + t.version() + "\" cannot be handled as a "
                    + t.kind() + ": strict decoding error: " + String.join(", ", unknown));
        }
        return unknown;
    }

    private ObjectNode decodeBody(ApiRequest req) {
        String media = req.mediaType();
        if (media.equals("application/vnd.kubernetes.protobuf")) {
            return protobuf.decode(req.body());
        }
        if (media.isEmpty() || media.equals("application/json") || media.equals("*/*")) {
            return parseObject(req.body(), false);
        }
        if (media.equals("application/yaml") || media.equals("application/x-yaml") || media.equals("text/yaml")) {
            return parseObject(req.body(), true);
        }
        throw ApiException.unsupportedMediaType(contentType(req), BODY_TYPES);
    }

    /** Parses a JSON (or YAML) object body; anything else is a 400 with the parser's explanation. */
    static ObjectNode parseObject(byte[] body, boolean yaml) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("the request body is empty; expected a JSON object");
        }
        JsonNode node;
        try {
            node = yaml ? Json.YAML.readTree(body) : Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest("couldn't get version/kind; json parse error: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode obj)) {
            throw ApiException.badRequest("couldn't get version/kind; json parse error: expected a JSON object, got "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        JsonNode meta = obj.get("metadata");
        if (meta != null && !meta.isObject() && !meta.isNull()) {
            throw ApiException.badRequest("metadata must be an object");
        }
        return obj;
    }

    private static WriteOptions writeOptions(ApiRequest req) {
        return new WriteOptions(dryRun(req), req.param("fieldManager", ""));
    }

    private static boolean dryRun(ApiRequest req) {
        String v = req.param("dryRun");
        if (v == null || v.isEmpty()) {
            return false;
        }
        if (!v.equals("All")) {
            throw ApiException.badRequest("dryRun: Unsupported value: \"" + v + "\": supported values: \"All\"");
        }
        return true;
    }

    private DeleteOptions deleteOptions(ApiRequest req) {
        Long grace = req.param("gracePeriodSeconds") == null ? null
                : (long) parseInt(req.param("gracePeriodSeconds"), "gracePeriodSeconds");
        String policy = req.param("propagationPolicy");
        String uid = null;
        String rv = null;
        if (req.body() != null && req.body().length > 0) {
            ObjectNode body = parseObject(req.body(), false);
            if (body.hasNonNull("gracePeriodSeconds")) {
                JsonNode g = body.get("gracePeriodSeconds");
                if (!g.isIntegralNumber() || !g.canConvertToLong()) {
                    throw deleteOptionsError(g, "gracePeriodSeconds", "int64");
                }
                grace = g.asLong();
            }
            if (body.hasNonNull("propagationPolicy")) {
                policy = deleteOptionsString(body, "propagationPolicy", "propagationPolicy");
            }
            JsonNode orphan = body.get("orphanDependents");
            if (orphan != null && !orphan.isNull() && !orphan.isBoolean()) {
                throw deleteOptionsError(orphan, "orphanDependents", "bool");
            }
            if (body.path("orphanDependents").asBoolean(false) && policy == null) {
                policy = "Orphan";
            }
            JsonNode pre = body.path("preconditions");
            if (!pre.isMissingNode() && !pre.isNull() && !pre.isObject()) {
                throw deleteOptionsError(pre, "preconditions", "v1.Preconditions");
            }
            uid = deleteOptionsString(pre, "uid", "preconditions.uid");
            rv = deleteOptionsString(pre, "resourceVersion", "preconditions.resourceVersion");
            JsonNode dry = body.get("dryRun");
            if (dry != null && dry.isArray() && !dry.isEmpty()) {
                return new DeleteOptions(true, grace, checkPolicy(policy), uid, rv);
            }
        }
        if (grace != null && grace < 0) {
            grace = 0L;
        }
        return new DeleteOptions(dryRun(req), grace, checkPolicy(policy), uid, rv);
    }

    /** A string field of a DeleteOptions body; null when absent. */
    private static String deleteOptionsString(JsonNode parent, String field, String path) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw deleteOptionsError(v, path, "string");
        }
        return v.asString();
    }

    private static ApiException deleteOptionsError(JsonNode v, String path, String goType) {
        String got = v.isString() ? "string" : v.isNumber() ? "number" : v.isBoolean() ? "bool"
                : v.isArray() ? "array" : "object";
        return ApiException.badRequest("DeleteOptions in version \"v1\" cannot be handled as a DeleteOptions: json: "
                + "cannot unmarshal " + got + " into Go struct field DeleteOptions." + path + " of type " + goType);
    }

    private static String checkPolicy(String policy) {
        if (policy != null && !policy.matches("Orphan|Background|Foreground")) {
            throw ApiException.badRequest("DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported "
                    + "value: \"" + policy + "\": supported values: \"Foreground\", \"Background\", \"Orphan\", nil");
        }
        return policy;
    }

    private static int parseInt(String v, String name) {
        if (v == null || v.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(v));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid " + name + ": " + v);
        }
    }

    // ---- responses ----

    private Reply.Body encode(int status, ResourceType t, ObjectNode obj, Format format) {
        Registry.withTypeMeta(t, obj);
        if (format == Format.TABLE) {
            ObjectNode table = tables.render(t, List.of(obj), "Metadata", true, Meta.resourceVersion(obj), "",
                    clock.instant());
            return new Reply.Body(status, TABLE_CONTENT_TYPE, Json.MAPPER.writeValueAsBytes(table));
        }
        return format.body(status, obj);
    }

    /** Releases the connections to node agents (open log streams end). */
    @Override
    public void close() {
        pods.close();
    }

    private static Reply json(int status, ObjectNode obj) {
        return Format.JSON.body(status, obj);
    }

    /** What the client can read. Protobuf is never produced: clients that ask for it also accept JSON. */
    enum Format {
        JSON, YAML, TABLE;

        static Format negotiate(String accept, boolean tablesAvailable) {
            if (accept == null || accept.isBlank()) {
                return JSON;
            }
            for (String part : accept.split(",")) {
                String p = part.trim().toLowerCase(java.util.Locale.ROOT);
                if (p.contains("as=table") && tablesAvailable) {
                    return TABLE;
                }
                if (p.startsWith("application/json") && !p.contains("as=")) {
                    return JSON;
                }
                if (p.startsWith("application/yaml")) {
                    return YAML;
                }
                if (p.startsWith("*/*") || p.startsWith("application/*")) {
                    return JSON;
                }
            }
            if (accept.toLowerCase(java.util.Locale.ROOT).contains("protobuf")) {
                return JSON;
            }
            throw ApiException.notAcceptable("only the following media types are accepted: application/json, "
                    + "application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io");
        }

        Reply.Body body(int status, ObjectNode obj) {
            if (this == YAML) {
                return new Reply.Body(status, "application/yaml", Json.YAML.writeValueAsBytes(obj));
            }
            return new Reply.Body(status, ResourceHandler.JSON, Json.MAPPER.writeValueAsBytes(obj));
        }
    }
}
