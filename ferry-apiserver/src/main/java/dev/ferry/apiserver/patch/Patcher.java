package dev.ferry.apiserver.patch;

import dev.ferry.api.Json;
import dev.ferry.api.validation.FieldError;
import dev.ferry.apiserver.ApiException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one entry point the HTTP layer calls for {@code PATCH}: picks the flavour from the Content-Type, decodes the
 * body, applies it to the stored object and maintains {@code metadata.managedFields}.
 *
 * <p>Contract with the caller (the registry):
 * <ul>
 *   <li>it loads {@code live} (null when absent) and, for every flavour but apply, answers 404 itself when absent;</li>
 *   <li>it passes {@code fieldManager} as upstream's {@code managerOrUserAgent} computes it (the query parameter, else
 *       the User-Agent's first segment); apply requires the query parameter;</li>
 *   <li>it then treats {@link Result#object()} as the body of an update (or of a create when
 *       {@link Result#created()}): checks name/namespace/uid, runs the strategy and validation, and stores it with
 *       live's resourceVersion as precondition, retrying on a write conflict.</li>
 * </ul>
 * Errors are {@link ApiException}s with upstream's codes: 415 for an unknown patch type (and strategic merge patch on
 * a kind without patch metadata), 400 for a malformed body or directive, 413 for an oversized JSON patch, 422 for a
 * JSON patch that does not apply or invalid patch options, 409 Conflict for apply conflicts.
 */
public final class Patcher {
    private final PatchSchema schema;
    private final ServerSideApply ssa;

    public Patcher(PatchSchema schema) {
        this.schema = schema;
        this.ssa = new ServerSideApply(schema);
    }

    /** A patcher for the kinds Ferry serves. */
    public static Patcher kube() {
        return new Patcher(PatchSchema.kube());
    }

    /** The four patch media types. */
    public enum PatchType {
        JSON_PATCH("application/json-patch+json"),
        MERGE_PATCH("application/merge-patch+json"),
        STRATEGIC_MERGE_PATCH("application/strategic-merge-patch+json"),
        APPLY_PATCH("application/apply-patch+yaml");

        public final String mediaType;

        PatchType(String mediaType) {
            this.mediaType = mediaType;
        }

        /** The type of a Content-Type header (parameters such as charset ignored); 415 for any other. */
        public static PatchType fromContentType(String contentType) {
            String base = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            for (PatchType t : values()) {
                if (t.mediaType.equals(base)) {
                    return t;
                }
            }
            throw ApiException.unsupportedMediaType(contentType == null ? "" : contentType,
                    String.join(", ", java.util.Arrays.stream(values()).map(t -> t.mediaType).toList()));
        }
    }

    /**
     * One PATCH request.
     *
     * @param kind         the kind served at the URL ("Service", "Scale" for /scale)
     * @param apiVersion   the group-version served at the URL ("v1", "apps/v1")
     * @param fieldManager the manager name (see the class comment); required for apply
     * @param force        the {@code force} query parameter, null when absent (only allowed for apply)
     * @param subresource  "status" or "scale" for subresource writes, else null
     * @param now          the time recorded in managedFields
     */
    public record Request(PatchType type, byte[] body, String kind, String apiVersion, String fieldManager,
            Boolean force, String subresource, Instant now) {
    }

    /** The patched object, and whether an apply created it. */
    public record Result(ObjectNode object, boolean created) {
    }

    /** Applies {@code request} to {@code live} (not modified); see the class comment for the contract. */
    public Result patch(ObjectNode live, Request request) {
        validateOptions(request);
        if (request.type() != PatchType.APPLY_PATCH && live == null) {
            throw new IllegalArgumentException("only apply patches may create; the caller answers 404");
        }
        return switch (request.type()) {
            case APPLY_PATCH -> apply(live, request);
            case JSON_PATCH -> updated(live, request, JsonPatch.parse(parseJson(request.body())).apply(live));
            case MERGE_PATCH -> updated(live, request, mergePatch(live, request.body()));
            case STRATEGIC_MERGE_PATCH -> updated(live, request, strategicPatch(live, request));
        };
    }

    /** apimachinery {@code ValidatePatchOptions}: 422 on PatchOptions. */
    private static void validateOptions(Request request) {
        List<FieldError> errors = new ArrayList<>();
        String manager = request.fieldManager();
        if (request.type() == PatchType.APPLY_PATCH) {
            if (manager == null || manager.isEmpty()) {
                errors.add(FieldError.required("fieldManager", "is required for apply patch"));
            }
        } else if (request.force() != null) {
            errors.add(FieldError.forbidden("force", "may not be specified for non-apply patch"));
        }
        if (manager != null && manager.length() > 128) {
            errors.add(FieldError.tooLong("fieldManager", manager, 128));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid("meta.k8s.io", "PatchOptions.meta.k8s.io", "", errors);
        }
    }

    private Result apply(ObjectNode live, Request request) {
        JsonNode body;
        try {
            body = Json.YAML.readTree(request.body());
        } catch (JacksonException e) {
            throw ApiException.badRequest("error decoding YAML: " + firstLine(e));
        }
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("error decoding YAML: the apply patch must be a YAML or JSON object");
        }
        ObjectNode applied = (ObjectNode) body;
        String apiVersion = applied.path("apiVersion").asString("");
        String kind = applied.path("kind").asString("");
        if (!apiVersion.equals(request.apiVersion()) || !kind.equals(request.kind())) {
            throw ApiException.badRequest("invalid object type: " + ServerSideApply.gvkString(apiVersion, kind));
        }
        ObjectNode result = ssa.apply(live, applied, request.fieldManager(), Boolean.TRUE.equals(request.force()),
                request.now());
        return new Result(result, live == null);
    }

    private Result updated(ObjectNode live, Request request, JsonNode patched) {
        if (!(patched instanceof ObjectNode obj)) {
            throw PatchErrors.unprocessable("the patched document is not a JSON object: " + patched);
        }
        ssa.recordUpdate(obj, live, request.fieldManager(), request.apiVersion(), request.subresource(),
                request.now());
        return new Result(obj, false);
    }

    private static JsonNode mergePatch(ObjectNode live, byte[] body) {
        JsonNode patch;
        try {
            patch = Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest("Invalid JSON Patch");
        }
        if (patch == null || patch.isNull() || patch.isValueNode()) {
            throw ApiException.badRequest("Invalid JSON Patch");
        }
        return JsonMergePatch.apply(live, patch);
    }

    private JsonNode strategicPatch(ObjectNode live, Request request) {
        if (!schema.knows(request.kind())) {
            throw ApiException.unsupportedMediaType(request.type().mediaType, "application/json-patch+json, "
                    + "application/merge-patch+json, application/apply-patch+yaml");
        }
        JsonNode patch = parseJson(request.body());
        if (patch == null || patch.isNull()) {
            return live.deepCopy();
        }
        if (!patch.isObject()) {
            throw ApiException.badRequest("json: cannot unmarshal " + (patch.isArray() ? "array" : "value")
                    + " into Go value of type map[string]interface {}");
        }
        return StrategicMergePatch.apply(live, (ObjectNode) patch, schema.root(request.kind()));
    }

    private static JsonNode parseJson(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest(firstLine(e));
        }
    }

    private static String firstLine(JacksonException e) {
        String m = e.getOriginalMessage();
        return m == null ? "malformed body" : m.lines().findFirst().orElse(m);
    }
}
