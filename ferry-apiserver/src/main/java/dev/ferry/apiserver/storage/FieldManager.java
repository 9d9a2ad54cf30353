package dev.ferry.apiserver.storage;

import java.time.Instant;
import tools.jackson.databind.node.ObjectNode;

/** Keeps {@code metadata.managedFields} in step with non-apply writes. */
public interface FieldManager {
    FieldManager NONE = (obj, old, manager, apiVersion, subresource, now) -> { };

    /**
     * Records that {@code manager} wrote {@code obj} (replacing {@code old}, null on create); {@code subresource} is
     * "status" for status writes (the entry then says so), else null.
     */
    void recordUpdate(ObjectNode obj, ObjectNode old, String manager, String apiVersion, String subresource,
            Instant now);
}
