package dev.ferry.apiserver.patch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Finds the fields of an object that its kind's schema does not declare, as upstream's strict decoder does for
 * {@code fieldValidation=Strict}: paths like {@code spec.foo} and {@code spec.ports[0].bar}. Kinds without a schema,
 * maps and untyped values accept any field.
 */
public final class UnknownFields {
    private final PatchSchema schema;

    public UnknownFields(PatchSchema schema) {
        this.schema = schema;
    }

    /** The undeclared field paths of {@code obj}, in document order; empty when all are known. */
    public List<String> find(String kind, JsonNode obj) {
        List<String> out = new ArrayList<>();
        if (schema.knows(kind)) {
            walk(schema.root(kind), obj, "", out);
        }
        return out;
    }

    /**
     * Removes the undeclared fields from {@code obj} in place, as decoding into upstream's typed structs drops them;
     * returns their paths.
     */
    public List<String> prune(String kind, JsonNode obj) {
        List<String> out = new ArrayList<>();
        if (schema.knows(kind)) {
            walk(schema.root(kind), obj, "", out, true);
        }
        return out;
    }

    private static void walk(PatchSchema.Type type, JsonNode node, String path, List<String> out) {
        walk(type, node, path, out, false);
    }

    private static void walk(PatchSchema.Type type, JsonNode node, String path, List<String> out, boolean remove) {
        if (type instanceof PatchSchema.Struct s && node instanceof ObjectNode obj) {
            List<String> unknown = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : obj.properties()) {
                String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                PatchSchema.Field f = s.field(e.getKey());
                if (f == null) {
                    out.add(child);
                    unknown.add(e.getKey());
                } else {
                    walk(f.type(), e.getValue(), child, out, remove);
                }
            }
            if (remove) {
                unknown.forEach(obj::remove);
            }
        } else if (type instanceof PatchSchema.MapOf m && node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                walk(m.element(), e.getValue(), path + "." + e.getKey(), out, remove);
            }
        } else if (type instanceof PatchSchema.ListOf l && node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(l.element(), node.get(i), path + "[" + i + "]", out, remove);
            }
        }
    }
}
