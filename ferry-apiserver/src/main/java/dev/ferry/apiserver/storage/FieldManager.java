package dev.ferry.apiserver.storage;

import java.time.Instant;
import tools.jackson.databind.node.ObjectNode;

/** Keeps {@code metadata.managedFields} in step with non-apply writes. */
public interface FieldManager {
    FieldManager NONE = (obj, old, manager, apiVersion, now) -> { };

    /** Records that {@code manager} wrote {@code obj} (replacing {@code old}, null on create). */
    void recordUpdate(ObjectNode obj, ObjectNode old, String manager, String apiVersion, Instant now);
}
