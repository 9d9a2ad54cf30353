package dev.ferry.apiserver.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.ferry.api.Json;
import dev.ferry.apiserver.ApiException;
import io.kubernetes.client.proto.Runtime;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decodes {@code application/vnd.kubernetes.protobuf} request bodies, as kubectl ≥ 1.32 sends for its typed-client
 * commands ({@code create deployment|namespace|service|configmap}), into the object's Kubernetes JSON form.
 *
 * <p>Wire format (apimachinery {@code runtime/serializer/protobuf}): the 4 magic bytes {@code k8s\0}, then a
 * {@code runtime.Unknown} {typeMeta{apiVersion, kind}, raw, contentEncoding, contentType} whose {@code raw} is the
 * object's own message (without TypeMeta). {@code contentEncoding} and {@code contentType} are ignored, as upstream
 * does. The result starts with {@code apiVersion} and {@code kind} from the envelope; see {@link KubernetesJson} for
 * how Go's protobuf zero values are mapped.
 *
 * <p>Thread-safe and stateless. Every failure is an {@link ApiException} 400 BadRequest.
 */
public final class ProtobufDecoder {
    /** The media type this decoder reads. */
    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

    private static final byte[] MAGIC = {'k', '8', 's', 0};

    /** Decodes one enveloped object; throws {@link ApiException} (400) for anything it cannot decode. */
    public ObjectNode decode(byte[] body) {
        if (!hasMagic(body)) {
            throw ApiException.badRequest(
                    "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }
        Runtime.Unknown envelope;
        try {
            envelope = Runtime.Unknown.parser().parseFrom(body, MAGIC.length, body.length - MAGIC.length);
        } catch (InvalidProtocolBufferException e) {
            throw ApiException.badRequest("unable to decode protobuf envelope: " + e.getMessage());
        }
        String apiVersion = envelope.getTypeMeta().getApiVersion();
        String kind = envelope.getTypeMeta().getKind();
        if (kind.isEmpty()) {
            throw ApiException.badRequest("Object 'Kind' is missing in protobuf envelope");
        }
        if (apiVersion.isEmpty()) {
            throw ApiException.badRequest("Object 'apiVersion' is missing in protobuf envelope");
        }
        Descriptor type = ProtoKinds.find(apiVersion, kind).orElseThrow(() -> ApiException.badRequest(
                "no kind \"" + kind + "\" is registered for version \"" + apiVersion + "\""));
        DynamicMessage message;
        try {
            message = DynamicMessage.parseFrom(type, envelope.getRaw());
        } catch (InvalidProtocolBufferException e) {
            throw ApiException.badRequest(
                    "unable to decode protobuf " + kind + " (" + apiVersion + "): " + e.getMessage());
        }
        ObjectNode out = Json.object();
        out.put("apiVersion", apiVersion);
        out.put("kind", kind);
        out.setAll(KubernetesJson.toObject(message));
        return out;
    }

    private static boolean hasMagic(byte[] body) {
        if (body == null || body.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (body[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
