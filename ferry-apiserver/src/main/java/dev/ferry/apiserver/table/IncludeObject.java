package dev.ferry.apiserver.table;

import dev.ferry.apiserver.ApiException;

/** The {@code includeObject} query parameter: what each Table row's {@code object} holds. */
public enum IncludeObject {
    /** Nothing: {@code "object": null}. */
    NONE,
    /** A {@code meta.k8s.io/v1 PartialObjectMetadata} with the object's whole metadata (the default). */
    METADATA,
    /** The full object, as {@code kubectl get --sort-by} asks for. */
    OBJECT;

    /** Parses the query value; absent or empty means {@link #METADATA}. Unknown values are a 400, as upstream. */
    public static IncludeObject parse(String value) {
        if (value == null || value.isEmpty()) {
            return METADATA;
        }
        return switch (value) {
            case "None" -> NONE;
            case "Metadata" -> METADATA;
            case "Object" -> OBJECT;
            default -> throw ApiException.badRequest("unrecognized includeObject value: \"" + value + "\"");
        };
    }
}
