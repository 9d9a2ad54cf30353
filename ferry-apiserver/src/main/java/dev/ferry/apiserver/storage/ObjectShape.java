package dev.ferry.apiserver.storage;

import dev.ferry.apiserver.ApiException;
import dev.ferry.apiserver.resource.ResourceType;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON types of {@code apiVersion}, {@code kind} and the well-known {@code metadata} fields, checked before an
 * object is written. Upstream decodes bodies into typed structs, so a number where a string belongs is a 400 decode
 * error; without this check such a value would be stored and break every typed client's list and watch. Errors carry
 * upstream's text: {@code <Kind> in version "<v>" cannot be handled as a <Kind>: json: cannot unmarshal ...}.
 */
final class ObjectShape {
    private static final Set<String> STRING_FIELDS =
            Set.of("name", "generateName", "namespace", "selfLink", "uid", "resourceVersion");
    private static final Set<String> INT_FIELDS = Set.of("generation", "deletionGracePeriodSeconds");

    private ObjectShape() {
    }

    /** Throws 400 BadRequest when a well-known field has the wrong JSON type; null values are always accepted. */
    static void check(ResourceType t, ObjectNode obj) {
        for (String f : new String[] {"apiVersion", "kind"}) {
            JsonNode v = obj.get(f);
            if (v != null && !v.isNull() && !v.isString()) {
                throw ApiException.badRequest("couldn't get version/kind; json parse error: json: cannot unmarshal "
                        + jsonType(v) + " into Go struct field ." + f + " of type string");
            }
        }
        JsonNode meta = obj.get("metadata");
        if (meta == null || meta.isNull()) {
            return;
        }
        if (!meta.isObject()) {
            throw decode(t, obj, jsonType(meta) + " into Go struct field " + t.kind()
                    + ".metadata of type v1.ObjectMeta");
        }
        for (Map.Entry<String, JsonNode> e : meta.properties()) {
            String f = e.getKey();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            String field = "Go struct field ObjectMeta.metadata." + f;
            if (STRING_FIELDS.contains(f) && !v.isString()) {
                throw decode(t, obj, jsonType(v) + " into " + field + " of type string");
            }
            if (INT_FIELDS.contains(f) && !(v.isIntegralNumber() && v.canConvertToLong())) {
                String word = v.isNumber() ? "number " + v.asString() : jsonType(v);
                throw decode(t, obj, word + " into " + field + " of type int64");
            }
            switch (f) {
                case "creationTimestamp", "deletionTimestamp" -> {
                    if (!v.isString()) {
                        throw decode(t, obj, jsonType(v) + " into Go value of type string");
                    }
                }
                case "labels", "annotations" -> {
                    if (!v.isObject()) {
                        throw decode(t, obj, jsonType(v) + " into " + field + " of type map[string]string");
                    }
                    for (JsonNode value : v) {
                        if (!value.isNull() && !value.isString()) {
                            throw decode(t, obj, jsonType(value) + " into " + field + " of type string");
                        }
                    }
                }
                case "finalizers" -> checkArray(t, obj, v, field, "[]string", "string");
                case "ownerReferences" -> checkArray(t, obj, v, field, "[]v1.OwnerReference", "v1.OwnerReference");
                case "managedFields" ->
                        checkArray(t, obj, v, field, "[]v1.ManagedFieldsEntry", "v1.ManagedFieldsEntry");
                default -> {
                }
            }
        }
    }

    private static void checkArray(ResourceType t, ObjectNode obj, JsonNode v, String field, String arrayType,
            String elementType) {
        if (!v.isArray()) {
            throw decode(t, obj, jsonType(v) + " into " + field + " of type " + arrayType);
        }
        boolean strings = elementType.equals("string");
        for (JsonNode e : v) {
            if (!e.isNull() && (strings ? !e.isString() : !e.isObject())) {
                throw decode(t, obj, jsonType(e) + " into " + field + " of type " + elementType);
            }
        }
    }

    private static ApiException decode(ResourceType t, ObjectNode obj, String detail) {
        String kind = Meta.text(obj, "kind");
        String apiVersion = Meta.text(obj, "apiVersion");
        String version = apiVersion.isEmpty() ? t.version() : apiVersion.substring(apiVersion.indexOf('/') + 1);
        return ApiException.badRequest((kind.isEmpty() ? t.kind() : kind) + " in version \"" + version
                + "\" cannot be handled as a " + t.kind() + ": json: cannot unmarshal " + detail);
    }

    /** The JSON type word Go's decoder prints. */
    private static String jsonType(JsonNode v) {
        if (v.isString()) {
            return "string";
        }
        if (v.isNumber()) {
            return "number";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        return v.isArray() ? "array" : "object";
    }
}
