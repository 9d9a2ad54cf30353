package dev.ferry.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Metadata through the status subresource, as upstream: a status write may change labels, annotations, finalizers and
 * ownerReferences except where the kind's status strategy resets them (Deployment: labels; Pod: ownerReferences), and
 * never spec, generation, uid or creationTimestamp.
 */
class StatusSubresourceTest extends ServerTest {
    private static final Fixtures.Kind REPLICA_SETS = new Fixtures.Kind("apps", "v1", "replicasets", "ReplicaSet");

    @Test
    void deploymentStatusWritesKeepAnnotationsButNotLabelsOrSpec() {
        api.createNamespace("st-deploy");
        ApiClient.Resp created = api.post(Fixtures.DEPLOYMENTS.collection("st-deploy"), Fixtures.deployment("web", 2));
        ObjectNode body = created.json();
        ObjectNode meta = (ObjectNode) body.get("metadata");
        meta.putObject("annotations").put("example.com/note", "from-status");
        meta.putObject("labels").put("app", "web").put("extra", "x");
        ((ObjectNode) body.get("spec")).put("replicas", 9);
        body.putObject("status").put("replicas", 2).put("observedGeneration", 1);

        ApiClient.Resp written = api.put(Fixtures.DEPLOYMENTS.item("st-deploy", "web") + "/status", body);
        assertThat(written.status()).as(written.body()).isEqualTo(200);

        ObjectNode stored = api.get(Fixtures.DEPLOYMENTS.item("st-deploy", "web")).json();
        assertThat(stored.at("/metadata/annotations/example.com~1note").asString()).isEqualTo("from-status");
        assertThat(Map.copyOf(Json.MAPPER.convertValue(stored.at("/metadata/labels"), Map.class)))
                .isEqualTo(Map.of("app", "web"));
        assertThat(stored.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(stored.at("/status/replicas").asInt()).isEqualTo(2);
        assertThat(stored.at("/metadata/generation").asLong()).as("status writes never bump the generation")
                .isEqualTo(1);
        assertThat(stored.at("/metadata/uid").asString()).isEqualTo(created.json().at("/metadata/uid").asString());
    }

    @Test
    void deploymentAnnotationChangesThroughTheMainResourceBumpTheGeneration() {
        api.createNamespace("st-gen");
        ObjectNode created = api.post(Fixtures.DEPLOYMENTS.collection("st-gen"), Fixtures.deployment("web", 1)).json();
        ((ObjectNode) created.get("metadata")).putObject("annotations").put("example.com/note", "v1");

        ApiClient.Resp updated = api.put(Fixtures.DEPLOYMENTS.item("st-gen", "web"), created);
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().at("/metadata/generation").asLong()).isEqualTo(2);
    }

    @Test
    void replicaSetStatusWritesMayChangeLabels() {
        api.createNamespace("st-rs");
        ObjectNode rs = Json.object().put("apiVersion", "apps/v1").put("kind", "ReplicaSet");
        rs.putObject("metadata").put("name", "web").putObject("labels").put("app", "web");
        ObjectNode spec = rs.putObject("spec").put("replicas", 1);
        spec.putObject("selector").putObject("matchLabels").put("app", "web");
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", "web");
        template.putObject("spec").putArray("containers").addObject().put("name", "main").put("image", "ferry/echo");
        ObjectNode body = api.post(REPLICA_SETS.collection("st-rs"), rs).json();
        ((ObjectNode) body.at("/metadata/labels")).put("extra", "x");
        ((ObjectNode) body.get("spec")).put("replicas", 4);
        ((ObjectNode) body.get("status")).put("replicas", 1);

        ApiClient.Resp written = api.put(REPLICA_SETS.item("st-rs", "web") + "/status", body);
        assertThat(written.status()).as(written.body()).isEqualTo(200);
        assertThat(written.json().at("/metadata/labels/extra").asString()).isEqualTo("x");
        assertThat(written.json().at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(written.json().at("/status/replicas").asInt()).isEqualTo(1);
    }

    @Test
    void podStatusPatchesWriteLabelsButNotOwnerReferences() {
        api.createNamespace("st-pod");
        String ownerUid = api.post(Fixtures.SERVICES.collection("st-pod"), Fixtures.service("owner", Map.of())).json()
                .at("/metadata/uid").asString();
        ObjectNode pod = Fixtures.pod("p", Map.of("app", "p"));
        ((ObjectNode) pod.get("metadata")).putArray("ownerReferences").addObject().put("apiVersion", "v1")
                .put("kind", "Service").put("name", "owner").put("uid", ownerUid);
        assertThat(api.post(Fixtures.PODS.collection("st-pod"), pod).status()).isEqualTo(201);

        String patch = "{\"metadata\":{\"labels\":{\"app\":\"p\",\"seen\":\"yes\"},\"annotations\":{\"a\":\"b\"},"
                + "\"ownerReferences\":null},\"spec\":{\"nodeName\":\"elsewhere\"},\"status\":{\"phase\":\"Running\"}}";
        ApiClient.Resp written = api.send("PATCH", Fixtures.PODS.item("st-pod", "p") + "/status",
                patch.getBytes(StandardCharsets.UTF_8), "application/merge-patch+json");
        assertThat(written.status()).as(written.body()).isEqualTo(200);

        ObjectNode stored = api.get(Fixtures.PODS.item("st-pod", "p")).json();
        assertThat(stored.at("/metadata/labels/seen").asString()).isEqualTo("yes");
        assertThat(stored.at("/metadata/annotations/a").asString()).isEqualTo("b");
        assertThat(stored.at("/metadata/ownerReferences/0/uid").asString()).isEqualTo(ownerUid);
        assertThat(stored.at("/spec").has("nodeName")).isFalse();
        assertThat(stored.at("/status/phase").asString()).isEqualTo("Running");
        assertThat(stored.at("/status/qosClass").asString()).isEqualTo("BestEffort");
    }

    @Test
    void statusWritesAreRecordedAsSuchInManagedFields() {
        api.createNamespace("st-managed");
        ApiClient.Resp created = api.post(Fixtures.SERVICES.collection("st-managed") + "?fieldManager=creator",
                Fixtures.service("web", Map.of()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ObjectNode body = created.json();
        ((ObjectNode) body.get("metadata")).putArray("managedFields").addObject().put("manager", "forged")
                .put("operation", "Update").put("apiVersion", "v1").put("fieldsType", "FieldsV1")
                .putObject("fieldsV1");
        ((ObjectNode) body.get("status")).putArray("conditions").addObject().put("type", "Ready")
                .put("status", "True").put("reason", "Fine").put("message", "").put("lastTransitionTime",
                        "2026-01-01T00:00:00Z");

        ApiClient.Resp written = api.put(Fixtures.SERVICES.item("st-managed", "web") + "/status?fieldManager=ctl",
                body);
        assertThat(written.status()).as(written.body()).isEqualTo(200);

        JsonNode ctl = entry(written.json(), "ctl");
        assertThat(ctl).as(written.json().at("/metadata/managedFields").toString()).isNotNull();
        assertThat(ctl.path("subresource").asString()).isEqualTo("status");
        assertThat(ctl.path("fieldsV1").has("f:status")).isTrue();
        assertThat(entry(written.json(), "creator")).isNotNull();
        assertThat(entry(written.json(), "forged")).as("managedFields of a status request are ignored").isNull();

        String patch = "{\"metadata\":{\"annotations\":{\"a\":\"b\"}}}";
        ApiClient.Resp patched = api.send("PATCH", Fixtures.SERVICES.item("st-managed", "web")
                + "/status?fieldManager=patcher", patch.getBytes(StandardCharsets.UTF_8),
                "application/merge-patch+json");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        JsonNode patcher = entry(patched.json(), "patcher");
        assertThat(patcher).as(patched.json().at("/metadata/managedFields").toString()).isNotNull();
        assertThat(patcher.path("subresource").asString()).isEqualTo("status");
        assertThat(patched.json().at("/metadata/annotations/a").asString()).isEqualTo("b");
    }

    @Test
    void aStatusWriteThatDropsTheLastFinalizerOfADeletingObjectDeletesIt() {
        api.createNamespace("st-final");
        ObjectNode svc = Fixtures.service("held", Map.of());
        ((ObjectNode) svc.get("metadata")).putArray("finalizers").add("example.com/hold");
        assertThat(api.post(Fixtures.SERVICES.collection("st-final"), svc).status()).isEqualTo(201);
        ObjectNode deleting = api.delete(Fixtures.SERVICES.item("st-final", "held")).json();
        assertThat(deleting.at("/metadata").has("deletionTimestamp")).isTrue();

        ((ObjectNode) deleting.get("metadata")).remove("finalizers");
        ApiClient.Resp written = api.put(Fixtures.SERVICES.item("st-final", "held") + "/status", deleting);
        assertThat(written.status()).as(written.body()).isEqualTo(200);
        assertThat(api.get(Fixtures.SERVICES.item("st-final", "held")).status()).isEqualTo(404);
    }

    private static JsonNode entry(JsonNode obj, String manager) {
        for (JsonNode e : obj.at("/metadata/managedFields")) {
            if (e.path("manager").asString().equals(manager)) {
                return e;
            }
        }
        return null;
    }
}
