package dev.ferry.apiserver.resource;

import dev.ferry.api.validation.FieldError;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * A resource's write rules, applied by the generic registry to the whole object (metadata already set by the
 * registry: name, namespace, uid, creationTimestamp, generation). Pure: no I/O, no clock; objects are mutated in place.
 * Validation returns every error found, in field order; an empty list means valid.
 */
public interface Strategy {

    /** Defaults and server-owned fields for a new object (e.g. status cleared, spec defaults filled). */
    default void prepareForCreate(ObjectNode obj) {
    }

    /** Defaults for an updated object; {@code old} is the stored object (read only). Status is kept from old. */
    default void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    }

    default List<FieldError> validate(ObjectNode obj) {
        return List.of();
    }

    default List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        return validate(obj);
    }

    /** Whether a spec change bumps {@code metadata.generation} (true for resources with a spec and status). */
    default boolean tracksGeneration() {
        return false;
    }

    /**
     * Whether an update ({@code old} to {@code obj}, after {@link #prepareForUpdate}) bumps {@code
     * metadata.generation}; by default any spec change of a kind that {@link #tracksGeneration tracks generation}.
     */
    default boolean bumpsGeneration(ObjectNode obj, ObjectNode old) {
        return tracksGeneration() && !Objects.equals(obj.get("spec"), old.get("spec"));
    }

    /**
     * Resets what a write to the status subresource may not change, as upstream's status strategies do: {@code obj} is
     * the object as sent (metadata already under the registry's generic rules: uid, creationTimestamp, generation,
     * deletionTimestamp, ... kept from {@code old}); whatever this leaves is written. Upstream's status strategies
     * reset spec and, per kind, a few metadata fields (their GetResetFields); labels, annotations, finalizers and
     * ownerReferences are otherwise writable through /status. By default every top-level field but metadata and
     * status is kept from {@code old}.
     */
    default void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        keepAllButMetadataAndStatus(obj, old);
    }

    /** The top-level fields a status write may carry by default. */
    Set<String> STATUS_WRITABLE = Set.of("apiVersion", "kind", "metadata", "status");

    /** Sets every top-level field of {@code obj} but {@link #STATUS_WRITABLE} to {@code old}'s. */
    static void keepAllButMetadataAndStatus(ObjectNode obj, ObjectNode old) {
        Set<String> fields = new LinkedHashSet<>(obj.propertyNames());
        fields.addAll(old.propertyNames());
        for (String f : fields) {
            if (STATUS_WRITABLE.contains(f)) {
                continue;
            }
            if (old.has(f)) {
                obj.set(f, old.get(f).deepCopy());
            } else {
                obj.remove(f);
            }
        }
    }

    default List<FieldError> validateStatusUpdate(ObjectNode obj, ObjectNode old) {
        return List.of();
    }
}
