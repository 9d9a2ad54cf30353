package dev.ferry.apiserver.http;

import dev.ferry.apiserver.resource.ResourceType;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** The pieces the resource handler needs from elsewhere in the server, each as the smallest interface that serves. */
public final class Plugins {
    private Plugins() {
    }

    /** Renders objects as a {@code meta.k8s.io/v1 Table}. */
    public interface TableRenderer {
        ObjectNode render(ResourceType type, List<ObjectNode> objects, String includeObject, boolean withColumns,
                String resourceVersion, String continueToken, Instant now);
    }

    /** Applies a merge, JSON or strategic-merge patch body to a copy of {@code current}. */
    public interface Patcher {
        ObjectNode patch(ResourceType type, String mediaType, ObjectNode current, byte[] body);
    }

    /** Server-side apply: merges {@code applied} into {@code live} (null when absent) for {@code manager}. */
    public interface Applier {
        ObjectNode apply(ResourceType type, ObjectNode live, ObjectNode applied, String manager, boolean force,
                Instant now);
    }

    /** Decodes a {@code application/vnd.kubernetes.protobuf} body into the object's JSON form. */
    public interface ProtobufDecoder {
        ObjectNode decode(byte[] body);
    }
}
