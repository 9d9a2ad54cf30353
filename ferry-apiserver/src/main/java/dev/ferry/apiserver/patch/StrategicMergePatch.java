package dev.ferry.apiserver.patch;

import dev.ferry.apiserver.ApiException;
import dev.ferry.apiserver.patch.PatchSchema.Deduced;
import dev.ferry.apiserver.patch.PatchSchema.Field;
import dev.ferry.apiserver.patch.PatchSchema.ListOf;
import dev.ferry.apiserver.patch.PatchSchema.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Strategic merge patch ({@code application/strategic-merge-patch+json}) as the API server applies it
 * (apimachinery {@code strategicpatch.StrategicMergeMapPatch} with {@code MergeParallelList} and
 * {@code IgnoreUnmatchedNulls}), driven by {@link PatchSchema}'s {@code patchStrategy}/{@code patchMergeKey} tags.
 *
 * <p>Semantics: objects merge key by key and {@code null} deletes; a list tagged {@code merge} merges items by its
 * merge key (lists of primitives: union); every other list is replaced. Directives:
 * <ul>
 *   <li>{@code "$patch": "replace"} on an object replaces it, {@code "delete"} clears it; as a list item
 *       {@code {"$patch":"replace"}} replaces the list with the other items, {@code {"$patch":"delete","name":"x"}}
 *       deletes the item whose merge key is "x";</li>
 *   <li>{@code "$setElementOrder/<list>"} gives the final order of the patched items (server-only items keep their
 *       relative place);</li>
 *   <li>{@code "$retainKeys": [...]} clears the object's keys not listed (every patched key must be listed);</li>
 *   <li>{@code "$deleteFromPrimitiveList/<list>": [...]} removes those values from a merged primitive list.</li>
 * </ul>
 * Malformed directives are 400 BadRequest; a list of lists is 422 Invalid (as upstream's
 * {@code interpretStrategicMergePatchError}).
 */
public final class StrategicMergePatch {
    private static final String DIRECTIVE = "$patch";
    private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";
    private static final String SET_ELEMENT_ORDER = "$setElementOrder";
    private static final String RETAIN_KEYS = "$retainKeys";

    private StrategicMergePatch() {
    }

    /** Applies {@code patch} to a copy of {@code original}, typed by {@code type} (usually a kind's root). */
    public static ObjectNode apply(ObjectNode original, ObjectNode patch, Type type) {
        return mergeMap(original.deepCopy(), patch.deepCopy(), type);
    }

    private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, Type type) {
        JsonNode directive = patch.get(DIRECTIVE);
        if (directive != null) {
            String d = directive.isString() ? directive.asString() : directive.toString();
            if (d.equals("replace")) {
                patch.remove(DIRECTIVE);
                return patch;
            }
            if (d.equals("delete")) {
                return Values.object();
            }
            throw ApiException.badRequest("unknown patch type: " + d + " in map: " + patch);
        }
        if (original == null) {
            original = Values.object();
        }
        applyRetainKeys(original, patch);
        mergeElementOrderLists(original, patch, type);

        for (String k : new ArrayList<>(patch.propertyNames())) {
            JsonNode patchV = patch.get(k);
            boolean isDeleteList = false;
            String key = k;
            if (k.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                key = extractKey(k, DELETE_FROM_PRIMITIVE_LIST);
                isDeleteList = true;
            }
            if (patchV.isNull()) {
                original.remove(key);
                continue;
            }
            JsonNode originalV = original.get(key);
            if (originalV == null || category(originalV) != category(patchV)) {
                if (!isDeleteList) {
                    JsonNode v = removeDirectives(Values.withoutNulls(patchV));
                    if (v == null) {
                        original.remove(key);
                    } else {
                        original.set(key, v);
                    }
                }
                continue;
            }
            Field field = field(type, key);
            String strategy = otherStrategy(field);
            if (originalV.isObject()) {
                Type child = PatchSchema.childType(type, key);
                original.set(key, strategy.equals("replace") ? patchV
                        : mergeMap((ObjectNode) originalV, (ObjectNode) patchV, child));
            } else if (originalV.isArray()) {
                Type element = elementType(type, key);
                String mergeKey = field == null ? null : field.mergeKey();
                original.set(key, mergeSliceHandler((ArrayNode) originalV, (ArrayNode) patchV, element, strategy,
                        mergeKey, isDeleteList));
            } else {
                JsonNode v = removeDirectives(patchV);
                if (v == null) {
                    original.remove(key);
                } else {
                    original.set(key, v);
                }
            }
        }
        return original;
    }

    private static Field field(Type type, String key) {
        return type instanceof PatchSchema.Struct s ? s.field(key) : null;
    }

    private static Type elementType(Type type, String key) {
        Type t = PatchSchema.childType(type, key);
        return t instanceof ListOf l ? l.element() : Deduced.INSTANCE;
    }

    /** The field's patch strategy other than retainKeys ("merge", "replace" or ""). */
    private static String otherStrategy(Field field) {
        if (field == null) {
            return "";
        }
        List<String> s = field.strategies().stream().filter(x -> !x.equals("retainKeys") && !x.isEmpty()).toList();
        return s.isEmpty() ? "" : s.get(0);
    }

    private static String extractKey(String s, String prefix) {
        int slash = s.indexOf('/');
        if (slash < 0 || !s.substring(0, slash).equals(prefix)) {
            throw ApiException.badRequest(prefix.equals(DELETE_FROM_PRIMITIVE_LIST)
                    ? "invalid patch format of primitive list" : "invalid patch format of setElementOrder list");
        }
        return s.substring(slash + 1);
    }

    private static void applyRetainKeys(ObjectNode original, ObjectNode patch) {
        JsonNode retain = patch.remove(RETAIN_KEYS);
        if (retain == null) {
            return;
        }
        if (!retain.isArray()) {
            throw ApiException.badRequest("invalid patch format of retainKeys");
        }
        Set<String> keep = new HashSet<>();
        for (JsonNode k : retain) {
            keep.add(k.isString() ? k.asString() : k.toString());
        }
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String k = e.getKey();
            if (e.getValue().isNull() || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) {
                continue;
            }
            if (!keep.contains(k)) {
                throw ApiException.badRequest("invalid patch format of retainKeys");
            }
        }
        for (String k : new ArrayList<>(original.propertyNames())) {
            if (!keep.contains(k)) {
                original.remove(k);
            }
        }
    }

    /** Processes every {@code $setElementOrder/<list>} of this object together with its list (both leave the patch). */
    private static void mergeElementOrderLists(ObjectNode original, ObjectNode patch, Type type) {
        for (String k : new ArrayList<>(patch.propertyNames())) {
            if (!k.startsWith(SET_ELEMENT_ORDER)) {
                continue;
            }
            JsonNode order = patch.remove(k);
            String key = extractKey(k, SET_ELEMENT_ORDER);
            if (!order.isArray()) {
                throw ApiException.badRequest("invalid patch format of setElementOrder list");
            }
            JsonNode originalList = original.get(key);
            JsonNode patchList = patch.get(key);
            if (originalList != null && !originalList.isArray() || patchList != null && !patchList.isArray()) {
                throw ApiException.badRequest("invalid patch format of setElementOrder list");
            }
            Field field = field(type, key);
            String mergeKey = field == null ? null : field.mergeKey();
            validateAgainstOrder((ArrayNode) patchList, (ArrayNode) order, mergeKey);

            ArrayNode merged;
            if (originalList != null && patchList == null) {
                merged = (ArrayNode) originalList;
            } else if (originalList == null && patchList != null) {
                merged = (ArrayNode) removeDirectives(patchList);
            } else if (originalList != null) {
                merged = mergeSliceHandler((ArrayNode) originalList, (ArrayNode) patchList, elementType(type, key),
                        otherStrategy(field), mergeKey, false);
            } else {
                continue;
            }
            patch.remove(key);
            if (merged.isEmpty()) {
                original.set(key, merged);
                continue;
            }
            boolean maps = elementIsMap((ArrayNode) originalList, (ArrayNode) patchList);
            String key2 = maps ? mergeKey : null;
            List<JsonNode> patchItems = new ArrayList<>();
            List<JsonNode> serverOnly = new ArrayList<>();
            partition(merged, (ArrayNode) order, key2, patchItems, serverOnly);
            original.set(key, normalizeElementOrder(patchItems, serverOnly, list(order), list(originalList), key2));
        }
    }

    private static void validateAgainstOrder(ArrayNode patchList, ArrayNode order, String mergeKey) {
        if (patchList == null || order.isEmpty() || patchList.isEmpty()) {
            return;
        }
        List<JsonNode> nonDelete = mergeKey != null ? withoutDeletes(list(patchList)) : list(patchList);
        int p = 0;
        int o = 0;
        while (p < nonDelete.size() && o < order.size()) {
            JsonNode item = nonDelete.get(p);
            if (item.isObject() && item.has(DIRECTIVE)) {
                p++;
                continue;
            }
            if (sameKey(item, order.get(o), mergeKey)) {
                p++;
            }
            o++;
        }
        if (p < nonDelete.size() && o >= order.size()) {
            throw ApiException.badRequest("The order in patch list:\n" + patchList
                    + "\n doesn't match $setElementOrder list:\n" + order + "\n");
        }
    }

    private static boolean sameKey(JsonNode a, JsonNode b, String mergeKey) {
        if (mergeKey == null || mergeKey.isEmpty()) {
            return Values.equal(a, b);
        }
        if (!a.isObject() || !b.isObject()) {
            throw ApiException.badRequest("expected a map, but received " + (a.isObject() ? b : a));
        }
        JsonNode ka = requireKey(a, mergeKey);
        JsonNode kb = requireKey(b, mergeKey);
        return Values.equal(ka, kb);
    }

    private static JsonNode requireKey(JsonNode item, String mergeKey) {
        JsonNode v = item.get(mergeKey);
        if (v == null) {
            throw ApiException.badRequest("map: " + item + " does not contain declared merge key: " + mergeKey);
        }
        return v;
    }

    private static ArrayNode mergeSliceHandler(ArrayNode original, ArrayNode patch, Type element, String strategy,
            String mergeKey, boolean isDeleteList) {
        if (strategy.equals("merge") || isDeleteList) {
            return mergeSlice(original, patch, element, mergeKey, isDeleteList);
        }
        return patch;
    }

    private static ArrayNode mergeSlice(ArrayNode original, ArrayNode patch, Type element, String mergeKey,
            boolean isDeleteList) {
        if (original.isEmpty() && patch.isEmpty()) {
            return original;
        }
        boolean maps = elementIsMap(original, patch);
        List<JsonNode> merged;
        List<JsonNode> serverOrder;
        List<JsonNode> patchItemsInOrder;
        String orderKey = maps ? mergeKey : null;
        if (!maps) {
            if (isDeleteList) {
                List<JsonNode> out = new ArrayList<>();
                for (JsonNode v : original) {
                    if (list(patch).stream().noneMatch(d -> Values.equal(d, v))) {
                        out.add(v);
                    }
                }
                return array(out);
            }
            merged = new ArrayList<>();
            for (JsonNode v : concat(list(original), list(patch))) {
                if (merged.stream().noneMatch(m -> Values.equal(m, v))) {
                    merged.add(v);
                }
            }
            serverOrder = list(original);
            patchItemsInOrder = list(patch);
        } else {
            if (mergeKey == null || mergeKey.isEmpty()) {
                throw ApiException.badRequest("cannot merge lists without merge key for " + element);
            }
            List<JsonNode> orig = list(original);
            List<JsonNode> rest = new ArrayList<>();
            boolean replace = false;
            for (JsonNode v : patch) {
                JsonNode d = v.get(DIRECTIVE);
                if (d == null) {
                    rest.add(v);
                    continue;
                }
                String directive = d.isString() ? d.asString() : d.toString();
                switch (directive) {
                    case "delete" -> {
                        JsonNode keyValue = requireKey(v, mergeKey);
                        orig.removeIf(o -> o.isObject() && Values.equal(o.get(mergeKey), keyValue));
                    }
                    case "replace" -> replace = true;
                    case "merge" -> throw ApiException.badRequest("merging lists cannot yet be specified in the patch");
                    default -> throw ApiException.badRequest("unknown patch type: " + directive + " in map: " + v);
                }
            }
            if (replace) {
                orig = rest;
                rest = List.of();
            }
            // the live order after deletions, before patch items are appended (Go appends to a local slice header)
            List<JsonNode> liveOrder = new ArrayList<>(orig);
            for (JsonNode v : rest) {
                JsonNode keyValue = requireKey(v, mergeKey);
                int found = -1;
                for (int i = 0; i < orig.size(); i++) {
                    if (!orig.get(i).isObject()) {
                        throw ApiException.badRequest("value for key " + i + " is not a map");
                    }
                    JsonNode candidate = orig.get(i).get(mergeKey);
                    if (candidate != null && Values.equal(candidate, keyValue)) {
                        found = i;
                        break;
                    }
                }
                if (found >= 0) {
                    orig.set(found, mergeMap((ObjectNode) orig.get(found), (ObjectNode) v, element));
                } else {
                    orig.add(removeDirectives(Values.withoutNulls(v)));
                }
            }
            merged = orig;
            serverOrder = liveOrder;
            patchItemsInOrder = rest;
        }
        List<JsonNode> patchItems = new ArrayList<>();
        List<JsonNode> serverOnly = new ArrayList<>();
        partition(array(merged), array(patchItemsInOrder), orderKey, patchItems, serverOnly);
        return normalizeElementOrder(patchItems, serverOnly, patchItemsInOrder, serverOrder, orderKey);
    }

    private static List<JsonNode> withoutDeletes(List<JsonNode> items) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode v : items) {
            if (!v.isObject()) {
                throw ApiException.badRequest("expected a map, but received " + v);
            }
            JsonNode d = v.get(DIRECTIVE);
            if (d == null || !d.isString() || !d.asString().equals("delete")) {
                out.add(v);
            }
        }
        return out;
    }

    /** Splits {@code merged} into items present in {@code by} (by merge key, or value) and server-only items. */
    private static void partition(ArrayNode merged, ArrayNode by, String mergeKey, List<JsonNode> patchItems,
            List<JsonNode> serverOnly) {
        for (JsonNode v : merged) {
            boolean present = false;
            for (JsonNode b : by) {
                if (mergeKey == null) {
                    present = Values.equal(v, b);
                } else {
                    if (!v.isObject()) {
                        throw ApiException.badRequest("expected a map, but received " + v);
                    }
                    JsonNode kv = requireKey(v, mergeKey);
                    present = b.isObject() && b.get(mergeKey) != null && Values.equal(b.get(mergeKey), kv);
                }
                if (present) {
                    break;
                }
            }
            (present ? patchItems : serverOnly).add(v);
        }
    }

    /**
     * Orders patch items by {@code patchOrder} and server-only items by {@code serverOrder}, then interleaves them:
     * a server-only item goes before a patch item when the live list had it first (apimachinery
     * {@code normalizeElementOrder}/{@code mergeSortedSlice}).
     */
    private static ArrayNode normalizeElementOrder(List<JsonNode> patch, List<JsonNode> serverOnly,
            List<JsonNode> patchOrder, List<JsonNode> serverOrder, String mergeKey) {
        List<JsonNode> p = sortByOrder(patch, patchOrder, mergeKey);
        List<JsonNode> s = sortByOrder(serverOnly, serverOrder, mergeKey);
        List<JsonNode> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < s.size() || j < p.size()) {
            if (i >= s.size()) {
                out.add(p.get(j++));
            } else if (j >= p.size()) {
                out.add(s.get(i++));
            } else {
                int li = index(serverOrder, s.get(i), mergeKey);
                int ri = index(serverOrder, p.get(j), mergeKey);
                if (li >= 0 && ri >= 0 && li < ri) {
                    out.add(s.get(i++));
                } else {
                    out.add(p.get(j++));
                }
            }
        }
        return array(out);
    }

    private static List<JsonNode> sortByOrder(List<JsonNode> items, List<JsonNode> order, String mergeKey) {
        List<JsonNode> keep = new ArrayList<>();
        List<JsonNode> deletes = new ArrayList<>();
        for (JsonNode v : items) {
            JsonNode d = mergeKey != null && v.isObject() ? v.get(DIRECTIVE) : null;
            (d != null && d.isString() && d.asString().equals("delete") ? deletes : keep).add(v);
        }
        List<JsonNode> sorted = new ArrayList<>(keep);
        sorted.sort(Comparator.comparingInt(v -> {
            int idx = index(order, v, mergeKey);
            return idx < 0 ? Integer.MAX_VALUE : idx;
        }));
        sorted.addAll(deletes);
        return sorted;
    }

    private static int index(List<JsonNode> list, JsonNode item, String mergeKey) {
        JsonNode key = mergeKey == null ? item : item.get(mergeKey);
        for (int i = 0; i < list.size(); i++) {
            JsonNode candidate = mergeKey == null ? list.get(i) : list.get(i).get(mergeKey);
            if (Values.equal(key, candidate)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the lists hold objects; rejects lists of lists (422) and mixed element kinds (400). */
    private static boolean elementIsMap(ArrayNode a, ArrayNode b) {
        Integer kind = null;
        for (ArrayNode l : new ArrayNode[] {a, b}) {
            if (l == null) {
                continue;
            }
            for (JsonNode v : l) {
                int c = category(v);
                if (kind == null) {
                    if (v.isArray()) {
                        throw PatchErrors.unprocessable("lists of lists are not supported");
                    }
                    kind = c;
                } else if (kind != c) {
                    throw ApiException.badRequest("list element types are not identical: " + a + ", " + b);
                }
            }
        }
        return kind != null && kind == 1;
    }

    /** Go's reflect kind of a decoded JSON value: object, array, string, number, bool, null. */
    private static int category(JsonNode v) {
        if (v.isObject()) {
            return 1;
        }
        if (v.isArray()) {
            return 2;
        }
        if (v.isString()) {
            return 3;
        }
        if (v.isNumber()) {
            return 4;
        }
        if (v.isBoolean()) {
            return 5;
        }
        return 6;
    }

    /** The value without directive-carrying objects; null when {@code v} itself is one. */
    static JsonNode removeDirectives(JsonNode v) {
        if (v.isObject()) {
            if (v.has(DIRECTIVE)) {
                return null;
            }
            ObjectNode o = (ObjectNode) v;
            for (String k : new ArrayList<>(o.propertyNames())) {
                JsonNode c = removeDirectives(o.get(k));
                if (c == null) {
                    o.remove(k);
                } else {
                    o.set(k, c);
                }
            }
            return o;
        }
        if (v.isArray()) {
            ArrayNode out = Values.NODES.arrayNode();
            for (JsonNode e : v) {
                JsonNode c = removeDirectives(e);
                if (c != null) {
                    out.add(c);
                }
            }
            return out;
        }
        return v;
    }

    private static List<JsonNode> list(JsonNode a) {
        List<JsonNode> out = new ArrayList<>();
        if (a != null) {
            a.forEach(out::add);
        }
        return out;
    }

    private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
        List<JsonNode> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static ArrayNode array(List<JsonNode> items) {
        ArrayNode out = Values.NODES.arrayNode();
        items.forEach(out::add);
        return out;
    }
}
