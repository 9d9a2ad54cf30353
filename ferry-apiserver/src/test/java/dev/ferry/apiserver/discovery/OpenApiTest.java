package dev.ferry.apiserver.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Json;
import dev.ferry.apiserver.Samples;
import dev.ferry.apiserver.resource.ResourceTypes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class OpenApiTest {
    private static final ResourceTypes TYPES = ResourceTypes.standard(Map.of());
    private final OpenApi openApi = new OpenApi(TYPES, VersionInfo.DEFAULT);

    @Test
    void rootListsEachGroupVersionWithAHashedUrlLikeTheSample() {
        ObjectNode root = openApi.root();
        ObjectNode sample = Samples.load("openapi-v3-root.json");
        assertThat(root.propertyNames()).containsExactly("paths");
        assertThat(root.get("paths").propertyNames())
                .containsExactlyElementsOf(sample.get("paths").propertyNames());
        root.get("paths").properties().forEach(e -> {
            assertThat(e.getValue().propertyNames()).containsExactly("serverRelativeURL");
            String url = e.getValue().get("serverRelativeURL").asString();
            assertThat(url).matches("/openapi/v3/" + e.getKey().replace(".", "\\.") + "\\?hash=[0-9A-F]{128}");
            assertThat(url).endsWith("=" + openApi.hash(e.getKey()).orElseThrow());
        });
    }

    @Test
    void hashIsSha512OfTheServedBytesAndTracksContent() throws Exception {
        byte[] bytes = openApi.groupVersionBytes("api/v1").orElseThrow();
        String expected = HexFormat.of().withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
        assertThat(openApi.hash("api/v1")).contains(expected);
        assertThat(Json.MAPPER.readTree(bytes)).isEqualTo(Json.MAPPER.readTree(
                Json.MAPPER.writeValueAsBytes(openApi.groupVersionDoc("api/v1").orElseThrow())));
        assertThat(new OpenApi(TYPES, VersionInfo.DEFAULT).hash("api/v1")).isEqualTo(openApi.hash("api/v1"));
        VersionInfo other = new VersionInfo("1", "33", "v1.33.0", "c", "clean", "d", "g", "gc", "linux/amd64");
        assertThat(new OpenApi(TYPES, other).hash("api/v1")).isNotEqualTo(openApi.hash("api/v1"));
        assertThat(openApi.hash("apis/batch/v1")).isEmpty();
        assertThat(openApi.groupVersionDoc("apis/batch/v1")).isEmpty();
    }

    @Test
    void appsDocumentHasThePatchOnlySamplesOperations() {
        ObjectNode ours = openApi.groupVersionDoc("apis/apps/v1").orElseThrow();
        ObjectNode sample = Samples.load("openapi-v3-apps-v1-patchonly.json");
        assertThat(ours.get("openapi")).isEqualTo(sample.get("openapi"));
        assertThat(ours.get("info")).isEqualTo(sample.get("info"));
        assertThat(ours.get("components")).isEqualTo(sample.get("components"));
        sample.get("paths").properties().forEach(e -> {
            JsonNode expected = e.getValue().get("patch");
            JsonNode actual = ours.get("paths").path(e.getKey()).path("patch");
            assertThat(actual.isObject()).as(e.getKey()).isTrue();
            assertThat(actual.get("x-kubernetes-action")).isEqualTo(expected.get("x-kubernetes-action"));
            assertThat(Samples.wire((ObjectNode) actual.get("x-kubernetes-group-version-kind")))
                    .isEqualTo(expected.get("x-kubernetes-group-version-kind"));
            assertThat(actual.get("responses").get("200").get("description").asString()).isEqualTo("OK");
            for (JsonNode param : expected.get("parameters")) {
                JsonNode mine = param(actual, param.get("name").asString());
                assertThat(mine).as(e.getKey() + " " + param.get("name")).isNotNull();
                assertThat(mine.get("in")).isEqualTo(param.get("in"));
                assertThat(mine.get("schema")).isEqualTo(param.get("schema"));
            }
        });
        assertThat(ours.get("paths").get("/apis/apps/v1/namespaces/{namespace}/deployments/{name}")
                .get("patch").get("operationId").asString()).isEqualTo("patchAppsV1NamespacedDeployment");
    }

    @Test
    void subresourcePatchesCarryTheirKinds() {
        ObjectNode apps = openApi.groupVersionDoc("apis/apps/v1").orElseThrow();
        JsonNode scale = apps.get("paths").get("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale")
                .get("patch");
        assertThat(scale.get("x-kubernetes-group-version-kind").toString())
                .isEqualTo("{\"group\":\"autoscaling\",\"version\":\"v1\",\"kind\":\"Scale\"}");
        assertThat(scale.get("operationId").asString()).isEqualTo("patchAppsV1NamespacedDeploymentScale");
        JsonNode status = apps.get("paths").get("/apis/apps/v1/namespaces/{namespace}/replicasets/{name}/status")
                .get("patch");
        assertThat(status.get("x-kubernetes-group-version-kind").get("kind").asString()).isEqualTo("ReplicaSet");

        ObjectNode core = openApi.groupVersionDoc("api/v1").orElseThrow();
        assertThat(core.get("paths").propertyNames()).contains("/api/v1/namespaces/{name}",
                "/api/v1/namespaces/{name}/status", "/api/v1/nodes/{name}",
                "/api/v1/namespaces/{namespace}/pods/{name}/status", "/api/v1/namespaces/{namespace}/services/{name}")
                .doesNotContain("/api/v1/namespaces/{name}/finalize", "/api/v1/namespaces/{namespace}/pods/{name}/log");
        JsonNode namespace = core.get("paths").get("/api/v1/namespaces/{name}");
        assertThat(namespace.get("parameters").size()).as("cluster-scoped: name only").isEqualTo(1);
        assertThat(namespace.get("patch").get("operationId").asString()).isEqualTo("patchCoreV1Namespace");
        JsonNode slice = openApi.groupVersionDoc("apis/discovery.k8s.io/v1").orElseThrow().get("paths")
                .get("/apis/discovery.k8s.io/v1/namespaces/{namespace}/endpointslices/{name}").get("patch");
        assertThat(slice.get("operationId").asString()).isEqualTo("patchDiscoveryV1NamespacedEndpointSlice");
    }

    /**
     * kubectl's checks: fieldValidation support is read from the first PATCH operation with the GVK, so every one
     * must list it; a PATCH without requestBody makes kubectl use its compiled-in strategic-merge metadata.
     */
    @Test
    void everyPatchOperationSupportsFieldValidationAndHasNoRequestBody() {
        int operations = 0;
        for (String path : List.of("api/v1", "apis/apps/v1", "apis/discovery.k8s.io/v1")) {
            for (JsonNode item : openApi.groupVersionDoc(path).orElseThrow().get("paths").values()) {
                JsonNode patch = item.get("patch");
                assertThat(param(patch, "fieldValidation").get("in").asString()).isEqualTo("query");
                assertThat(patch.get("x-kubernetes-group-version-kind").get("kind").asString()).isNotEmpty();
                assertThat(patch.has("requestBody")).isFalse();
                operations++;
            }
        }
        // 9 resources, 6 status subresources, 2 scale subresources
        assertThat(operations).isEqualTo(17);
    }

    @Test
    void serviceSchemaSupportsExplainAndEveryRefResolves() {
        ObjectNode core = openApi.groupVersionDoc("api/v1").orElseThrow();
        JsonNode schemas = core.get("components").get("schemas");
        List<String> refs = new ArrayList<>();
        collectRefs(core, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/components/schemas/");
            assertThat(schemas.has(ref.substring("#/components/schemas/".length()))).as(ref).isTrue();
        }

        // What kubectl explain does: GVK from the item path's operation, then the schema listing that GVK.
        JsonNode gvk = core.get("paths").get("/api/v1/namespaces/{namespace}/services/{name}").get("patch")
                .get("x-kubernetes-group-version-kind");
        JsonNode service = null;
        for (JsonNode schema : schemas.values()) {
            for (JsonNode listed : schema.path("x-kubernetes-group-version-kind").values()) {
                if (listed.equals(gvk)) {
                    service = schema;
                }
            }
        }
        assertThat(service).isNotNull();
        assertThat(service.get("description").asString()).startsWith("Service is a named abstraction");
        JsonNode spec = resolve(schemas, service.get("properties").get("spec"));
        JsonNode ports = spec.get("properties").get("ports");
        assertThat(ports.get("x-kubernetes-patch-merge-key").asString()).isEqualTo("port");
        JsonNode port = resolve(schemas, ports.get("items"));
        assertThat(port.get("properties").propertyNames()).contains("port", "targetPort", "nodePort", "protocol");
        assertThat(spec.get("properties").propertyNames()).contains("trafficDistribution", "clusterIPs", "type");
        assertThat(core.get("paths").get("/api/v1/namespaces/{namespace}/services/{name}").get("patch")
                .get("responses").get("200").get("content").get("application/json").get("schema").get("$ref")
                .asString()).isEqualTo("#/components/schemas/io.k8s.api.core.v1.Service");
    }

    private static JsonNode resolve(JsonNode schemas, JsonNode property) {
        String ref = property.has("$ref") ? property.get("$ref").asString()
                : property.get("allOf").get(0).get("$ref").asString();
        return schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
    }

    private static void collectRefs(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) {
                    out.add(e.getValue().asString());
                } else {
                    collectRefs(e.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.values().forEach(v -> collectRefs(v, out));
        }
    }

    private static JsonNode param(JsonNode operation, String name) {
        for (JsonNode p : operation.get("parameters")) {
            if (p.get("name").asString().equals(name)) {
                return p;
            }
        }
        return null;
    }
}
