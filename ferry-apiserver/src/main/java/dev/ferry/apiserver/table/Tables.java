package dev.ferry.apiserver.table;

import dev.ferry.api.Json;
import dev.ferry.apiserver.resource.ResourceType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds {@code meta.k8s.io/v1 Table} documents, as the apiserver answers an {@code Accept} of
 * {@code application/json;as=Table;v=v1;g=meta.k8s.io}. Each kind has upstream's columns (see the
 * {@link TableConvertor}s); other kinds get Name and Created At. Pure and thread-safe; inputs are never mutated.
 *
 * <p>Shape, as upstream serialises it: {@code metadata} carries {@code resourceVersion}/{@code continue} when set;
 * {@code columnDefinitions} is {@code null} when headers are suppressed (watch events after the first);
 * {@code rows[].object} is a PartialObjectMetadata, the full object or {@code null} per {@link IncludeObject}.
 */
public final class Tables {
    /** The response Content-Type for a Table. */
    public static final String CONTENT_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io";

    private static final TableConvertor DEFAULT = new DefaultTableConvertor();
    private static final Map<String, TableConvertor> BY_GROUP_KIND = Map.of(
            "/Pod", new PodTableConvertor(),
            "/Service", new ServiceTableConvertor(),
            "/Endpoints", new EndpointsTableConvertor(),
            "/Namespace", new NamespaceTableConvertor(),
            "/Node", new NodeTableConvertor(),
            "/Event", new EventTableConvertor(),
            "apps/Deployment", new DeploymentTableConvertor(),
            "apps/ReplicaSet", new ReplicaSetTableConvertor(),
            "discovery.k8s.io/EndpointSlice", new EndpointSliceTableConvertor(),
            "coordination.k8s.io/Lease", new LeaseTableConvertor());

    private Tables() {
    }

    /** The convertor for a group and kind; the default (Name, Created At) for kinds without one. */
    public static TableConvertor convertor(String group, String kind) {
        return BY_GROUP_KIND.getOrDefault(group + "/" + kind, DEFAULT);
    }

    /**
     * A Table for a list response (or a single object, as a one-element list).
     *
     * @param resourceVersion the list's (or the single object's) resourceVersion; null or empty to omit
     * @param continueToken   the list's continue token; null or empty to omit
     * @param noHeaders       omit {@code columnDefinitions} (written as {@code null}), as upstream does for
     *                        every watch event but the first
     * @param now             reference time for ages
     */
    public static ObjectNode toTable(ResourceType type, List<ObjectNode> objects, IncludeObject include,
            boolean noHeaders, String resourceVersion, String continueToken, Instant now) {
        TableConvertor convertor = convertor(type.group(), type.kind());
        ObjectNode table = Json.object();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        ObjectNode metadata = table.putObject("metadata");
        if (resourceVersion != null && !resourceVersion.isEmpty()) {
            metadata.put("resourceVersion", resourceVersion);
        }
        if (continueToken != null && !continueToken.isEmpty()) {
            metadata.put("continue", continueToken);
        }
        if (noHeaders) {
            table.putNull("columnDefinitions");
        } else {
            ArrayNode columns = table.putArray("columnDefinitions");
            convertor.columns().forEach(c -> c.writeTo(columns.addObject()));
        }
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode object : objects) {
            TableConvertor.Row row = convertor.row(object, now);
            ObjectNode out = rows.addObject();
            ArrayNode cells = out.putArray("cells");
            row.cells().forEach(cell -> addCell(cells, cell));
            if (!row.conditions().isEmpty()) {
                ArrayNode conditions = out.putArray("conditions");
                for (TableConvertor.RowCondition c : row.conditions()) {
                    ObjectNode cond = conditions.addObject();
                    cond.put("type", c.type());
                    cond.put("status", c.status());
                    cond.put("reason", c.reason());
                    cond.put("message", c.message());
                }
            }
            switch (include) {
                case NONE -> out.putNull("object");
                case METADATA -> out.set("object", partialObjectMetadata(object));
                case OBJECT -> out.set("object", fullObject(type, object));
            }
        }
        return table;
    }

    /** A one-row Table for a single object (GET of one item), with the object's resourceVersion. */
    public static ObjectNode toTable(ResourceType type, ObjectNode object, IncludeObject include, Instant now) {
        return toTable(type, List.of(object), include, false,
                Fields.str(object, "metadata", "resourceVersion"), null, now);
    }

    /** {@code meta.AsPartialObjectMetadata}: the whole metadata, under {@code meta.k8s.io/v1} kind/apiVersion. */
    static ObjectNode partialObjectMetadata(ObjectNode object) {
        ObjectNode partial = Json.object();
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        JsonNode metadata = object.get("metadata");
        partial.set("metadata", metadata != null && metadata.isObject() ? metadata.deepCopy() : Json.object());
        return partial;
    }

    private static ObjectNode fullObject(ResourceType type, ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        if (!copy.path("kind").isString()) {
            copy.put("kind", type.kind());
        }
        if (!copy.path("apiVersion").isString()) {
            copy.put("apiVersion", type.groupVersion());
        }
        return copy;
    }

    private static void addCell(ArrayNode cells, Object cell) {
        switch (cell) {
            case String s -> cells.add(s);
            case Long l -> cells.add(l);
            case Integer i -> cells.add(i.longValue());
            case Boolean b -> cells.add(b);
            case null -> cells.addNull();
            default -> throw new IllegalArgumentException("unsupported cell type " + cell.getClass());
        }
    }
}
