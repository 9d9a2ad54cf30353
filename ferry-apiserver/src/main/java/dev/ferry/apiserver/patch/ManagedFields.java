package dev.ferry.apiserver.patch;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The decoded {@code metadata.managedFields} of one object: per manager, the set of fields it owns, the API version
 * the set is expressed in, whether it came from an apply, and when it last changed something. Mutable working copy;
 * {@link #encode()} renders upstream's wire form, sorted as apimachinery's {@code sortEncodedManagedFields} (Apply
 * before Update, then by time, manager, apiVersion, subresource).
 */
final class ManagedFields {

    /**
     * A manager's identity, as apimachinery's {@code BuildManagerIdentifier}: appliers are identified by name (and
     * subresource) alone, updaters also by API version, so one client updating through two versions has two entries.
     */
    record Manager(String name, boolean applied, String apiVersion, String subresource) {
        static Manager applier(String name) {
            return new Manager(name, true, null, null);
        }

        static Manager updater(String name, String apiVersion, String subresource) {
            return new Manager(name, false, apiVersion, subresource == null || subresource.isEmpty() ? null
                    : subresource);
        }

        String operation() {
            return applied ? "Apply" : "Update";
        }

        /** How conflict messages name the manager (apimachinery {@code printManager}). */
        String print() {
            String s = Values.toPathString(Values.NODES.stringNode(name));
            if (subresource != null) {
                s += " with subresource " + Values.toPathString(Values.NODES.stringNode(subresource));
            }
            if (!applied) {
                s += " using " + apiVersion;
            }
            return s;
        }

        /** The identifier JSON upstream keys managers by; orders conflict groups. */
        String identifier() {
            ObjectNode o = Values.object();
            o.put("manager", name);
            o.put("operation", operation());
            if (!applied) {
                o.put("apiVersion", apiVersion);
            }
            if (subresource != null) {
                o.put("subresource", subresource);
            }
            return o.toString();
        }
    }

    /** One manager's ownership; {@code time} may be null (entries written without one). */
    record Entry(FieldSet set, String apiVersion, Instant time) {
    }

    private final Map<Manager, Entry> entries;

    private ManagedFields(Map<Manager, Entry> entries) {
        this.entries = entries;
    }

    static ManagedFields empty() {
        return new ManagedFields(new LinkedHashMap<>());
    }

    ManagedFields copy() {
        return new ManagedFields(new LinkedHashMap<>(entries));
    }

    Map<Manager, Entry> entries() {
        return entries;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The object's managedFields (absent or null: empty); throws IllegalArgumentException when malformed. */
    static ManagedFields decode(JsonNode obj) {
        JsonNode list = obj == null ? null : obj.path("metadata").get("managedFields");
        ManagedFields out = empty();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("metadata.managedFields must be a list");
        }
        int i = 0;
        for (JsonNode e : list) {
            String operation = e.path("operation").asString("");
            if (!operation.equals("Apply") && !operation.equals("Update")) {
                throw new IllegalArgumentException("operation must be `Apply` or `Update`");
            }
            String apiVersion = e.path("apiVersion").asString("");
            if (apiVersion.isEmpty()) {
                throw new IllegalArgumentException("apiVersion must not be empty");
            }
            String fieldsType = e.path("fieldsType").asString("");
            if (fieldsType.isEmpty()) {
                throw new IllegalArgumentException("missing fieldsType in managed fields entry " + i);
            }
            if (!fieldsType.equals("FieldsV1")) {
                throw new IllegalArgumentException("invalid fieldsType \"" + fieldsType
                        + "\" in managed fields entry " + i);
            }
            String name = e.path("manager").asString("");
            String subresource = e.path("subresource").asString("");
            Manager m = operation.equals("Apply") ? new Manager(name, true, null,
                    subresource.isEmpty() ? null : subresource) : Manager.updater(name, apiVersion, subresource);
            Instant time = null;
            JsonNode t = e.get("time");
            if (t != null && !t.isNull()) {
                try {
                    time = Instant.parse(t.asString());
                } catch (DateTimeParseException ex) {
                    throw new IllegalArgumentException("bad time in managed fields entry " + i);
                }
            }
            out.entries.put(m, new Entry(FieldSet.fromFieldsV1(e.get("fieldsV1")), apiVersion, time));
            i++;
        }
        return out;
    }

    /** The wire form, or null when there are no entries (managedFields is then omitted). */
    ArrayNode encode() {
        if (entries.isEmpty()) {
            return null;
        }
        List<Map.Entry<Manager, Entry>> sorted = new ArrayList<>(entries.entrySet());
        sorted.sort(Comparator.<Map.Entry<Manager, Entry>, String>comparing(e -> e.getKey().operation())
                .thenComparingLong(e -> e.getValue().time() == null ? 0 : e.getValue().time().getEpochSecond())
                .thenComparing(e -> e.getKey().name())
                .thenComparing(e -> e.getValue().apiVersion())
                .thenComparing(e -> e.getKey().subresource() == null ? "" : e.getKey().subresource()));
        ArrayNode out = Values.NODES.arrayNode();
        for (Map.Entry<Manager, Entry> e : sorted) {
            ObjectNode o = out.addObject();
            o.put("manager", e.getKey().name());
            o.put("operation", e.getKey().operation());
            o.put("apiVersion", e.getValue().apiVersion());
            if (e.getValue().time() != null) {
                o.put("time", e.getValue().time().truncatedTo(ChronoUnit.SECONDS).toString());
            }
            o.put("fieldsType", "FieldsV1");
            o.set("fieldsV1", e.getValue().set().toFieldsV1());
            if (e.getKey().subresource() != null) {
                o.put("subresource", e.getKey().subresource());
            }
        }
        return out;
    }

    /** Writes {@link #encode()} into {@code obj.metadata.managedFields} (removing it when empty). */
    void writeTo(ObjectNode obj) {
        ArrayNode encoded = encode();
        JsonNode meta = obj.get("metadata");
        if (encoded == null) {
            if (meta instanceof ObjectNode m) {
                m.remove("managedFields");
            }
            return;
        }
        ObjectNode m = meta instanceof ObjectNode existing ? existing : obj.putObject("metadata");
        m.set("managedFields", encoded);
    }

    /**
     * Merges the oldest update entries into "ancient-changes" buckets (one per API version) until at most
     * {@code max} update entries remain (apimachinery {@code capManagersManager}).
     */
    void capUpdaters(int max) {
        List<Manager> updaters = new ArrayList<>(entries.keySet().stream().filter(m -> !m.applied()).toList());
        if (updaters.size() <= max) {
            return;
        }
        updaters.sort(Comparator.<Manager>comparingLong(m -> {
            Instant t = entries.get(m).time();
            return t == null ? 0 : t.getEpochSecond();
        }).thenComparing(Manager::identifier));
        Map<String, Manager> firstOfVersion = new LinkedHashMap<>();
        int length = updaters.size();
        for (int i = 0; i < updaters.size() && length > max; i++) {
            Manager m = updaters.get(i);
            Entry e = entries.get(m);
            Manager bucket = Manager.updater("ancient-changes", e.apiVersion(), null);
            Manager first = firstOfVersion.get(e.apiVersion());
            if (first == null) {
                firstOfVersion.put(e.apiVersion(), m);
                continue;
            }
            if (!entries.containsKey(bucket)) {
                entries.put(bucket, entries.remove(first));
            }
            entries.put(bucket, new Entry(e.set().union(entries.get(bucket).set()), e.apiVersion(), e.time()));
            entries.remove(m);
            length--;
        }
    }
}
