package dev.ferry.apiserver.patch;

import dev.ferry.apiserver.patch.PatchSchema.Deduced;
import dev.ferry.apiserver.patch.PatchSchema.Field;
import dev.ferry.apiserver.patch.PatchSchema.Leaf;
import dev.ferry.apiserver.patch.PatchSchema.ListKind;
import dev.ferry.apiserver.patch.PatchSchema.ListOf;
import dev.ferry.apiserver.patch.PatchSchema.MapOf;
import dev.ferry.apiserver.patch.PatchSchema.Struct;
import dev.ferry.apiserver.patch.PatchSchema.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The four typed-value operations server-side apply is built from, after structured-merge-diff's {@code typed}
 * package: field set of a value, comparison of two values, merge of a configuration into a live value, and removal
 * of a field set from a value.
 *
 * <p>Values are Jackson trees where Java {@code null} means absent. A JSON {@code null} in a live or merged object is
 * treated as absent (Go drops it when decoding into typed structs); in an applied configuration it is a field the
 * applier owns and clears. Where a value does not have the shape its schema says (a string where a struct is
 * declared), it is handled as an atomic leaf rather than rejected.
 */
final class Typed {
    private Typed() {
    }

    /** How a value is walked. */
    private enum Shape {
        LEAF, MAP, ASSOC
    }

    /** A value the applied configuration cannot be keyed by, e.g. a list-map item without any key field. */
    static final class SchemaError extends RuntimeException {
        SchemaError(String message) {
            super(message, null, false, false);
        }
    }

    /** Modified/added/removed fields of rhs relative to lhs; no path is in two of them. */
    record Comparison(FieldSet added, FieldSet removed, FieldSet modified) {
        boolean isSame() {
            return added.isEmpty() && removed.isEmpty() && modified.isEmpty();
        }
    }

    private static Shape shape(Type t, JsonNode v) {
        if (v == null) {
            return Shape.LEAF;
        }
        return switch (t) {
            case Leaf l -> Shape.LEAF;
            case Deduced d -> v.isObject() ? Shape.MAP : Shape.LEAF;
            case Struct s -> v.isObject() && !s.atomic() ? Shape.MAP : Shape.LEAF;
            case MapOf m -> v.isObject() && !m.atomic() ? Shape.MAP : Shape.LEAF;
            case ListOf l -> v.isArray() && l.kind() != ListKind.ATOMIC ? Shape.ASSOC : Shape.LEAF;
        };
    }

    private static JsonNode present(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() ? null : v;
    }

    /** The child of an object as typed decoding would see it: value structs are materialised as {}. */
    private static JsonNode child(JsonNode parent, String key, Type parentType) {
        if (parent == null || !parent.isObject()) {
            return null;
        }
        JsonNode v = present(parent.get(key));
        if (v == null && parentType instanceof Struct s) {
            Field f = s.field(key);
            if (f != null && f.valueStruct()) {
                return Values.object();
            }
        }
        return v;
    }

    private static List<PathElement> plus(List<PathElement> path, PathElement pe) {
        List<PathElement> out = new ArrayList<>(path.size() + 1);
        out.addAll(path);
        out.add(pe);
        return out;
    }

    /** The path element selecting {@code item} in a {@link ListKind#MAP} or {@link ListKind#SET} list. */
    static PathElement itemElement(ListOf list, JsonNode item, List<PathElement> path, int index) {
        if (list.kind() == ListKind.SET) {
            if (item == null || item.isNull()) {
                throw new SchemaError(PathElement.display(path) + ": element " + index
                        + ": associative list without keys has an element that's an explicit null");
            }
            if (item.isObject() || item.isArray()) {
                throw new SchemaError(PathElement.display(path) + ": element " + index
                        + ": associative list without keys has an element that's a map type");
            }
            return PathElement.Value.of(item);
        }
        if (item == null || !item.isObject()) {
            throw new SchemaError(PathElement.display(path) + ": element " + index
                    + ": associative list with keys may not have non-map elements");
        }
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        for (String key : list.keys()) {
            JsonNode v = item.get(key);
            if (v != null) {
                fields.add(Map.entry(key, v));
            } else if (list.element() instanceof Struct s && s.field(key) != null
                    && s.field(key).defaultValue() != null) {
                fields.add(Map.entry(key, s.field(key).defaultValue()));
            }
        }
        if (fields.isEmpty()) {
            throw new SchemaError(PathElement.display(path) + ": element " + index
                    + ": associative list with keys has an element that omits all key fields "
                    + quoted(list.keys()) + " (and doesn't have default values for any key fields)");
        }
        return PathElement.Key.of(fields);
    }

    private static String quoted(List<String> keys) {
        List<String> q = keys.stream().map(k -> "\"" + k + "\"").toList();
        return "[" + String.join(" ", q) + "]";
    }

    // ---------------------------------------------------------------------------------------------------- toFieldSet

    /** Every leaf, list item and otherwise-unrepresented field of {@code v} (structured-merge-diff ToFieldSet). */
    static FieldSet toFieldSet(JsonNode v, Type t) {
        FieldSet set = FieldSet.empty();
        walkSet(v, t, new ArrayList<>(), set);
        return set;
    }

    private static void walkSet(JsonNode v, Type t, List<PathElement> path, FieldSet set) {
        switch (shape(t, v)) {
            case LEAF -> set.insert(path);
            case MAP -> {
                for (Map.Entry<String, JsonNode> e : v.properties()) {
                    String key = e.getKey();
                    JsonNode val = e.getValue();
                    List<PathElement> p = plus(path, new PathElement.FieldName(key));
                    walkSet(val, PatchSchema.childType(t, key), p, set);
                    boolean named = t instanceof Struct s && s.field(key) != null;
                    if (val.isNull() || val.isObject() && val.isEmpty() || !named) {
                        set.insert(p);
                    }
                }
            }
            case ASSOC -> {
                ListOf l = (ListOf) t;
                Set<PathElement> seen = new HashSet<>();
                Set<PathElement> duplicates = new HashSet<>();
                List<PathElement> pes = new ArrayList<>();
                for (int i = 0; i < v.size(); i++) {
                    PathElement pe = itemElement(l, v.get(i), path, i);
                    pes.add(pe);
                    if (!seen.add(pe) && duplicates.add(pe)) {
                        set.insert(plus(path, pe));
                    }
                }
                for (int i = 0; i < v.size(); i++) {
                    PathElement pe = pes.get(i);
                    if (duplicates.contains(pe)) {
                        continue;
                    }
                    List<PathElement> p = plus(path, pe);
                    walkSet(v.get(i), l.element(), p, set);
                    set.insert(p);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------- compare

    /** What changed from {@code lhs} to {@code rhs} (structured-merge-diff Compare). */
    static Comparison compare(JsonNode lhs, JsonNode rhs, Type t) {
        Comparison c = new Comparison(FieldSet.empty(), FieldSet.empty(), FieldSet.empty());
        cmp(present(lhs), present(rhs), t, new ArrayList<>(), c);
        return c;
    }

    private static void cmp(JsonNode lhs, JsonNode rhs, Type t, List<PathElement> path, Comparison c) {
        Shape shape = shape(t, rhs != null ? rhs : lhs);
        if (lhs != null && rhs != null && lhs.getNodeType() != rhs.getNodeType()) {
            shape = Shape.LEAF;
        }
        if (shape != Shape.LEAF && isEmptyContainer(lhs) && isEmptyContainer(rhs)) {
            shape = Shape.LEAF;
        }
        if (shape == Shape.LEAF) {
            if (lhs == null) {
                c.added().insert(path);
            } else if (rhs == null) {
                c.removed().insert(path);
            } else if (!Values.equal(lhs, rhs)) {
                c.modified().insert(path);
            }
            return;
        }
        if (shape == Shape.MAP) {
            Set<String> keys = new LinkedHashSet<>();
            if (lhs != null) {
                keys.addAll(lhs.propertyNames());
            }
            if (rhs != null) {
                keys.addAll(rhs.propertyNames());
            }
            if (t instanceof Struct s) {
                for (Field f : s.fields().values()) {
                    if (f.valueStruct()) {
                        keys.add(f.name());
                    }
                }
            }
            for (String k : keys) {
                JsonNode l = child(lhs, k, t);
                JsonNode r = child(rhs, k, t);
                if (l != null || r != null) {
                    cmp(l, r, PatchSchema.childType(t, k), plus(path, new PathElement.FieldName(k)), c);
                }
            }
        } else {
            compareItems((ListOf) t, lhs, rhs, path, c);
        }
        if (lhs == null) {
            c.added().insert(path);
        } else if (rhs == null) {
            c.removed().insert(path);
        }
    }

    private static boolean isEmptyContainer(JsonNode v) {
        return v == null || (v.isObject() || v.isArray()) && v.isEmpty();
    }

    private static void compareItems(ListOf l, JsonNode lhs, JsonNode rhs, List<PathElement> path, Comparison c) {
        Map<PathElement, List<JsonNode>> lv = index(l, lhs, path);
        Map<PathElement, List<JsonNode>> rv = index(l, rhs, path);
        Set<PathElement> all = new LinkedHashSet<>(lv.keySet());
        all.addAll(rv.keySet());
        for (PathElement pe : all) {
            List<JsonNode> ll = lv.getOrDefault(pe, List.of());
            List<JsonNode> rl = rv.getOrDefault(pe, List.of());
            List<PathElement> p = plus(path, pe);
            if (ll.size() <= 1 && rl.size() <= 1) {
                cmp(ll.isEmpty() ? null : ll.get(0), rl.isEmpty() ? null : rl.get(0), l.element(), p, c);
            } else if (ll.size() >= 2 && rl.size() >= 2) {
                boolean same = ll.size() == rl.size();
                for (int i = 0; same && i < ll.size(); i++) {
                    same = Values.equal(ll.get(i), rl.get(i));
                }
                if (!same) {
                    c.modified().insert(p);
                }
            } else if (ll.size() >= 2) {
                if (!rl.isEmpty()) {
                    cmp(null, rl.get(0), l.element(), p, c);
                }
                c.removed().insert(p);
            } else {
                if (!ll.isEmpty()) {
                    cmp(ll.get(0), null, l.element(), p, c);
                }
                c.added().insert(p);
            }
        }
    }

    private static Map<PathElement, List<JsonNode>> index(ListOf l, JsonNode list, List<PathElement> path) {
        Map<PathElement, List<JsonNode>> out = new LinkedHashMap<>();
        if (list == null) {
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            PathElement pe;
            try {
                pe = itemElement(l, item, path, i);
            } catch (SchemaError e) {
                continue;
            }
            out.computeIfAbsent(pe, k -> new ArrayList<>()).add(item);
        }
        return out;
    }

    // --------------------------------------------------------------------------------------------------------- merge

    /**
     * {@code rhs} (an applied configuration) merged into {@code lhs} (the live object): granular maps merge key by key,
     * associative lists item by item keeping the live order around the configuration's, leaves take rhs.
     *
     * @return the merged value, or null when absent (an explicit null in rhs clears the field)
     */
    static JsonNode merge(JsonNode lhs, JsonNode rhs, Type t) {
        return mergeAt(present(lhs), rhs, t, new ArrayList<>());
    }

    private static JsonNode mergeAt(JsonNode lhs, JsonNode rhs, Type t, List<PathElement> path) {
        if (rhs == null || rhs.isMissingNode()) {
            return lhs == null ? null : lhs.deepCopy();
        }
        if (rhs.isNull()) {
            return null;
        }
        if (lhs == null || lhs.getNodeType() != rhs.getNodeType()) {
            return Values.withoutNulls(rhs.deepCopy());
        }
        Shape shape = shape(t, rhs);
        if (shape == Shape.LEAF || isEmptyContainer(lhs) && isEmptyContainer(rhs)) {
            return Values.withoutNulls(rhs.deepCopy());
        }
        if (shape == Shape.MAP) {
            ObjectNode out = Values.object();
            for (Map.Entry<String, JsonNode> e : lhs.properties()) {
                String k = e.getKey();
                JsonNode merged = rhs.has(k)
                        ? mergeAt(present(e.getValue()), rhs.get(k), PatchSchema.childType(t, k),
                                plus(path, new PathElement.FieldName(k)))
                        : present(e.getValue()) == null ? null : e.getValue().deepCopy();
                if (merged != null) {
                    out.set(k, merged);
                }
            }
            for (Map.Entry<String, JsonNode> e : rhs.properties()) {
                if (!lhs.has(e.getKey())) {
                    JsonNode merged = mergeAt(null, e.getValue(), PatchSchema.childType(t, e.getKey()),
                            plus(path, new PathElement.FieldName(e.getKey())));
                    if (merged != null) {
                        out.set(e.getKey(), merged);
                    }
                }
            }
            return out;
        }
        return mergeItems((ListOf) t, lhs, rhs, path);
    }

    /** structured-merge-diff's list merge: shared items in the configuration's order, live-only items in place. */
    private static JsonNode mergeItems(ListOf l, JsonNode lhs, JsonNode rhs, List<PathElement> path) {
        List<PathElement> rhsPEs = new ArrayList<>();
        Map<PathElement, JsonNode> observedR = new HashMap<>();
        for (int i = 0; i < rhs.size(); i++) {
            PathElement pe = itemElement(l, rhs.get(i), path, i);
            if (observedR.containsKey(pe)) {
                throw new SchemaError(PathElement.display(path) + ": duplicate entries for key " + pe.display());
            }
            observedR.put(pe, rhs.get(i));
            rhsPEs.add(pe);
        }
        List<PathElement> lhsPEs = new ArrayList<>();
        Map<PathElement, JsonNode> observedL = new HashMap<>();
        Set<PathElement> duplicatedL = new HashSet<>();
        for (int i = 0; i < lhs.size(); i++) {
            PathElement pe;
            try {
                pe = itemElement(l, lhs.get(i), path, i);
            } catch (SchemaError e) {
                pe = new PathElement.Index(i);
            }
            if (observedL.containsKey(pe)) {
                duplicatedL.add(pe);
            }
            observedL.put(pe, lhs.get(i));
            lhsPEs.add(pe);
        }
        List<PathElement> sharedOrder = new ArrayList<>();
        for (PathElement pe : rhsPEs) {
            if (observedL.containsKey(pe)) {
                sharedOrder.add(pe);
            }
        }
        int shared = 0;
        PathElement nextShared = sharedOrder.isEmpty() ? null : sharedOrder.get(shared++);
        Set<PathElement> mergedR = new HashSet<>();
        ArrayNode out = Values.NODES.arrayNode();
        int li = 0;
        int ri = 0;
        while (li < lhsPEs.size() || ri < rhsPEs.size()) {
            if (li < lhsPEs.size() && ri < rhsPEs.size()) {
                PathElement pe = lhsPEs.get(li);
                if (pe.equals(rhsPEs.get(ri))) {
                    mergedR.add(pe);
                    JsonNode lChild = duplicatedL.contains(pe) ? null : observedL.get(pe);
                    addItem(out, mergeAt(present(lChild), observedR.get(pe), l.element(), plus(path, pe)));
                    li++;
                    ri++;
                    nextShared = shared < sharedOrder.size() ? sharedOrder.get(shared++) : null;
                    continue;
                }
                if (observedR.containsKey(pe) && nextShared != null && !nextShared.equals(pe)) {
                    li++;
                    continue;
                }
            }
            if (li < lhsPEs.size()) {
                PathElement pe = lhsPEs.get(li);
                if (!observedR.containsKey(pe)) {
                    addItem(out, present(lhs.get(li)) == null ? null : lhs.get(li).deepCopy());
                    li++;
                    continue;
                } else if (mergedR.contains(pe)) {
                    li++;
                }
            }
            if (ri < rhsPEs.size()) {
                PathElement pe = rhsPEs.get(ri);
                mergedR.add(pe);
                JsonNode lChild = duplicatedL.contains(pe) ? null : observedL.get(pe);
                addItem(out, mergeAt(present(lChild), observedR.get(pe), l.element(), plus(path, pe)));
                ri++;
                if (nextShared != null && nextShared.equals(pe)) {
                    nextShared = shared < sharedOrder.size() ? sharedOrder.get(shared++) : null;
                }
            }
        }
        return out;
    }

    private static void addItem(ArrayNode out, JsonNode item) {
        if (item != null) {
            out.add(item);
        }
    }

    // --------------------------------------------------------------------------------------------------- removeItems

    /**
     * {@code v} without the fields and items in {@code toRemove}; an object or list emptied by the removal is itself
     * removed (null), as the typed round trip upstream drops it.
     */
    static JsonNode removeItems(JsonNode v, FieldSet toRemove, Type t) {
        v = present(v);
        if (v == null) {
            return null;
        }
        if (toRemove.isEmpty()) {
            return v.deepCopy();
        }
        Shape shape = shape(t, v);
        if (shape == Shape.LEAF) {
            return (v.isObject() || v.isArray()) && t != Leaf.SCALAR && t != Leaf.UNTYPED ? null : v.deepCopy();
        }
        if (shape == Shape.MAP) {
            ObjectNode out = Values.object();
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                PathElement pe = new PathElement.FieldName(e.getKey());
                if (toRemove.hasMember(pe)) {
                    continue;
                }
                FieldSet sub = toRemove.withPrefix(pe);
                JsonNode val = sub.isEmpty() ? e.getValue().deepCopy()
                        : removeItems(e.getValue(), sub, PatchSchema.childType(t, e.getKey()));
                if (val != null) {
                    out.set(e.getKey(), val);
                }
            }
            return out.isEmpty() ? null : out;
        }
        ListOf l = (ListOf) t;
        ArrayNode out = Values.NODES.arrayNode();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            PathElement pe;
            try {
                pe = itemElement(l, item, List.of(), i);
            } catch (SchemaError e) {
                out.add(item.deepCopy());
                continue;
            }
            if (toRemove.hasMember(pe)) {
                continue;
            }
            FieldSet sub = toRemove.withPrefix(pe);
            JsonNode kept = sub.isEmpty() ? item.deepCopy() : removeItems(item, sub, l.element());
            if (kept != null) {
                out.add(kept);
            }
        }
        return out.isEmpty() ? null : out;
    }
}
