package dev.ferry.apiserver.patch;

import dev.ferry.apiserver.ApiException;
import dev.ferry.apiserver.patch.ManagedFields.Entry;
import dev.ferry.apiserver.patch.ManagedFields.Manager;
import dev.ferry.apiserver.patch.PatchSchema.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Server-side apply and managed-fields tracking, after apimachinery's {@code managedfields} stack over
 * structured-merge-diff.
 *
 * <h2>Model</h2>
 * Every object carries {@code metadata.managedFields}: per manager, the set of fields it owns (FieldsV1: {@code f:}
 * fields, {@code k:{...}} list items by their {@link PatchSchema} keys, {@code v:} set elements, {@code ".": {}} for
 * an owned parent). Appliers ({@code operation: Apply}) own exactly the fields of their last applied configuration.
 * Updaters ({@code operation: Update}, one entry per manager and API version) own the fields their writes changed.
 *
 * <h2>Apply</h2>
 * <ol>
 *   <li>the configuration is merged into the live object ({@link Typed#merge});</li>
 *   <li>fields the applier owned before and no longer applies are removed, unless another manager owns them;</li>
 *   <li>a changed value of a field another manager owns is a conflict (409, unless {@code force}, which moves the
 *       field to the applier); a removed field leaves every manager;</li>
 *   <li>the applier's entry becomes the configuration's field set (less apiVersion, kind, and metadata name,
 *       namespace, uid, ... which nobody owns), timestamped when the object changed.</li>
 * </ol>
 * Quirks kept from upstream: the first apply to an object without managedFields records its existing fields under
 * {@code before-first-apply}; manager {@code kubectl} may take fields that still match the
 * {@code kubectl.kubernetes.io/last-applied-configuration} annotation without conflict, and keeps that annotation in
 * sync; more than 10 update entries are folded into {@code ancient-changes}. A metadata-only apply (kubectl's second
 * {@code kubectl-last-applied} apply) therefore leaves the spec alone: it owned no spec fields.
 *
 * <p>Pure: no I/O, time is a parameter. Inputs are not modified except {@code newObj} in {@link #recordUpdate}.
 * Status fields are not reset here: the resource strategy does that after apply, as upstream's reset fields.
 */
public final class ServerSideApply {
    /** The annotation kubectl client-side apply keeps its last configuration in. */
    public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private static final int MAX_UPDATE_MANAGERS = 10;
    private static final Manager CURRENT_OPERATION = Manager.updater("current-operation", "", null);
    private static final List<List<PathElement>> STRIPPED = List.of(
            path("apiVersion"), path("kind"), path("metadata"), path("metadata", "name"),
            path("metadata", "namespace"), path("metadata", "creationTimestamp"), path("metadata", "selfLink"),
            path("metadata", "uid"), path("metadata", "clusterName"), path("metadata", "generation"),
            path("metadata", "managedFields"), path("metadata", "resourceVersion"));

    private final PatchSchema schema;

    public ServerSideApply(PatchSchema schema) {
        this.schema = schema;
    }

    /** Apply for the served kinds ({@link PatchSchema#kube()}). */
    public static ServerSideApply kube() {
        return new ServerSideApply(PatchSchema.kube());
    }

    private static List<PathElement> path(String... names) {
        List<PathElement> out = new ArrayList<>();
        for (String n : names) {
            out.add(new PathElement.FieldName(n));
        }
        return out;
    }

    /**
     * Applies {@code applied} for {@code manager}.
     *
     * @param live    the stored object, or null when it does not exist (the caller then creates the result)
     * @param applied the configuration: apiVersion, kind and the fields the manager wants to own
     * @return the new object with its managedFields; equal to {@code live} (bar managedFields) when nothing changed
     * @throws ApiException 400 for a configuration with managedFields, without apiVersion/kind or of another
     *                      type than {@code live}, or with list items that cannot be keyed; 409 Conflict for fields
     *                      owned by another manager (unless {@code force})
     */
    public ObjectNode apply(ObjectNode live, ObjectNode applied, String manager, boolean force, Instant now) {
        try {
            return applyOrConflict(live, applied, manager, force, now);
        } catch (ApplyConflict c) {
            throw PatchErrors.applyConflict(c);
        }
    }

    /** {@link #apply} with conflicts reported as {@link ApplyConflict}. */
    ObjectNode applyOrConflict(ObjectNode live, ObjectNode applied, String manager, boolean force, Instant now) {
        if (manager == null || manager.isEmpty()) {
            throw ApiException.badRequest("fieldManager is required for apply patch");
        }
        JsonNode mf = applied.path("metadata").get("managedFields");
        if (mf != null && !mf.isNull()) {
            throw ApiException.badRequest("metadata.managedFields must be nil");
        }
        String apiVersion = applied.path("apiVersion").asString("");
        String kind = applied.path("kind").asString("");
        if (apiVersion.isEmpty() || kind.isEmpty() || live != null
                && (!apiVersion.equals(live.path("apiVersion").asString(apiVersion))
                        || !kind.equals(live.path("kind").asString(kind)))) {
            throw ApiException.badRequest("invalid object type: " + gvkString(apiVersion, kind));
        }
        Type type = schema.root(kind);
        ObjectNode liveObj = live == null ? Values.object() : withoutManagedFields(live);
        ManagedFields managed;
        try {
            managed = ManagedFields.decode(live);
        } catch (IllegalArgumentException e) {
            throw ApiException.internal("failed to decode managed fields: " + e.getMessage());
        }
        Manager applier = Manager.applier(manager);
        Outcome outcome;
        try {
            try {
                outcome = applyCore(liveObj, applied, managed, applier, apiVersion, force, type, now);
            } catch (ApplyConflict c) {
                outcome = retryWithLastApplied(c, liveObj, applied, managed, applier, apiVersion, type, now);
            }
        } catch (Typed.SchemaError e) {
            throw ApiException.badRequest("failed to create typed patch object (" + gvkString(apiVersion, kind) + "): "
                    + e.getMessage());
        }
        ObjectNode result = outcome.object();
        if (manager.equals("kubectl") && lastApplied(result) != null) {
            ObjectNode config = applied.deepCopy();
            JsonNode annotations = config.path("metadata").get("annotations");
            if (annotations instanceof ObjectNode a) {
                a.remove(LAST_APPLIED);
            }
            ((ObjectNode) result.get("metadata").get("annotations")).put(LAST_APPLIED, Values.canonical(config));
        }
        outcome.managed().writeTo(result);
        return result;
    }

    /** The new object and ownership of one apply. */
    private record Outcome(ObjectNode object, ManagedFields managed) {
    }

    /**
     * kubectl's upgrade path from client-side apply: conflicts on fields whose live value still matches the
     * last-applied annotation are not conflicts for manager "kubectl" (apimachinery {@code lastAppliedManager}).
     */
    private Outcome retryWithLastApplied(ApplyConflict c, ObjectNode liveObj, ObjectNode applied, ManagedFields managed,
            Manager applier, String apiVersion, Type type, Instant now) {
        if (!applier.name().equals("kubectl")) {
            throw c;
        }
        FieldSet allowed = allowedFromLastApplied(liveObj, apiVersion, type);
        if (allowed == null) {
            throw c;
        }
        List<ApplyConflict.Conflict> remaining = new ArrayList<>();
        List<List<PathElement>> remainingPaths = new ArrayList<>();
        for (int i = 0; i < c.conflicts().size(); i++) {
            if (!allowed.has(c.paths.get(i))) {
                remaining.add(c.conflicts().get(i));
                remainingPaths.add(c.paths.get(i));
            }
        }
        if (!remaining.isEmpty()) {
            throw new ApplyConflict(remaining, remainingPaths);
        }
        return applyCore(liveObj, applied, managed, applier, apiVersion, true, type, now);
    }

    private FieldSet allowedFromLastApplied(ObjectNode liveObj, String apiVersion, Type type) {
        String text = lastApplied(liveObj);
        if (text == null) {
            return null;
        }
        JsonNode lastApplied;
        try {
            lastApplied = dev.ferry.api.Json.MAPPER.readTree(text);
        } catch (RuntimeException e) {
            return null;
        }
        if (!lastApplied.isObject() || !apiVersion.equals(lastApplied.path("apiVersion").asString(""))) {
            return null;
        }
        try {
            FieldSet set = Typed.toFieldSet(lastApplied, type);
            Typed.Comparison cmp = Typed.compare(lastApplied, liveObj, type);
            return set.difference(cmp.modified()).difference(cmp.added()).difference(cmp.removed());
        } catch (Typed.SchemaError e) {
            return null;
        }
    }

    private static String lastApplied(JsonNode obj) {
        JsonNode v = obj.path("metadata").path("annotations").get(LAST_APPLIED);
        return v == null || !v.isString() || v.asString().isEmpty() ? null : v.asString();
    }

    private Outcome applyCore(ObjectNode liveObj, ObjectNode config, ManagedFields managedIn, Manager applier,
            String apiVersion, boolean force, Type type, Instant now) {
        ManagedFields managed = managedIn.copy();
        if (managed.isEmpty()) {
            managed = update(Values.object(), liveObj, managed,
                    Manager.updater("before-first-apply", apiVersion, null), apiVersion, now, type);
        }
        JsonNode merged = Typed.merge(liveObj, config, type);
        Entry last = managed.entries().get(applier);
        FieldSet set = Typed.toFieldSet(config, type);
        managed.entries().put(applier, new Entry(set, apiVersion, last == null ? null : last.time()));
        merged = prune(merged, managed, last == null ? null : last.set(), type);
        updateOwnership(liveObj, merged, managed, applier, force, type);
        FieldSet stripped = strip(managed.entries().get(applier).set());
        Entry mine = managed.entries().get(applier);
        ObjectNode result = merged instanceof ObjectNode o ? o : Values.object();
        boolean changed = !Values.equal(liveObj, result);
        if (stripped.isEmpty()) {
            managed.entries().remove(applier);
        } else {
            managed.entries().put(applier, new Entry(stripped, apiVersion, changed ? now : mine.time()));
        }
        return new Outcome(changed ? result : liveObj.deepCopy(), managed);
    }

    /**
     * Removes what {@code lastSet} (the applier's previous ownership) has and nobody owns any more, keeping items other
     * managers own and items that were not the applier's (structured-merge-diff {@code prune}).
     */
    private static JsonNode prune(JsonNode merged, ManagedFields managed, FieldSet lastSet, Type type) {
        if (lastSet == null || lastSet.isEmpty() || merged == null) {
            return merged;
        }
        FieldSet last = lastSet.ensureNamedFieldsAreMembers(type);
        JsonNode pruned = Typed.removeItems(merged, last, type);
        FieldSet managedUnion = FieldSet.empty();
        for (Entry e : managed.entries().values()) {
            managedUnion = managedUnion.union(e.set());
        }
        FieldSet mergedSet = lenientSet(merged, type).ensureNamedFieldsAreMembers(type);
        FieldSet prunedSet = lenientSet(pruned, type).ensureNamedFieldsAreMembers(type);
        pruned = Typed.removeItems(merged, mergedSet.difference(
                prunedSet.union(managedUnion.ensureNamedFieldsAreMembers(type))), type);
        prunedSet = lenientSet(pruned, type).ensureNamedFieldsAreMembers(type);
        return Typed.removeItems(merged, mergedSet.difference(prunedSet).intersection(last), type);
    }

    private static FieldSet lenientSet(JsonNode v, Type type) {
        if (v == null) {
            return FieldSet.empty();
        }
        try {
            return Typed.toFieldSet(v, type);
        } catch (Typed.SchemaError e) {
            return FieldSet.empty();
        }
    }

    /**
     * Moves ownership for the change {@code oldObj} → {@code newObj} made by {@code workflow}: other managers lose
     * fields the change modified or added (a conflict unless {@code force}) and every manager loses removed fields.
     */
    private static Typed.Comparison updateOwnership(JsonNode oldObj, JsonNode newObj, ManagedFields managed,
            Manager workflow, boolean force, Type type) {
        Typed.Comparison cmp = Typed.compare(oldObj, newObj, type);
        FieldSet changed = cmp.modified().union(cmp.added());
        List<Map.Entry<Manager, FieldSet>> conflicts = new ArrayList<>();
        for (Map.Entry<Manager, Entry> e : managed.entries().entrySet()) {
            if (e.getKey().equals(workflow)) {
                continue;
            }
            FieldSet conflict = e.getValue().set().intersection(changed);
            if (!conflict.isEmpty()) {
                conflicts.add(Map.entry(e.getKey(), conflict));
            }
        }
        if (!force && !conflicts.isEmpty()) {
            throw ApplyConflict.of(conflicts);
        }
        for (Map.Entry<Manager, Entry> e : new ArrayList<>(managed.entries().entrySet())) {
            if (e.getKey().equals(workflow)) {
                continue;
            }
            FieldSet remaining = e.getValue().set().difference(changed).difference(cmp.removed());
            if (remaining.isEmpty()) {
                managed.entries().remove(e.getKey());
            } else {
                managed.entries().put(e.getKey(), new Entry(remaining, e.getValue().apiVersion(),
                        e.getValue().time()));
            }
        }
        return cmp;
    }

    /**
     * The ownership after an ordinary write by {@code updater} (apimachinery {@code managedFieldsUpdater} over
     * structured-merge-diff {@code Update}): the updater gains what it changed, timestamped {@code now}.
     */
    private static ManagedFields update(JsonNode oldObj, JsonNode newObj, ManagedFields managedIn, Manager updater,
            String apiVersion, Instant now, Type type) {
        ManagedFields managed = managedIn.copy();
        Typed.Comparison cmp = updateOwnership(oldObj, newObj, managed, CURRENT_OPERATION, true, type);
        FieldSet gained = strip(cmp.modified().union(cmp.added()).difference(cmp.removed()));
        if (!gained.isEmpty()) {
            Entry previous = managed.entries().get(updater);
            FieldSet set = previous == null ? gained : gained.union(previous.set());
            managed.entries().put(updater, new Entry(set, apiVersion, now));
        }
        managed.capUpdaters(MAX_UPDATE_MANAGERS);
        return managed;
    }

    private static FieldSet strip(FieldSet set) {
        FieldSet stripSet = FieldSet.empty();
        STRIPPED.forEach(stripSet::insert);
        return set.difference(stripSet);
    }

    /**
     * Records the ownership change of an ordinary write (create, update, or a JSON/merge/strategic patch) in
     * {@code newObj.metadata.managedFields}.
     *
     * @param oldObj      the stored object, or null for a create
     * @param subresource "status" for status writes (the entry then says so), or null
     */
    public void recordUpdate(ObjectNode newObj, ObjectNode oldObj, String manager, String apiVersion,
            String subresource, Instant now) {
        ManagedFields managed = liveOrNew(oldObj, newObj, subresource != null);
        JsonNode meta = newObj.get("metadata");
        if (meta instanceof ObjectNode m) {
            m.remove("managedFields");
        }
        boolean create = oldObj == null || oldObj.path("metadata").path("uid").asString("").isEmpty();
        if (managed.isEmpty() && !create) {
            // upstream stops tracking an existing object that has no managedFields until it is applied to
            return;
        }
        String kind = newObj.path("kind").asString(oldObj == null ? "" : oldObj.path("kind").asString(""));
        Type type = schema.root(kind);
        ObjectNode old = oldObj == null ? Values.object() : withoutManagedFields(oldObj);
        Manager updater = Manager.updater(manager == null || manager.isEmpty() ? "unknown" : manager, apiVersion,
                subresource);
        update(old, newObj, managed, updater, apiVersion, now, type).writeTo(newObj);
    }

    /** {@link #recordUpdate(ObjectNode, ObjectNode, String, String, String, Instant)} for the main resource. */
    public void recordUpdate(ObjectNode newObj, ObjectNode oldObj, String manager, String apiVersion, Instant now) {
        recordUpdate(newObj, oldObj, manager, apiVersion, null, now);
    }

    /**
     * The managedFields to start from: the request's own when it sets valid ones (an empty list resets them), else the
     * stored object's (apimachinery {@code decodeLiveOrNew}); subresource writes always use the stored ones.
     */
    private static ManagedFields liveOrNew(ObjectNode live, ObjectNode newObj, boolean subresource) {
        if (!subresource) {
            JsonNode mf = newObj.path("metadata").get("managedFields");
            if (mf != null && mf.isArray() && (mf.isEmpty()
                    || mf.size() == 1 && mf.get(0).isObject() && mf.get(0).isEmpty())) {
                return ManagedFields.empty();
            }
            try {
                ManagedFields fromNew = ManagedFields.decode(newObj);
                if (!fromNew.isEmpty()) {
                    return fromNew;
                }
            } catch (IllegalArgumentException e) {
                // fall back to the stored object's, as upstream does
            }
        }
        try {
            return ManagedFields.decode(live);
        } catch (IllegalArgumentException e) {
            return ManagedFields.empty();
        }
    }

    private static ObjectNode withoutManagedFields(ObjectNode obj) {
        ObjectNode copy = obj.deepCopy();
        if (copy.get("metadata") instanceof ObjectNode m) {
            m.remove("managedFields");
        }
        return copy;
    }

    /** Go's {@code schema.GroupVersionKind.String()}: {@code apps/v1, Kind=Deployment}, {@code /v1, Kind=Service}. */
    static String gvkString(String apiVersion, String kind) {
        String group = "";
        String version = apiVersion;
        int slash = apiVersion.indexOf('/');
        if (slash >= 0) {
            group = apiVersion.substring(0, slash);
            version = apiVersion.substring(slash + 1);
        }
        return group + "/" + version + ", Kind=" + kind;
    }

    static Comparator<Manager> byIdentifier() {
        return Comparator.comparing(Manager::identifier);
    }
}
