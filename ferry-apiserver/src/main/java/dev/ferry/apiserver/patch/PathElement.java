package dev.ferry.apiserver.patch;

import dev.ferry.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One step of a field path, as structured-merge-diff's {@code fieldpath.PathElement}: a struct/map field, an item of
 * an associative list selected by its key fields, an item of a set selected by value, or (unused by the served
 * schemas) a list index. Ordered field &lt; key &lt; value &lt; index, as upstream sorts them in managedFields.
 */
sealed interface PathElement extends Comparable<PathElement> {

    /** The FieldsV1 member name: {@code f:name}, {@code k:{"port":80,"protocol":"TCP"}}, {@code v:"x"}, {@code i:0}. */
    String serialize();

    /** The human form used in conflict messages: {@code .name}, {@code [port=80,protocol="TCP"]}, {@code [=x]}. */
    String display();

    int rank();

    @Override
    default int compareTo(PathElement o) {
        if (rank() != o.rank()) {
            return Integer.compare(rank(), o.rank());
        }
        return switch (this) {
            case FieldName f -> f.name().compareTo(((FieldName) o).name());
            case Key k -> k.compareKeys((Key) o);
            case Value v -> Values.compare(v.value(), ((Value) o).value());
            case Index i -> Integer.compare(i.index(), ((Index) o).index());
        };
    }

    record FieldName(String name) implements PathElement {
        @Override
        public String serialize() {
            return "f:" + name;
        }

        @Override
        public String display() {
            return "." + name;
        }

        @Override
        public int rank() {
            return 0;
        }
    }

    /**
     * Key fields sorted by name; equality and hashing go through the canonical JSON of the values so that 80 (int)
     * and 80 (big integer) select the same item.
     */
    record Key(List<Map.Entry<String, JsonNode>> fields, String canonical) implements PathElement {
        static Key of(List<Map.Entry<String, JsonNode>> unsorted) {
            List<Map.Entry<String, JsonNode>> sorted = new ArrayList<>(unsorted);
            sorted.sort(Map.Entry.comparingByKey());
            ObjectNode o = Values.object();
            for (Map.Entry<String, JsonNode> e : sorted) {
                o.set(e.getKey(), Values.normalise(e.getValue()));
            }
            return new Key(List.copyOf(sorted), Json.MAPPER.writeValueAsString(o));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.canonical.equals(canonical);
        }

        @Override
        public int hashCode() {
            return canonical.hashCode();
        }

        @Override
        public String serialize() {
            return "k:" + canonical;
        }

        @Override
        public String display() {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : fields) {
                parts.add(e.getKey() + "=" + Values.toPathString(e.getValue()));
            }
            return "[" + String.join(",", parts) + "]";
        }

        @Override
        public int rank() {
            return 1;
        }

        int compareKeys(Key o) {
            for (int i = 0; i < Math.min(fields.size(), o.fields.size()); i++) {
                int c = fields.get(i).getKey().compareTo(o.fields.get(i).getKey());
                if (c != 0) {
                    return c;
                }
                c = Values.compare(fields.get(i).getValue(), o.fields.get(i).getValue());
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(fields.size(), o.fields.size());
        }
    }

    record Value(JsonNode value, String canonical) implements PathElement {
        static Value of(JsonNode v) {
            return new Value(v, Values.canonical(v));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Value v && v.canonical.equals(canonical);
        }

        @Override
        public int hashCode() {
            return canonical.hashCode();
        }

        @Override
        public String serialize() {
            return "v:" + canonical;
        }

        @Override
        public String display() {
            return "[=" + Values.toPathString(value) + "]";
        }

        @Override
        public int rank() {
            return 2;
        }
    }

    record Index(int index) implements PathElement {
        @Override
        public String serialize() {
            return "i:" + index;
        }

        @Override
        public String display() {
            return "[" + index + "]";
        }

        @Override
        public int rank() {
            return 3;
        }
    }

    /** Parses a FieldsV1 member name; throws IllegalArgumentException when malformed. */
    static PathElement parse(String s) {
        if (s.length() < 2 || s.charAt(1) != ':') {
            throw new IllegalArgumentException("bad path element " + s);
        }
        String body = s.substring(2);
        return switch (s.charAt(0)) {
            case 'f' -> new FieldName(body);
            case 'v' -> Value.of(Json.MAPPER.readTree(body));
            case 'i' -> new Index(Integer.parseInt(body));
            case 'k' -> {
                JsonNode o = Json.MAPPER.readTree(body);
                if (!o.isObject()) {
                    throw new IllegalArgumentException("bad key " + s);
                }
                List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
                for (Map.Entry<String, JsonNode> e : o.properties()) {
                    fields.add(Map.entry(e.getKey(), e.getValue()));
                }
                yield Key.of(fields);
            }
            default -> throw new IllegalArgumentException("bad path element " + s);
        };
    }

    static String display(List<PathElement> path) {
        StringBuilder s = new StringBuilder();
        path.forEach(pe -> s.append(pe.display()));
        return s.toString();
    }
}
