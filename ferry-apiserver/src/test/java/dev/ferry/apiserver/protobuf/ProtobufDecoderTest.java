package dev.ferry.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.ferry.apiserver.ApiException;
import io.kubernetes.client.proto.IntStr.IntOrString;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Meta.ObjectMeta;
import io.kubernetes.client.proto.Resource.Quantity;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Autoscaling;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

final class ProtobufDecoderTest {
    private final ProtobufDecoder decoder = new ProtobufDecoder();

    // ---- the four bodies captured from kubectl 1.32 ----

    @Test
    void createNamespaceSample() {
        ObjectNode ns = decoder.decode(sample("POST_api_v1_namespaces.pb"));

        assertThat(ns.toString()).isEqualTo(
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"foo\"},\"spec\":{},\"status\":{}}");
        assertThat(ns.path("metadata").has("creationTimestamp")).isFalse();
        assertThat(ns.path("metadata").has("generateName")).isFalse();
        assertThat(ns.path("metadata").has("generation")).isFalse();
    }

    @Test
    void createConfigMapSample() {
        ObjectNode cm = decoder.decode(sample("POST_api_v1_namespaces_default_configmaps.pb"));

        assertThat(cm.path("apiVersion").asString()).isEqualTo("v1");
        assertThat(cm.path("kind").asString()).isEqualTo("ConfigMap");
        assertThat(cm.path("metadata").toString()).isEqualTo("{\"name\":\"cm1\"}");
        assertThat(cm.path("data").toString()).isEqualTo("{\"a\":\"b\"}");
        assertThat(cm.has("immutable")).isFalse();
        assertThat(cm.has("binaryData")).isFalse();
    }

    @Test
    void createServiceNodePortSample() {
        ObjectNode svc = decoder.decode(sample("POST_api_v1_namespaces_default_services.pb"));

        assertThat(svc.path("kind").asString()).isEqualTo("Service");
        assertThat(svc.at("/metadata/name").asString()).isEqualTo("ns1");
        assertThat(svc.at("/metadata/labels").toString()).isEqualTo("{\"app\":\"ns1\"}");
        JsonNode port = svc.at("/spec/ports/0");
        assertThat(port.toString())
                .isEqualTo("{\"name\":\"80-8080\",\"protocol\":\"TCP\",\"port\":80,\"targetPort\":8080}");
        assertThat(port.path("targetPort").isInt()).isTrue();
        assertThat(port.has("nodePort")).as("nodePort 0 is omitempty").isFalse();
        assertThat(port.has("appProtocol")).isFalse();
        assertThat(svc.at("/spec/selector").toString()).isEqualTo("{\"app\":\"ns1\"}");
        assertThat(svc.at("/spec/type").asString()).isEqualTo("NodePort");
        assertThat(svc.path("spec").propertyNames()).containsExactly("ports", "selector", "type");
        assertThat(svc.path("status").toString()).isEqualTo("{\"loadBalancer\":{}}");
    }

    @Test
    void createDeploymentSample() {
        ObjectNode dep = decoder.decode(sample("POST_apis_apps_v1_namespaces_default_deployments.pb"));

        assertThat(dep.toString()).isEqualTo("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
                + "\"metadata\":{\"name\":\"nginx2\",\"labels\":{\"app\":\"nginx2\"}},"
                + "\"spec\":{\"replicas\":3,\"selector\":{\"matchLabels\":{\"app\":\"nginx2\"}},"
                + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"nginx2\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.27\",\"resources\":{}}]}},"
                + "\"strategy\":{}},\"status\":{}}");
        assertThat(dep.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(dep.at("/spec/template/spec").has("restartPolicy")).isFalse();
        assertThat(dep.at("/spec/template/spec").has("dnsPolicy")).isFalse();
        assertThat(dep.at("/spec").has("minReadySeconds")).isFalse();
        assertThat(dep.at("/spec").has("paused")).isFalse();
    }

    // ---- zero values: dropped unless Go's JSON keeps them ----

    @Test
    void pointerZeroesAreKeptAndOmitemptyZeroesDropped() {
        V1Apps.Deployment d = V1Apps.Deployment.newBuilder()
                .setMetadata(ObjectMeta.newBuilder().setName("d").setGenerateName("").setGeneration(0))
                .setSpec(V1Apps.DeploymentSpec.newBuilder()
                        .setReplicas(0)
                        .setMinReadySeconds(0)
                        .setPaused(false)
                        .setRevisionHistoryLimit(0)
                        .setStrategy(V1Apps.DeploymentStrategy.newBuilder().setType("RollingUpdate")
                                .setRollingUpdate(V1Apps.RollingUpdateDeployment.newBuilder()
                                        .setMaxUnavailable(IntOrString.newBuilder().setType(0).setIntVal(0))
                                        .setMaxSurge(IntOrString.newBuilder().setType(1).setStrVal("25%")))))
                .build();

        ObjectNode json = decoder.decode(envelope("apps/v1", "Deployment", d));

        assertThat(json.at("/metadata").toString()).isEqualTo("{\"name\":\"d\"}");
        assertThat(json.at("/spec/replicas").isNumber()).isTrue();
        assertThat(json.at("/spec/replicas").asInt()).isZero();
        assertThat(json.at("/spec/revisionHistoryLimit").asInt()).isZero();
        assertThat(json.at("/spec").has("minReadySeconds")).isFalse();
        assertThat(json.at("/spec").has("paused")).isFalse();
        assertThat(json.at("/spec/strategy").toString()).isEqualTo(
                "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":0,\"maxSurge\":\"25%\"}}");
    }

    @Test
    void podSpecialTypesBecomeTheirJsonForms() {
        V1.Pod pod = V1.Pod.newBuilder()
                .setMetadata(ObjectMeta.newBuilder().setName("p")
                        .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(1704164645L).setNanos(999))
                        .setGeneration(12345678901L)
                        .addManagedFields(Meta.ManagedFieldsEntry.newBuilder().setManager("kubectl")
                                .setFieldsType("FieldsV1")
                                .setFieldsV1(Meta.FieldsV1.newBuilder()
                                        .setRaw(ByteString.copyFromUtf8("{\"f:spec\":{}}")))))
                .setSpec(V1.PodSpec.newBuilder()
                        .setTerminationGracePeriodSeconds(0)
                        .setEnableServiceLinks(false)
                        .setHostNetwork(false)
                        .addContainers(V1.Container.newBuilder().setName("c").setImage("nginx")
                                .addPorts(V1.ContainerPort.newBuilder().setContainerPort(8080).setHostPort(0)
                                        .setProtocol("TCP"))
                                .setResources(V1.ResourceRequirements.newBuilder()
                                        .putLimits("cpu", Quantity.newBuilder().setString("500m").build())
                                        .putRequests("memory", Quantity.newBuilder().setString("64Mi").build()))
                                .setLivenessProbe(V1.Probe.newBuilder()
                                        .setHandler(V1.ProbeHandler.newBuilder().setHttpGet(
                                                V1.HTTPGetAction.newBuilder().setPath("/healthz")
                                                        .setPort(IntOrString.newBuilder().setType(1)
                                                                .setStrVal("http"))))
                                        .setPeriodSeconds(10))))
                .setStatus(V1.PodStatus.newBuilder().setPhase("").setStartTime(Meta.Time.newBuilder()))
                .build();

        ObjectNode json = decoder.decode(envelope("v1", "Pod", pod));

        assertThat(json.at("/metadata/creationTimestamp").asString()).isEqualTo("2024-01-02T03:04:05Z");
        assertThat(json.at("/metadata/generation").isIntegralNumber()).isTrue();
        assertThat(json.at("/metadata/generation").asLong()).isEqualTo(12345678901L);
        assertThat(json.at("/metadata/managedFields/0/fieldsV1").toString()).isEqualTo("{\"f:spec\":{}}");
        assertThat(json.at("/spec/terminationGracePeriodSeconds").asLong()).isZero();
        assertThat(json.at("/spec/enableServiceLinks").isBoolean()).isTrue();
        assertThat(json.at("/spec/enableServiceLinks").asBoolean()).isFalse();
        assertThat(json.at("/spec").has("hostNetwork")).isFalse();
        JsonNode c = json.at("/spec/containers/0");
        assertThat(c.path("ports").toString()).isEqualTo("[{\"containerPort\":8080,\"protocol\":\"TCP\"}]");
        assertThat(c.path("resources").toString())
                .isEqualTo("{\"limits\":{\"cpu\":\"500m\"},\"requests\":{\"memory\":\"64Mi\"}}");
        assertThat(c.path("livenessProbe").toString())
                .as("the probe handler is inlined")
                .isEqualTo("{\"httpGet\":{\"path\":\"/healthz\",\"port\":\"http\"},\"periodSeconds\":10}");
        assertThat(json.path("status").toString()).as("zero time and empty phase dropped").isEqualTo("{}");
    }

    @Test
    void requiredNonPointerZeroesStayAsGoPrintsThem() {
        V1.Service svc = V1.Service.newBuilder()
                .setMetadata(ObjectMeta.newBuilder().setName("s"))
                .setSpec(V1.ServiceSpec.newBuilder().addPorts(V1.ServicePort.newBuilder().setPort(0)
                        .setTargetPort(IntOrString.newBuilder().setType(0).setIntVal(0)).setNodePort(0)))
                .build();

        JsonNode port = decoder.decode(envelope("v1", "Service", svc)).at("/spec/ports/0");

        assertThat(port.toString()).as("port has no omitempty; targetPort/nodePort do").isEqualTo("{\"port\":0}");
    }

    @Test
    void eventMicroTimeHasMicroseconds() {
        V1.Event ev = V1.Event.newBuilder()
                .setMetadata(ObjectMeta.newBuilder().setName("e").setNamespace("default"))
                .setInvolvedObject(V1.ObjectReference.newBuilder().setKind("Pod").setName("p").setNamespace("default"))
                .setReason("Started").setCount(0).setType("Normal")
                .setEventTime(Meta.MicroTime.newBuilder().setSeconds(1704164645L).setNanos(123456789))
                .setFirstTimestamp(Meta.Time.newBuilder().setSeconds(0))
                .build();

        ObjectNode json = decoder.decode(envelope("v1", "Event", ev));

        assertThat(json.path("eventTime").asString()).isEqualTo("2024-01-02T03:04:05.123456Z");
        assertThat(json.path("firstTimestamp").asString()).as("explicit 0 seconds is the epoch")
                .isEqualTo("1970-01-01T00:00:00Z");
        assertThat(json.has("count")).isFalse();
        assertThat(json.path("involvedObject").toString())
                .isEqualTo("{\"kind\":\"Pod\",\"namespace\":\"default\",\"name\":\"p\"}");
    }

    @Test
    void configMapBinaryDataIsBase64AndEmptyMapValuesStay() {
        V1.ConfigMap cm = V1.ConfigMap.newBuilder()
                .setMetadata(ObjectMeta.newBuilder().setName("c").putLabels("empty", ""))
                .putData("k", "")
                .putBinaryData("b", ByteString.copyFrom(new byte[] {0, 1, (byte) 0xff}))
                .setImmutable(true)
                .build();

        ObjectNode json = decoder.decode(envelope("v1", "ConfigMap", cm));

        assertThat(json.at("/metadata/labels").toString()).isEqualTo("{\"empty\":\"\"}");
        assertThat(json.path("data").toString()).isEqualTo("{\"k\":\"\"}");
        assertThat(json.at("/binaryData/b").asString()).isEqualTo("AAH/");
        assertThat(json.path("immutable").asBoolean()).isTrue();
    }

    @Test
    void scaleAndDeleteOptions() {
        V1Autoscaling.Scale scale = V1Autoscaling.Scale.newBuilder()
                .setMetadata(ObjectMeta.newBuilder().setName("web").setResourceVersion("42"))
                .setSpec(V1Autoscaling.ScaleSpec.newBuilder().setReplicas(5))
                .build();
        ObjectNode s = decoder.decode(envelope("autoscaling/v1", "Scale", scale));
        assertThat(s.toString()).isEqualTo("{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\","
                + "\"metadata\":{\"name\":\"web\",\"resourceVersion\":\"42\"},\"spec\":{\"replicas\":5}}");

        Meta.DeleteOptions opts = Meta.DeleteOptions.newBuilder().setGracePeriodSeconds(0)
                .setPropagationPolicy("Foreground").addDryRun("All").build();
        ObjectNode d = decoder.decode(envelope("meta.k8s.io/v1", "DeleteOptions", opts));
        assertThat(d.toString()).isEqualTo("{\"apiVersion\":\"meta.k8s.io/v1\",\"kind\":\"DeleteOptions\","
                + "\"gracePeriodSeconds\":0,\"propagationPolicy\":\"Foreground\",\"dryRun\":[\"All\"]}");
    }

    @Test
    void endpointSliceUsesTheBundledDiscoverySchema() {
        var type = DiscoveryV1Proto.endpointSlice();
        var endpointType = type.findFieldByName("endpoints").getMessageType();
        var conditionsType = endpointType.findFieldByName("conditions").getMessageType();
        var portType = type.findFieldByName("ports").getMessageType();
        DynamicMessage endpoint = DynamicMessage.newBuilder(endpointType)
                .addRepeatedField(endpointType.findFieldByName("addresses"), "10.0.0.1")
                .setField(endpointType.findFieldByName("conditions"), DynamicMessage.newBuilder(conditionsType)
                        .setField(conditionsType.findFieldByName("ready"), false).build())
                .setField(endpointType.findFieldByName("nodeName"), "n1")
                .build();
        DynamicMessage slice = DynamicMessage.newBuilder(type)
                .setField(type.findFieldByName("metadata"), ObjectMeta.newBuilder().setName("web-abc").build())
                .setField(type.findFieldByName("addressType"), "IPv4")
                .addRepeatedField(type.findFieldByName("endpoints"), endpoint)
                .addRepeatedField(type.findFieldByName("ports"), DynamicMessage.newBuilder(portType)
                        .setField(portType.findFieldByName("name"), "")
                        .setField(portType.findFieldByName("port"), 80).build())
                .build();

        ObjectNode json = decoder.decode(envelope("discovery.k8s.io/v1", "EndpointSlice", slice));

        assertThat(json.toString()).isEqualTo("{\"apiVersion\":\"discovery.k8s.io/v1\",\"kind\":\"EndpointSlice\","
                + "\"metadata\":{\"name\":\"web-abc\"},\"addressType\":\"IPv4\","
                + "\"endpoints\":[{\"addresses\":[\"10.0.0.1\"],\"conditions\":{\"ready\":false},\"nodeName\":\"n1\"}],"
                + "\"ports\":[{\"name\":\"\",\"port\":80}]}");
    }

    @Test
    void everyServedKindIsRegistered() {
        String[][] kinds = {{"v1", "Namespace"}, {"v1", "Service"}, {"v1", "Pod"}, {"v1", "Endpoints"},
                {"v1", "Node"}, {"v1", "Event"}, {"v1", "ConfigMap"}, {"apps/v1", "Deployment"},
                {"apps/v1", "ReplicaSet"}, {"discovery.k8s.io/v1", "EndpointSlice"}, {"autoscaling/v1", "Scale"},
                {"v1", "DeleteOptions"}, {"meta.k8s.io/v1", "DeleteOptions"}};
        for (String[] k : kinds) {
            ObjectNode json = decoder.decode(envelope(k[0], k[1], ByteString.EMPTY));
            assertThat(json.path("apiVersion").asString()).isEqualTo(k[0]);
            assertThat(json.path("kind").asString()).isEqualTo(k[1]);
        }
    }

    // ---- bad input: always a 400, never another exception ----

    @Test
    void wrongMagicIsBadRequest() {
        byte[] body = sample("POST_api_v1_namespaces.pb");
        body[3] = 1;
        assertBadRequest(body, "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        assertBadRequest("{\"kind\":\"Namespace\"}".getBytes(), "does not appear to be a protobuf message");
        assertBadRequest(new byte[0], "does not appear to be a protobuf message");
        assertBadRequest(new byte[] {'k', '8', 's'}, "does not appear to be a protobuf message");
    }

    @Test
    void unknownKindIsBadRequest() {
        assertBadRequest(envelope("v1", "Secret", ByteString.EMPTY),
                "no kind \"Secret\" is registered for version \"v1\"");
        assertBadRequest(envelope("apps/v1", "Service", ByteString.EMPTY),
                "no kind \"Service\" is registered for version \"apps/v1\"");
        assertBadRequest(envelope("v1", "", ByteString.EMPTY), "Object 'Kind' is missing");
        assertBadRequest(envelope("", "Pod", ByteString.EMPTY), "Object 'apiVersion' is missing");
        assertBadRequest(new byte[] {'k', '8', 's', 0}, "Object 'Kind' is missing");
    }

    @Test
    void truncatedBodiesAreBadRequest() {
        byte[] full = sample("POST_apis_apps_v1_namespaces_default_deployments.pb");
        // Envelope layout: magic (4), typeMeta field (2 + 21), raw field tag+length (3) + 189 bytes, then 4 bytes.
        // A cut at a field boundary is a shorter valid message; a cut anywhere inside the raw field is not.
        int rawEnd = 4 + 2 + 21 + 3 + 189;
        assertThat(rawEnd).isEqualTo(full.length - 4);
        for (int len = 5; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            Throwable t = catchThrowable(() -> decoder.decode(cut));
            if (len > 27 && len < rawEnd) {
                assertThat(t).as("cut at %d", len).isInstanceOf(ApiException.class);
            }
            if (t != null) {
                assertThat(t).as("cut at %d", len).isInstanceOf(ApiException.class);
                assertThat(((ApiException) t).code()).isEqualTo(400);
            }
        }
        // the inner object itself truncated inside a valid envelope
        byte[] raw = V1.Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("foo")).build()
                .toByteArray();
        assertBadRequest(envelope("v1", "Namespace", ByteString.copyFrom(raw, 0, raw.length - 1)),
                "unable to decode protobuf Namespace (v1): ");
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButBadRequest() {
        Random random = new Random(20240102L);
        int decoded = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] body = new byte[4 + random.nextInt(200)];
            random.nextBytes(body);
            body[0] = 'k';
            body[1] = '8';
            body[2] = 's';
            body[3] = 0;
            try {
                decoder.decode(body);
                decoded++;
            } catch (ApiException e) {
                assertThat(e.code()).isEqualTo(400);
            }
        }
        assertThat(decoded).as("random bytes hardly ever name a registered kind").isLessThan(20);
    }

    @Test
    void randomBytesInsideAValidEnvelopeAreBadRequestOrDecoded() {
        Random random = new Random(7L);
        for (int i = 0; i < 2000; i++) {
            byte[] raw = new byte[1 + random.nextInt(120)];
            random.nextBytes(raw);
            try {
                ObjectNode json = decoder.decode(envelope("apps/v1", "Deployment", ByteString.copyFrom(raw)));
                assertThat(json.path("kind").asString()).isEqualTo("Deployment");
            } catch (ApiException e) {
                assertThat(e.code()).isEqualTo(400);
            }
        }
    }

    // ---- helpers ----

    private void assertBadRequest(byte[] body, String messagePart) {
        assertThatThrownBy(() -> decoder.decode(body))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400))
                .hasMessageContaining(messagePart);
    }

    private static byte[] envelope(String apiVersion, String kind, Message object) {
        return envelope(apiVersion, kind, object.toByteString());
    }

    /** As Go writes it: magic, then runtime.Unknown with empty contentEncoding/contentType present. */
    private static byte[] envelope(String apiVersion, String kind, ByteString raw) {
        byte[] unknown = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(raw).setContentEncoding("").setContentType("")
                .build().toByteArray();
        byte[] body = new byte[4 + unknown.length];
        body[0] = 'k';
        body[1] = '8';
        body[2] = 's';
        System.arraycopy(unknown, 0, body, 4, unknown.length);
        return body;
    }

    private static byte[] sample(String name) {
        try (InputStream in = ProtobufDecoderTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
