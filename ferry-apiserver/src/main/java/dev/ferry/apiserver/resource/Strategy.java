package dev.ferry.apiserver.resource;

import dev.ferry.api.validation.FieldError;
import java.util.List;
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

    /** Strategy for writes to the status subresource: only status may change. */
    default void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
    }

    default List<FieldError> validateStatusUpdate(ObjectNode obj, ObjectNode old) {
        return List.of();
    }
}
