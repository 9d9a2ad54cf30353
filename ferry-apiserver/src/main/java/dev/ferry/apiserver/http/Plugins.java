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

    /**
     * Applies a PATCH body of {@code mediaType} (merge, JSON, strategic merge or apply) to {@code live}, which it does
     * not modify, keeping managedFields; {@code live} is null only for an apply that creates. {@code force} is null
     * when the request did not send it.
     */
    public interface Patcher {
        ObjectNode patch(ResourceType type, ObjectNode live, String mediaType, byte[] body, String fieldManager,
                Boolean force, String subresource, Instant now);
    }

    /** The paths of fields in {@code obj} that {@code type}'s schema does not declare. */
    public interface FieldChecker {
        List<String> unknownFields(ResourceType type, ObjectNode obj);
    }

    /** Decodes a {@code application/vnd.kubernetes.protobuf} body into the object's JSON form. */
    public interface ProtobufDecoder {
        ObjectNode decode(byte[] body);
    }
}
