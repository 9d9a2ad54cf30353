package dev.ferry.apiserver.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.ferry.api.Json;
import dev.ferry.apiserver.ApiException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a decoded Kubernetes protobuf message into the JSON form Go's {@code encoding/json} gives the same object.
 *
 * <p>Go's protobuf encoder writes every non-pointer field, zero or not, so presence on the wire says nothing about
 * whether the JSON form has the field. The rule applied: a singular scalar (or IntOrString) field holding its Go zero
 * value ({@code ""}, 0, false) is dropped, unless it is listed in {@code keep-zero-fields.txt} (Go pointer fields, and
 * non-pointer fields without {@code omitempty}). Map values and list elements are always kept. Messages are always
 * kept, even empty ({@code "status": {}}), as Go prints non-pointer structs.
 *
 * <p>apimachinery's special types get their JSON form: IntOrString → number or string; Time → RFC 3339 in seconds
 * (zero time dropped); MicroTime → RFC 3339 with microseconds; Quantity → its string; FieldsV1 and RawExtension →
 * the embedded JSON; int64 → JSON number; bytes → base64 string. Embedded Go structs (a probe's handler, a volume's
 * source) are flattened into their parent, as {@code encoding/json} does. Field names are the proto field names, which
 * Kubernetes' generator takes from the JSON tags. Unknown fields (newer than the bundled schema) are dropped, as Go's
 * decoder drops fields it does not know.
 */
final class KubernetesJson {
    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final String TIME = META + "Time";
    private static final String MICRO_TIME = META + "MicroTime";
    private static final String FIELDS_V1 = META + "FieldsV1";
    private static final String INT_OR_STRING = "k8s.io.apimachinery.pkg.util.intstr.IntOrString";
    private static final String QUANTITY = "k8s.io.apimachinery.pkg.api.resource.Quantity";
    private static final String RAW_EXTENSION = "k8s.io.apimachinery.pkg.runtime.RawExtension";

    private static final DateTimeFormatter RFC3339 =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC3339_MICRO =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> KEEP_ZERO = loadKeepZero();
    /** Embedded Go structs ({@code json:""}): their fields are merged into the parent object. */
    private static final Set<String> INLINE = Set.of(
            "k8s.io.api.core.v1.Volume.volumeSource",
            "k8s.io.api.core.v1.PersistentVolumeSpec.persistentVolumeSource",
            "k8s.io.api.core.v1.Probe.handler",
            "k8s.io.api.core.v1.EphemeralContainer.ephemeralContainerCommon",
            "k8s.io.api.core.v1.SecretProjection.localObjectReference",
            "k8s.io.api.core.v1.ConfigMapVolumeSource.localObjectReference",
            "k8s.io.api.core.v1.ConfigMapProjection.localObjectReference",
            "k8s.io.api.core.v1.ConfigMapKeySelector.localObjectReference",
            "k8s.io.api.core.v1.SecretKeySelector.localObjectReference",
            "k8s.io.api.core.v1.ConfigMapEnvSource.localObjectReference",
            "k8s.io.api.core.v1.SecretEnvSource.localObjectReference");

    private KubernetesJson() {
    }

    /** The JSON object for {@code message}, which must not itself be one of the special scalar-like types. */
    static ObjectNode toObject(Message message) {
        ObjectNode out = Json.object();
        Descriptor type = message.getDescriptorForType();
        for (FieldDescriptor field : type.getFields()) {
            if (field.isMapField()) {
                if (message.getRepeatedFieldCount(field) > 0) {
                    out.set(field.getName(), mapValue(message, field));
                }
            } else if (field.isRepeated()) {
                int n = message.getRepeatedFieldCount(field);
                if (n > 0) {
                    ArrayNode array = out.putArray(field.getName());
                    for (int i = 0; i < n; i++) {
                        array.add(value(field, message.getRepeatedField(field, i)));
                    }
                }
            } else if (message.hasField(field)) {
                Object raw = message.getField(field);
                String qualified = type.getFullName() + "." + field.getName();
                if (INLINE.contains(qualified)) {
                    out.setAll(toObject((Message) raw));
                    continue;
                }
                boolean keepZero = KEEP_ZERO.contains(qualified);
                if (keepZero || !isGoZero(field, raw)) {
                    JsonNode node = value(field, raw);
                    if (node != null) {
                        out.set(field.getName(), node);
                    }
                }
            }
        }
        return out;
    }

    private static ObjectNode mapValue(Message message, FieldDescriptor field) {
        ObjectNode map = Json.object();
        Descriptor entry = field.getMessageType();
        FieldDescriptor keyField = entry.findFieldByNumber(1);
        FieldDescriptor valueField = entry.findFieldByNumber(2);
        int n = message.getRepeatedFieldCount(field);
        for (int i = 0; i < n; i++) {
            Message e = (Message) message.getRepeatedField(field, i);
            JsonNode v = value(valueField, e.getField(valueField));
            map.set(String.valueOf(e.getField(keyField)), v == null ? NODES.nullNode() : v);
        }
        return map;
    }

    /** The JSON for one value of {@code field}; null where Go's JSON is {@code null} (zero Time). */
    private static JsonNode value(FieldDescriptor field, Object raw) {
        return switch (field.getJavaType()) {
            case STRING -> NODES.stringNode((String) raw);
            case INT -> NODES.numberNode((Integer) raw);
            case LONG -> NODES.numberNode((Long) raw);
            case BOOLEAN -> NODES.booleanNode((Boolean) raw);
            case DOUBLE -> NODES.numberNode((Double) raw);
            case FLOAT -> NODES.numberNode((Float) raw);
            case BYTE_STRING -> NODES.stringNode(Base64.getEncoder().encodeToString(((ByteString) raw).toByteArray()));
            case ENUM -> NODES.stringNode(raw.toString());
            case MESSAGE -> message((Message) raw);
        };
    }

    private static JsonNode message(Message m) {
        return switch (m.getDescriptorForType().getFullName()) {
            case INT_OR_STRING -> intOrStringIsString(m)
                    ? NODES.stringNode((String) m.getField(field(m, "strVal")))
                    : NODES.numberNode((Integer) m.getField(field(m, "intVal")));
            case QUANTITY -> NODES.stringNode((String) m.getField(field(m, "string")));
            case TIME -> isZeroTime(m) ? null : NODES.stringNode(RFC3339.format(instant(m)));
            case MICRO_TIME -> isZeroTime(m) ? null : NODES.stringNode(RFC3339_MICRO.format(instant(m)));
            case FIELDS_V1 -> embeddedJson(m, "Raw");
            case RAW_EXTENSION -> embeddedJson(m, "raw");
            default -> toObject(m);
        };
    }

    private static boolean isGoZero(FieldDescriptor field, Object raw) {
        return switch (field.getJavaType()) {
            case STRING -> ((String) raw).isEmpty();
            case INT -> (Integer) raw == 0;
            case LONG -> (Long) raw == 0L;
            case BOOLEAN -> !(Boolean) raw;
            case DOUBLE -> (Double) raw == 0.0;
            case FLOAT -> (Float) raw == 0.0f;
            case BYTE_STRING -> ((ByteString) raw).isEmpty();
            case ENUM -> false;
            case MESSAGE -> isZeroScalarLike((Message) raw);
        };
    }

    /** Zero values of the message types that JSON renders as a scalar; other messages are never "zero". */
    private static boolean isZeroScalarLike(Message m) {
        return switch (m.getDescriptorForType().getFullName()) {
            case INT_OR_STRING -> intOrStringIsString(m)
                    ? ((String) m.getField(field(m, "strVal"))).isEmpty()
                    : (Integer) m.getField(field(m, "intVal")) == 0;
            case QUANTITY -> ((String) m.getField(field(m, "string"))).isEmpty();
            case TIME, MICRO_TIME -> isZeroTime(m);
            default -> false;
        };
    }

    private static boolean intOrStringIsString(Message m) {
        return (Long) m.getField(field(m, "type")) == 1L;
    }

    /** Go writes a zero time as an empty message; an explicit 0 seconds is the Unix epoch, not zero. */
    private static boolean isZeroTime(Message m) {
        return !m.hasField(field(m, "seconds")) && !m.hasField(field(m, "nanos"));
    }

    private static Instant instant(Message m) {
        return Instant.ofEpochSecond((Long) m.getField(field(m, "seconds")), (Integer) m.getField(field(m, "nanos")));
    }

    private static JsonNode embeddedJson(Message m, String fieldName) {
        ByteString raw = (ByteString) m.getField(field(m, fieldName));
        if (raw.isEmpty()) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(raw.toByteArray());
        } catch (JacksonException e) {
            throw ApiException.badRequest("invalid JSON embedded in protobuf " + m.getDescriptorForType().getName()
                    + ": " + e.getOriginalMessage());
        }
    }

    private static FieldDescriptor field(Message m, String name) {
        return m.getDescriptorForType().findFieldByName(name);
    }

    private static Set<String> loadKeepZero() {
        try (InputStream in = KubernetesJson.class.getResourceAsStream("keep-zero-fields.txt")) {
            if (in == null) {
                throw new IllegalStateException("keep-zero-fields.txt missing from the classpath");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
