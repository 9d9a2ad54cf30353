package dev.ferry.apiserver.table;

import dev.ferry.apiserver.resource.ResourceType;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the objects of one watch stream into one-row Tables, as upstream's watch encoder does: the first
 * converted event carries {@code columnDefinitions}, later ones {@code null}; each Table's resourceVersion is
 * the object's. {@code Status} objects (ERROR events) pass through unchanged. One instance per watch stream;
 * not thread-safe.
 */
public final class TableWatchConverter {
    private final ResourceType type;
    private final IncludeObject include;
    private boolean headersSent;

    public TableWatchConverter(ResourceType type, IncludeObject include) {
        this.type = type;
        this.include = include;
    }

    /** The event's {@code object}: a Table, or {@code object} itself when it is a Status. */
    public ObjectNode convert(ObjectNode object, Instant now) {
        if ("Status".equals(Fields.str(object, "kind")) && "v1".equals(Fields.str(object, "apiVersion"))) {
            return object;
        }
        ObjectNode table = Tables.toTable(type, List.of(object), include, headersSent,
                Fields.str(object, "metadata", "resourceVersion"), null, now);
        headersSent = true;
        return table;
    }
}
