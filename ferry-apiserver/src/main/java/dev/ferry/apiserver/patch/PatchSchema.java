package dev.ferry.apiserver.patch;

import dev.ferry.api.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The shape of every served kind as the two structured patch flavours need it, from upstream's Go types (see
 * {@link KubeSchemaText}).
 *
 * <p>Per field it records the strategic-merge-patch tags ({@code patchStrategy} "merge", "retainKeys" or both, and
 * {@code patchMergeKey}) and, per list, how server-side apply identifies items: {@link ListKind#MAP} by the
 * {@code +listMapKey} fields (a missing key field takes its {@code +default}, so a Service port without protocol is
 * keyed {@code {"port":80,"protocol":"TCP"}}), {@link ListKind#SET} by value, {@link ListKind#ATOMIC} as one value. A
 * list without {@code +listType} follows its patch strategy as upstream's OpenAPI conversion does (merge with a key:
 * map; merge without: set; otherwise atomic). Fields a kind does not declare get {@link Deduced} semantics: objects
 * merge key by key, lists are atomic.
 *
 * <p>Immutable and thread-safe.
 */
public final class PatchSchema {
    private static final PatchSchema KUBE = parse(KubeSchemaText.TYPES, Map.ofEntries(
            Map.entry("Pod", "core.Pod"), Map.entry("Service", "core.Service"),
            Map.entry("Endpoints", "core.Endpoints"), Map.entry("Namespace", "core.Namespace"),
            Map.entry("Node", "core.Node"), Map.entry("Event", "core.Event"),
            Map.entry("Deployment", "apps.Deployment"), Map.entry("ReplicaSet", "apps.ReplicaSet"),
            Map.entry("EndpointSlice", "discovery.EndpointSlice"), Map.entry("Scale", "autoscaling.Scale"),
            Map.entry("Lease", "coordination.Lease")));

    private final Map<String, Struct> kinds;

    private PatchSchema(Map<String, Struct> kinds) {
        this.kinds = Map.copyOf(kinds);
    }

    /** The schema of the kinds Ferry serves (Pod, Service, Endpoints, Namespace, Node, Event, Deployment, ...). */
    public static PatchSchema kube() {
        return KUBE;
    }

    /** The root type of {@code kind}; unknown kinds are {@link Deduced}. */
    public Type root(String kind) {
        Struct s = kinds.get(kind);
        return s == null ? Deduced.INSTANCE : s;
    }

    public boolean knows(String kind) {
        return kinds.containsKey(kind);
    }

    /**
     * The field at a dotted path of JSON field names, descending through list elements implicitly, e.g.
     * {@code field("Deployment", "spec.template.spec.containers.ports")}.
     */
    public Optional<Field> field(String kind, String dottedPath) {
        Type t = root(kind);
        Field found = null;
        for (String name : dottedPath.split("\\.")) {
            while (t instanceof ListOf l) {
                t = l.element();
            }
            if (!(t instanceof Struct s) || s.field(name) == null) {
                return Optional.empty();
            }
            found = s.field(name);
            t = found.type();
        }
        return Optional.ofNullable(found);
    }

    /** A node type. */
    public sealed interface Type permits Leaf, Deduced, Struct, MapOf, ListOf {
    }

    /** An atomic value: a scalar, or an untyped blob (RawExtension, FieldsV1) owned and replaced as a whole. */
    public enum Leaf implements Type {
        SCALAR, UNTYPED
    }

    /** A field the schema does not know: objects are granular maps of deduced values, lists are atomic. */
    public enum Deduced implements Type {
        INSTANCE
    }

    /** Server-side apply list semantics ({@code x-kubernetes-list-type}). */
    public enum ListKind {
        ATOMIC, SET, MAP
    }

    /** A list; {@code keys} are the map keys for {@link ListKind#MAP}. */
    public record ListOf(Type element, ListKind kind, List<String> keys) implements Type {
    }

    /** A map with arbitrary keys (labels, resource lists); atomic maps are replaced and owned as a whole. */
    public record MapOf(Type element, boolean atomic) implements Type {
    }

    /**
     * One struct field.
     *
     * @param valueStruct  a non-pointer Go struct: typed objects always carry it, as {@code {}} when empty
     * @param strategies   the {@code patchStrategy} tag split on ",": "merge", "retainKeys", "replace"; empty if none
     * @param mergeKey     the {@code patchMergeKey} tag, or null
     * @param defaultValue the {@code +default} of a field used as a list-map key, or null
     */
    public record Field(String name, Type type, boolean valueStruct, List<String> strategies, String mergeKey,
            JsonNode defaultValue) {

        /** Strategic merge patch merges (rather than replaces) this list. */
        public boolean mergesList() {
            return strategies.contains("merge");
        }
    }

    /** A Go struct; {@code atomic} for {@code +structType=atomic}. */
    public static final class Struct implements Type {
        private final String name;
        private final boolean atomic;
        private final Map<String, Field> fields = new LinkedHashMap<>();

        Struct(String name, boolean atomic) {
            this.name = name;
            this.atomic = atomic;
        }

        public String name() {
            return name;
        }

        public boolean atomic() {
            return atomic;
        }

        /** The declared field, or null. */
        public Field field(String jsonName) {
            return fields.get(jsonName);
        }

        public Map<String, Field> fields() {
            return Collections.unmodifiableMap(fields);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The type of child {@code key} of an object typed {@code t}. */
    static Type childType(Type t, String key) {
        if (t instanceof Struct s) {
            Field f = s.field(key);
            return f == null ? Deduced.INSTANCE : f.type();
        }
        if (t instanceof MapOf m) {
            return m.element();
        }
        return Deduced.INSTANCE;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Table parser. Line: "pkg.Name[!]: field:TYPE ...", TYPE = S | U | pkg.Name[^] | {TYPE}[!] | [TYPE], followed by
    // annotations @map(k,...) | @set | @atomic | ~strategy[,strategy][(mergeKey)] | =jsonDefault.

    static PatchSchema parse(String text, Map<String, String> kindToType) {
        Map<String, Struct> byName = new HashMap<>();
        List<String[]> bodies = new ArrayList<>();
        for (String line : text.strip().split("\n")) {
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(": ");
            String head = colon < 0 ? line.substring(0, line.length() - 1) : line.substring(0, colon);
            boolean atomic = head.endsWith("!");
            String name = atomic ? head.substring(0, head.length() - 1) : head;
            byName.put(name, new Struct(name, atomic));
            bodies.add(new String[] {name, colon < 0 ? "" : line.substring(colon + 2)});
        }
        for (String[] body : bodies) {
            Struct s = byName.get(body[0]);
            for (String token : body[1].trim().split("\\s+")) {
                if (token.isEmpty()) {
                    continue;
                }
                int c = token.indexOf(':');
                String fieldName = token.substring(0, c);
                Cursor cur = new Cursor(token, c + 1);
                Field f = parseField(fieldName, cur, byName);
                s.fields.put(fieldName, f);
            }
        }
        Map<String, Struct> kinds = new HashMap<>();
        kindToType.forEach((kind, type) -> kinds.put(kind, requireStruct(byName, type)));
        return new PatchSchema(kinds);
    }

    private static Struct requireStruct(Map<String, Struct> byName, String name) {
        Struct s = byName.get(name);
        if (s == null) {
            throw new IllegalStateException("patch schema: unknown type " + name);
        }
        return s;
    }

    private static Field parseField(String name, Cursor cur, Map<String, Struct> byName) {
        Type type = parseType(cur, byName);
        boolean valueStruct = cur.eat('^');
        String listAnnotation = null;
        List<String> listKeys = List.of();
        List<String> strategies = List.of();
        String mergeKey = null;
        JsonNode defaultValue = null;
        while (!cur.done()) {
            char ch = cur.next();
            switch (ch) {
                case '@' -> {
                    listAnnotation = cur.word();
                    if (cur.eat('(')) {
                        listKeys = List.of(cur.until(')').split(","));
                    }
                }
                case '~' -> {
                    strategies = List.of(cur.wordWithCommas().split(","));
                    if (cur.eat('(')) {
                        mergeKey = cur.until(')');
                    }
                }
                case '=' -> defaultValue = Json.MAPPER.readTree(cur.rest());
                default -> throw new IllegalStateException("patch schema: bad token " + cur);
            }
        }
        if (type instanceof ListOf l) {
            ListKind kind;
            List<String> keys = List.of();
            if (listAnnotation != null) {
                kind = ListKind.valueOf(listAnnotation.toUpperCase(java.util.Locale.ROOT));
                keys = listKeys;
            } else if (strategies.contains("merge")) {
                boolean ofStructs = l.element() instanceof Struct;
                kind = ofStructs && mergeKey != null ? ListKind.MAP : ofStructs ? ListKind.ATOMIC : ListKind.SET;
                keys = kind == ListKind.MAP ? List.of(mergeKey) : List.of();
            } else {
                kind = ListKind.ATOMIC;
            }
            type = new ListOf(l.element(), kind, keys);
        }
        return new Field(name, type, valueStruct, strategies, mergeKey, defaultValue);
    }

    private static Type parseType(Cursor cur, Map<String, Struct> byName) {
        if (cur.eat('{')) {
            Type element = parseType(cur, byName);
            cur.expect('}');
            return new MapOf(element, cur.eat('!'));
        }
        if (cur.eat('[')) {
            Type element = parseType(cur, byName);
            cur.expect(']');
            return new ListOf(element, ListKind.ATOMIC, List.of());
        }
        String word = cur.typeName();
        return switch (word) {
            case "S" -> Leaf.SCALAR;
            case "U" -> Leaf.UNTYPED;
            default -> requireStruct(byName, word);
        };
    }

    /** A reading position in one token of the table. */
    private static final class Cursor {
        private final String s;
        private int i;

        Cursor(String s, int i) {
            this.s = s;
            this.i = i;
        }

        boolean done() {
            return i >= s.length();
        }

        char next() {
            return s.charAt(i++);
        }

        boolean eat(char c) {
            if (!done() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        void expect(char c) {
            if (!eat(c)) {
                throw new IllegalStateException("patch schema: expected '" + c + "' in " + s);
            }
        }

        String typeName() {
            int start = i;
            while (!done() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            return s.substring(start, i);
        }

        String word() {
            int start = i;
            while (!done() && Character.isLetterOrDigit(s.charAt(i))) {
                i++;
            }
            return s.substring(start, i);
        }

        String wordWithCommas() {
            int start = i;
            while (!done() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == ',')) {
                i++;
            }
            return s.substring(start, i);
        }

        String until(char c) {
            int end = s.indexOf(c, i);
            String out = s.substring(i, end);
            i = end + 1;
            return out;
        }

        String rest() {
            String out = s.substring(i);
            i = s.length();
            return out;
        }

        @Override
        public String toString() {
            return s + "@" + i;
        }
    }
}
