package dev.ferry.apiserver;

import dev.ferry.api.Json;
import dev.ferry.api.validation.FieldError;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A failure the client sees as a {@code metav1.Status}: code, reason, message and details exactly as
 * k8s.io/apimachinery/pkg/api/errors builds them.
 */
public final class ApiException extends RuntimeException {
    private final int code;
    private final String reason;
    private final String group;
    private final String kind;
    private final String name;
    private final List<Cause> causes;
    private final Integer retryAfterSeconds;

    /** One {@code details.causes[]} entry. */
    public record Cause(String reason, String message, String field) {
        static Cause of(FieldError e) {
            return new Cause(e.type().reason, e.message(), e.field());
        }
    }

    private ApiException(int code, String reason, String message, String group, String kind, String name,
            List<Cause> causes, Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
        this.group = group;
        this.kind = kind;
        this.name = name;
        this.causes = List.copyOf(causes);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    private static ApiException of(int code, String reason, String message) {
        return new ApiException(code, reason, message, null, null, null, List.of(), null);
    }

    /** {@code qualifiedResource} is e.g. "services" or "deployments.apps". */
    public static ApiException notFound(String group, String qualifiedResource, String name) {
        return new ApiException(404, "NotFound", qualifiedResource + " \"" + name + "\" not found",
                group, plural(qualifiedResource), name, List.of(), null);
    }

    public static ApiException notFound(String message) {
        return of(404, "NotFound", message);
    }

    public static ApiException alreadyExists(String group, String qualifiedResource, String name) {
        return new ApiException(409, "AlreadyExists", qualifiedResource + " \"" + name + "\" already exists",
                group, plural(qualifiedResource), name, List.of(), null);
    }

    public static ApiException conflict(String group, String qualifiedResource, String name, String detail) {
        return new ApiException(409, "Conflict",
                "Operation cannot be fulfilled on " + qualifiedResource + " \"" + name + "\": " + detail,
                group, plural(qualifiedResource), name, List.of(), null);
    }

    /** The optimistic-lock conflict, with upstream's exact text. */
    public static ApiException modified(String group, String qualifiedResource, String name) {
        return conflict(group, qualifiedResource, name,
                "the object has been modified; please apply your changes to the latest version and try again");
    }

    /** 422 Invalid: {@code Kind "name" is invalid: e1} or {@code [e1, e2]} for several. */
    public static ApiException invalid(String group, String kind, String name, List<FieldError> errors) {
        String joined = errors.size() == 1 ? errors.get(0).toString()
                : "[" + String.join(", ", errors.stream().map(FieldError::toString).toList()) + "]";
        String qualifiedKind = group == null || group.isEmpty() ? kind : kind + "." + group;
        return new ApiException(422, "Invalid", qualifiedKind + " \"" + name + "\" is invalid: " + joined,
                group, kind, name, errors.stream().map(Cause::of).toList(), null);
    }

    /**
     * 422 as for a JSON patch that does not apply: upstream's generic text, followed (unlike upstream, which drops it)
     * by what went wrong, so the user can fix the request.
     */
    public static ApiException unprocessable(String detail) {
        return new ApiException(422, "Invalid", "the server rejected our request due to an error in our request: "
                + detail, null, null, null, List.of(new Cause("", detail, "")), null);
    }

    /** 409 from server-side apply: the message verbatim, one FieldManagerConflict cause per field. */
    public static ApiException applyConflict(String message, List<Cause> causes) {
        return new ApiException(409, "Conflict", message, null, null, null, causes, null);
    }

    public static ApiException badRequest(String message) {
        return of(400, "BadRequest", message);
    }

    public static ApiException methodNotAllowed(String message) {
        return of(405, "MethodNotAllowed", message);
    }

    public static ApiException notAcceptable(String message) {
        return of(406, "NotAcceptable", message);
    }

    /** 415 for a body whose media type the verb does not take; {@code accepted} lists those it takes. */
    public static ApiException unsupportedMediaType(String contentType, String accepted) {
        return of(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media "
                + "types include: " + accepted + "; got " + contentType);
    }

    public static ApiException tooLarge(String message) {
        return of(413, "RequestEntityTooLarge", message);
    }

    /** 410 Expired, as a watch or list from a compacted resourceVersion gets. */
    public static ApiException expired(String message) {
        return of(410, "Expired", message);
    }

    public static ApiException gone(String message) {
        return of(410, "Gone", message);
    }

    public static ApiException tooManyRequests(String message, int retryAfterSeconds) {
        return new ApiException(429, "TooManyRequests", message, null, null, null, List.of(), retryAfterSeconds);
    }

    public static ApiException timeout(String message, int retryAfterSeconds) {
        return new ApiException(504, "Timeout", message, null, null, null, List.of(), retryAfterSeconds);
    }

    /** 500 InternalError: {@code Internal error occurred: <detail>}. */
    public static ApiException internal(String detail) {
        return new ApiException(500, "InternalError", "Internal error occurred: " + detail, null, null, null,
                List.of(new Cause("", detail, "")), null);
    }

    public static ApiException forbidden(String message) {
        return of(403, "Forbidden", message);
    }

    /**
     * An error another server (a node's kubelet endpoint) answered with {@code code} and a plain-text body, relayed
     * with the same code and the body as message, as upstream's GenericHttpResponseChecker does.
     */
    public static ApiException upstream(int code, String message) {
        String reason = switch (code) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 409 -> "Conflict";
            case 429 -> "TooManyRequests";
            case 500 -> "InternalError";
            case 503 -> "ServiceUnavailable";
            case 504 -> "Timeout";
            default -> "";
        };
        return of(code, reason, message);
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public List<Cause> causes() {
        return causes;
    }

    /** The {@code metav1.Status} body. */
    public ObjectNode toStatus() {
        ObjectNode status = Json.object();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("message", getMessage());
        status.put("reason", reason);
        if (name != null || kind != null || !causes.isEmpty() || retryAfterSeconds != null) {
            ObjectNode details = status.putObject("details");
            if (name != null) {
                details.put("name", name);
            }
            if (group != null && !group.isEmpty()) {
                details.put("group", group);
            }
            if (kind != null) {
                details.put("kind", kind);
            }
            if (!causes.isEmpty()) {
                ArrayNode array = details.putArray("causes");
                for (Cause c : causes) {
                    ObjectNode cause = array.addObject();
                    if (!c.reason().isEmpty()) {
                        cause.put("reason", c.reason());
                    }
                    cause.put("message", c.message());
                    if (!c.field().isEmpty()) {
                        cause.put("field", c.field());
                    }
                }
            }
            if (retryAfterSeconds != null) {
                details.put("retryAfterSeconds", retryAfterSeconds);
            }
        }
        status.put("code", code);
        return status;
    }

    /** details.kind is the plural resource name for NotFound/AlreadyExists/Conflict, as upstream. */
    private static String plural(String qualifiedResource) {
        int dot = qualifiedResource.indexOf('.');
        return dot < 0 ? qualifiedResource : qualifiedResource.substring(0, dot);
    }
}
