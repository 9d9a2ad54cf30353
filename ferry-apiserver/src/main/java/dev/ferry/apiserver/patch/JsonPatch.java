package dev.ferry.apiserver.patch;

import dev.ferry.apiserver.ApiException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 6902 JSON patch ({@code application/json-patch+json}) with RFC 6901 pointers ({@code ~1} is "/", {@code ~0} is
 * "~"; "-" appends), following evanphx/json-patch v4 as the API server uses it: negative array indexes count from the
 * end, {@code test} of an absent member succeeds against {@code null}.
 *
 * <p>Errors: a body that is not a list of operation objects is 400 BadRequest; more than 10000 operations is 413; an
 * operation that does not apply (missing path, bad index, failed test, unknown op) is 422 Invalid, as upstream.
 */
public final class JsonPatch {
    /** Upstream's {@code maxJSONPatchOperations}. */
    static final int MAX_OPERATIONS = 10000;

    private final List<Op> ops;

    private JsonPatch(List<Op> ops) {
        this.ops = List.copyOf(ops);
    }

    /** One operation; {@code value} is null when absent. */
    record Op(String op, String path, String from, JsonNode value) {
    }

    /** Decodes a patch document; throws 400 when it is not a JSON array of objects. */
    public static JsonPatch parse(JsonNode body) {
        if (body == null || !body.isArray()) {
            throw ApiException.badRequest("json: cannot unmarshal " + kindOf(body)
                    + " into Go value of type jsonpatch.Patch");
        }
        List<Op> ops = new ArrayList<>();
        for (JsonNode o : body) {
            if (!o.isObject()) {
                throw ApiException.badRequest("json: cannot unmarshal " + kindOf(o)
                        + " into Go value of type jsonpatch.Operation");
            }
            ops.add(new Op(text(o, "op"), text(o, "path"), text(o, "from"), o.get("value")));
        }
        if (ops.size() > MAX_OPERATIONS) {
            throw ApiException.tooLarge("Request entity too large: The allowed maximum operations in a JSON patch is "
                    + MAX_OPERATIONS + ", got " + ops.size());
        }
        return new JsonPatch(ops);
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    private static String kindOf(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        if (v.isObject()) {
            return "object";
        }
        if (v.isString()) {
            return "string";
        }
        if (v.isNumber()) {
            return "number";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        return "array";
    }

    /** Applies every operation, in order, to a copy of {@code doc}; throws 422 on the first that does not apply. */
    public JsonNode apply(JsonNode doc) {
        Holder root = new Holder(doc.deepCopy());
        for (Op op : ops) {
            String kind = op.op() == null ? "unknown" : op.op();
            switch (kind) {
                case "add" -> add(root, requirePath(op, kind), requireValue(op, kind), kind);
                case "remove" -> remove(root, requirePath(op, kind));
                case "replace" -> replace(root, requirePath(op, kind), requireValue(op, kind));
                case "move" -> move(root, op);
                case "copy" -> copy(root, op);
                case "test" -> test(root, requirePath(op, kind), op.value());
                default -> throw PatchErrors.unprocessable("Unexpected kind: " + kind);
            }
        }
        return root.value;
    }

    private static String requirePath(Op op, String kind) {
        if (op.path() == null) {
            throw PatchErrors.unprocessable(kind + " operation failed to decode path: operation missing path field: "
                    + "missing value");
        }
        return op.path();
    }

    private static JsonNode requireValue(Op op, String kind) {
        if (op.value() == null) {
            throw PatchErrors.unprocessable(kind + " operation, missing value field: missing value");
        }
        return op.value().deepCopy();
    }

    /** The whole document, so that a root replacement has somewhere to go. */
    private static final class Holder {
        JsonNode value;

        Holder(JsonNode value) {
            this.value = value;
        }
    }

    /** The container of the last pointer token, and that token, or null when the parent path does not exist. */
    private record Location(JsonNode container, String key) {
    }

    private static Location locate(Holder root, String path) {
        if (!path.startsWith("/")) {
            return null;
        }
        String[] tokens = path.substring(1).split("/", -1);
        JsonNode doc = root.value;
        for (int i = 0; i < tokens.length - 1; i++) {
            JsonNode next = child(doc, decode(tokens[i]));
            if (next == null || !(next.isObject() || next.isArray())) {
                return null;
            }
            doc = next;
        }
        return new Location(doc, decode(tokens[tokens.length - 1]));
    }

    private static String decode(String token) {
        return token.replace("~1", "/").replace("~0", "~");
    }

    private static JsonNode child(JsonNode container, String key) {
        if (container.isObject()) {
            return container.get(key);
        }
        if (container.isArray()) {
            Integer idx = parseIndex(key);
            if (idx == null) {
                return null;
            }
            int i = idx < 0 ? idx + container.size() : idx;
            return i >= 0 && i < container.size() ? container.get(i) : null;
        }
        return null;
    }

    private static Integer parseIndex(String key) {
        try {
            return Integer.parseInt(key);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int index(ArrayNode a, String key, int limit) {
        Integer idx = parseIndex(key);
        if (idx == null) {
            throw PatchErrors.unprocessable("value was not a proper array index: '" + key + "'");
        }
        int i = idx;
        if (i < 0) {
            if (i < -limit) {
                throw PatchErrors.unprocessable("Unable to access invalid index: " + idx + ": invalid index referenced");
            }
            i += limit;
        }
        if (i >= limit) {
            throw PatchErrors.unprocessable("Unable to access invalid index: " + idx + ": invalid index referenced");
        }
        return i;
    }

    private static void add(Holder root, String path, JsonNode value, String kind) {
        if (path.isEmpty()) {
            root.value = value;
            return;
        }
        Location loc = locate(root, path);
        if (loc == null) {
            throw PatchErrors.unprocessable(kind + " operation does not apply: doc is missing path: \"" + path
                    + "\": missing value");
        }
        if (loc.container() instanceof ObjectNode o) {
            o.set(loc.key(), value);
        } else {
            ArrayNode a = (ArrayNode) loc.container();
            if (loc.key().equals("-")) {
                a.add(value);
            } else {
                a.insert(index(a, loc.key(), a.size() + 1), value);
            }
        }
    }

    private static JsonNode remove(Holder root, String path) {
        Location loc = locate(root, path);
        if (path.isEmpty() || loc == null) {
            throw PatchErrors.unprocessable("remove operation does not apply: doc is missing path: \"" + path
                    + "\": missing value");
        }
        if (loc.container() instanceof ObjectNode o) {
            if (!o.has(loc.key())) {
                throw PatchErrors.unprocessable("error in remove for path: '" + path
                        + "': Unable to remove nonexistent key: " + loc.key() + ": missing value");
            }
            return o.remove(loc.key());
        }
        ArrayNode a = (ArrayNode) loc.container();
        return a.remove(index(a, loc.key(), a.size()));
    }

    private static void replace(Holder root, String path, JsonNode value) {
        if (path.isEmpty()) {
            if (!value.isObject() && !value.isArray()) {
                throw PatchErrors.unprocessable("replace operation value must be object or array");
            }
            root.value = value;
            return;
        }
        Location loc = locate(root, path);
        if (loc == null) {
            throw PatchErrors.unprocessable("replace operation does not apply: doc is missing path: " + path
                    + ": missing value");
        }
        if (loc.container() instanceof ObjectNode o) {
            if (!o.has(loc.key())) {
                throw PatchErrors.unprocessable("replace operation does not apply: doc is missing key: " + path
                        + ": missing value");
            }
            o.set(loc.key(), value);
        } else {
            ArrayNode a = (ArrayNode) loc.container();
            a.set(index(a, loc.key(), a.size()), value);
        }
    }

    private static void move(Holder root, Op op) {
        if (op.from() == null) {
            throw PatchErrors.unprocessable("move operation failed to decode from: operation, missing from field: "
                    + "missing value");
        }
        String path = requirePath(op, "move");
        Location from = locate(root, op.from());
        if (from == null || child(from.container(), from.key()) == null) {
            throw PatchErrors.unprocessable("move operation does not apply: doc is missing from path: " + op.from()
                    + ": missing value");
        }
        JsonNode value = remove(root, op.from());
        if (locate(root, path) == null && !path.isEmpty()) {
            throw PatchErrors.unprocessable("move operation does not apply: doc is missing destination path: " + path
                    + ": missing value");
        }
        add(root, path, value, "move");
    }

    private static void copy(Holder root, Op op) {
        if (op.from() == null) {
            throw PatchErrors.unprocessable("copy operation failed to decode from: operation, missing from field: "
                    + "missing value");
        }
        String path = requirePath(op, "copy");
        Location from = locate(root, op.from());
        JsonNode value = from == null ? null : child(from.container(), from.key());
        if (value == null) {
            throw PatchErrors.unprocessable("copy operation does not apply: doc is missing from path: " + op.from()
                    + ": missing value");
        }
        if (locate(root, path) == null && !path.isEmpty()) {
            throw PatchErrors.unprocessable("copy operation does not apply: doc is missing destination path: " + path
                    + ": missing value");
        }
        add(root, path, value.deepCopy(), "copy");
    }

    private static void test(Holder root, String path, JsonNode expected) {
        JsonNode actual;
        if (path.isEmpty()) {
            actual = root.value;
        } else {
            Location loc = locate(root, path);
            if (loc == null) {
                throw PatchErrors.unprocessable("test operation does not apply: is missing path: " + path
                        + ": missing value");
            }
            if (loc.container().isArray() && child(loc.container(), loc.key()) == null) {
                throw PatchErrors.unprocessable("error in test for path: '" + path
                        + "': Unable to access invalid index: " + loc.key() + ": invalid index referenced");
            }
            actual = child(loc.container(), loc.key());
        }
        // Go decodes both a JSON null and an absent member to nil, so null matches absent either way.
        boolean actualNull = actual == null || actual.isNull();
        boolean expectedNull = expected == null || expected.isNull();
        boolean ok = actualNull ? expectedNull : !expectedNull && Values.equal(actual, expected);
        if (!ok) {
            throw PatchErrors.unprocessable("testing value " + path + " failed: test failed");
        }
    }
}
