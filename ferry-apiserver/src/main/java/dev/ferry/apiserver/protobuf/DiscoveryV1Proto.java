package dev.ferry.apiserver.protobuf;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;

/**
 * The {@code k8s.io/api/discovery/v1/generated.proto} schema, which client-java-proto does not ship. Field names and
 * numbers are those of upstream's file; messages are decoded as {@link com.google.protobuf.DynamicMessage}s.
 */
final class DiscoveryV1Proto {
    private static final String PKG = "k8s.io.api.discovery.v1";
    private static final FileDescriptor FILE = build();

    private DiscoveryV1Proto() {
    }

    static Descriptor endpointSlice() {
        return FILE.findMessageTypeByName("EndpointSlice");
    }

    private static FileDescriptor build() {
        String meta = "." + Meta.getDescriptor().getPackage();
        String core = "." + V1.getDescriptor().getPackage();
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("k8s.io/api/discovery/v1/generated.proto")
                .setPackage(PKG)
                .setSyntax("proto2")
                .addDependency(Meta.getDescriptor().getName())
                .addDependency(V1.getDescriptor().getName())
                .addMessageType(DescriptorProto.newBuilder().setName("Endpoint")
                        .addField(repeated("addresses", 1, Type.TYPE_STRING, null))
                        .addField(optional("conditions", 2, Type.TYPE_MESSAGE, "." + PKG + ".EndpointConditions"))
                        .addField(optional("hostname", 3, Type.TYPE_STRING, null))
                        .addField(optional("targetRef", 4, Type.TYPE_MESSAGE, core + ".ObjectReference"))
                        .addField(repeated("deprecatedTopology", 5, Type.TYPE_MESSAGE,
                                "." + PKG + ".Endpoint.DeprecatedTopologyEntry"))
                        .addField(optional("nodeName", 6, Type.TYPE_STRING, null))
                        .addField(optional("zone", 7, Type.TYPE_STRING, null))
                        .addField(optional("hints", 8, Type.TYPE_MESSAGE, "." + PKG + ".EndpointHints"))
                        .addNestedType(DescriptorProto.newBuilder().setName("DeprecatedTopologyEntry")
                                .addField(optional("key", 1, Type.TYPE_STRING, null))
                                .addField(optional("value", 2, Type.TYPE_STRING, null))
                                .setOptions(MessageOptions.newBuilder().setMapEntry(true))))
                .addMessageType(DescriptorProto.newBuilder().setName("EndpointConditions")
                        .addField(optional("ready", 1, Type.TYPE_BOOL, null))
                        .addField(optional("serving", 2, Type.TYPE_BOOL, null))
                        .addField(optional("terminating", 3, Type.TYPE_BOOL, null)))
                .addMessageType(DescriptorProto.newBuilder().setName("EndpointHints")
                        .addField(repeated("forZones", 1, Type.TYPE_MESSAGE, "." + PKG + ".ForZone"))
                        .addField(repeated("forNodes", 2, Type.TYPE_MESSAGE, "." + PKG + ".ForNode")))
                .addMessageType(DescriptorProto.newBuilder().setName("EndpointPort")
                        .addField(optional("name", 1, Type.TYPE_STRING, null))
                        .addField(optional("protocol", 2, Type.TYPE_STRING, null))
                        .addField(optional("port", 3, Type.TYPE_INT32, null))
                        .addField(optional("appProtocol", 4, Type.TYPE_STRING, null)))
                .addMessageType(DescriptorProto.newBuilder().setName("EndpointSlice")
                        .addField(optional("metadata", 1, Type.TYPE_MESSAGE, meta + ".ObjectMeta"))
                        .addField(optional("addressType", 4, Type.TYPE_STRING, null))
                        .addField(repeated("endpoints", 2, Type.TYPE_MESSAGE, "." + PKG + ".Endpoint"))
                        .addField(repeated("ports", 3, Type.TYPE_MESSAGE, "." + PKG + ".EndpointPort")))
                .addMessageType(DescriptorProto.newBuilder().setName("ForNode")
                        .addField(optional("name", 1, Type.TYPE_STRING, null)))
                .addMessageType(DescriptorProto.newBuilder().setName("ForZone")
                        .addField(optional("name", 1, Type.TYPE_STRING, null)))
                .build();
        try {
            return FileDescriptor.buildFrom(file, new FileDescriptor[] {Meta.getDescriptor(), V1.getDescriptor()});
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException("discovery/v1 schema is inconsistent", e);
        }
    }

    private static FieldDescriptorProto optional(String name, int number, Type type, String typeName) {
        return field(name, number, Label.LABEL_OPTIONAL, type, typeName);
    }

    private static FieldDescriptorProto repeated(String name, int number, Type type, String typeName) {
        return field(name, number, Label.LABEL_REPEATED, type, typeName);
    }

    private static FieldDescriptorProto field(String name, int number, Label label, Type type, String typeName) {
        FieldDescriptorProto.Builder b = FieldDescriptorProto.newBuilder()
                .setName(name).setNumber(number).setLabel(label).setType(type).setJsonName(name);
        if (typeName != null) {
            b.setTypeName(typeName);
        }
        return b.build();
    }
}
