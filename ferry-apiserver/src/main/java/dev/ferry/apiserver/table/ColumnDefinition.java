package dev.ferry.apiserver.table;

import tools.jackson.databind.node.ObjectNode;

/**
 * One {@code meta.k8s.io/v1 TableColumnDefinition}. {@code type} is an OpenAPI type ("string", "integer", "date"),
 * {@code format} "name" marks the primary column, and columns with {@code priority > 0} are shown only by
 * {@code -o wide}. The server always sends every column; kubectl hides by priority.
 */
public record ColumnDefinition(String name, String type, String format, String description, int priority) {

    static ColumnDefinition of(String name, String type, String description) {
        return new ColumnDefinition(name, type, "", description, 0);
    }

    static ColumnDefinition wide(String name, String type, String description) {
        return new ColumnDefinition(name, type, "", description, 1);
    }

    static ColumnDefinition nameColumn() {
        return new ColumnDefinition("Name", "string", "name", Docs.NAME, 0);
    }

    static ColumnDefinition ageColumn() {
        return of("Age", "string", Docs.CREATION_TIMESTAMP);
    }

    /** The wide CONTAINERS column of workloads with a pod template; its cell is {@code Formats.containerCells[0]}. */
    static ColumnDefinition templateContainersColumn() {
        return wide("Containers", "string", "Names of each container in the template.");
    }

    /** The wide IMAGES column of workloads with a pod template; its cell is {@code Formats.containerCells[1]}. */
    static ColumnDefinition templateImagesColumn() {
        return wide("Images", "string", "Images referenced by each container in the template.");
    }

    /** Every field is always written, as upstream does (no omitempty). */
    void writeTo(ObjectNode out) {
        out.put("name", name);
        out.put("type", type);
        out.put("format", format);
        out.put("description", description);
        out.put("priority", priority);
    }
}
