package dev.ferry.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Deletion semantics that span objects: namespace termination and owner-reference garbage collection. */
class LifecycleTest extends ServerTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @Test
    void deletingANamespaceDeletesEverythingInItThenTheNamespace() {
        api.createNamespace("doomed");
        assertThat(api.post(Fixtures.SERVICES.collection("doomed"), Fixtures.service("web", Map.of())).status())
                .isEqualTo(201);
        assertThat(api.post(Fixtures.PODS.collection("doomed"), Fixtures.pod("p", Map.of())).status()).isEqualTo(201);

        ApiClient.Resp deleted = api.delete("/api/v1/namespaces/doomed");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("status").path("phase").asString()).isEqualTo("Terminating");
        assertThat(deleted.json().path("metadata").has("deletionTimestamp")).isTrue();

        Awaitility.await().atMost(DEADLINE).until(() -> api.get("/api/v1/namespaces/doomed").status() == 404);
        assertThat(api.get(Fixtures.SERVICES.item("doomed", "web")).status()).isEqualTo(404);
        assertThat(api.get(Fixtures.PODS.item("doomed", "p")).status()).isEqualTo(404);
    }

    @Test
    void clusterScopedResourcesAreNotServedUnderANamespace() {
        Fixtures.assertStatus(api.post("/api/v1/namespaces/default/namespaces", Fixtures.namespace("inner")), 404,
                "NotFound", "the server could not find the requested resource");
        assertThat(api.get("/api/v1/namespaces/inner").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/namespaces/default/nodes").status()).isEqualTo(404);
    }

    @Test
    void creatingInATerminatingNamespaceIsForbidden() {
        api.createNamespace("closing");
        ObjectNode held = Fixtures.pod("held", Map.of());
        held.putObject("metadata").put("name", "held").putArray("finalizers").add("example.com/hold");
        assertThat(api.post(Fixtures.PODS.collection("closing"), held).status()).isEqualTo(201);
        api.delete("/api/v1/namespaces/closing");

        ApiClient.Resp refused = api.post(Fixtures.SERVICES.collection("closing"), Fixtures.service("late", Map.of()));
        Fixtures.assertStatus(refused, 403, "Forbidden",
                "unable to create new content in namespace closing because it is being terminated");

        ApiClient.Resp release = api.send("PATCH", Fixtures.PODS.item("closing", "held"),
                "{\"metadata\":{\"finalizers\":null}}".getBytes(), "application/merge-patch+json");
        assertThat(release.status()).isEqualTo(200);
        Awaitility.await().atMost(DEADLINE).until(() -> api.get("/api/v1/namespaces/closing").status() == 404);
    }

    @Test
    void dependentsGoWithTheirOwnerUnlessOrphaned() {
        api.createNamespace("gc");
        String ownerUid = api.post(Fixtures.SERVICES.collection("gc"), Fixtures.service("owner", Map.of())).json()
                .path("metadata").path("uid").asString();
        for (String name : new String[] {"child", "orphan-child"}) {
            ObjectNode pod = Fixtures.pod(name, Map.of());
            pod.putObject("metadata").put("name", name).putArray("ownerReferences").addObject()
                    .put("apiVersion", "v1").put("kind", "Service").put("name", "owner").put("uid", ownerUid);
            assertThat(api.post(Fixtures.PODS.collection("gc"), pod).status()).isEqualTo(201);
        }
        String secondUid = api.post(Fixtures.SERVICES.collection("gc"), Fixtures.service("owner2", Map.of())).json()
                .path("metadata").path("uid").asString();
        ObjectNode kept = Fixtures.pod("kept", Map.of());
        kept.putObject("metadata").put("name", "kept").putArray("ownerReferences").addObject()
                .put("apiVersion", "v1").put("kind", "Service").put("name", "owner2").put("uid", secondUid);
        assertThat(api.post(Fixtures.PODS.collection("gc"), kept).status()).isEqualTo(201);

        assertThat(api.send("DELETE", Fixtures.SERVICES.item("gc", "owner2"),
                "{\"propagationPolicy\":\"Orphan\"}".getBytes(), "application/json").status()).isEqualTo(200);
        Awaitility.await().atMost(DEADLINE)
                .until(() -> api.get(Fixtures.SERVICES.item("gc", "owner2")).status() == 404);
        ObjectNode orphan = api.get(Fixtures.PODS.item("gc", "kept")).json();
        assertThat(orphan.path("metadata").has("ownerReferences")).isFalse();

        assertThat(api.delete(Fixtures.SERVICES.item("gc", "owner")).status()).isEqualTo(200);
        Awaitility.await().atMost(DEADLINE).until(() -> api.get(Fixtures.PODS.item("gc", "child")).status() == 404
                && api.get(Fixtures.PODS.item("gc", "orphan-child")).status() == 404);
        assertThat(api.get(Fixtures.PODS.item("gc", "kept")).status()).isEqualTo(200);
    }

    @Test
    void foregroundDeletionWaitsForDependents() {
        api.createNamespace("fg");
        String uid = api.post(Fixtures.SERVICES.collection("fg"), Fixtures.service("owner", Map.of())).json()
                .path("metadata").path("uid").asString();
        ObjectNode pod = Fixtures.pod("dep", Map.of());
        pod.putObject("metadata").put("name", "dep").putArray("ownerReferences").addObject()
                .put("apiVersion", "v1").put("kind", "Service").put("name", "owner").put("uid", uid)
                .put("blockOwnerDeletion", true);
        assertThat(api.post(Fixtures.PODS.collection("fg"), pod).status()).isEqualTo(201);

        ApiClient.Resp marked = api.send("DELETE", Fixtures.SERVICES.item("fg", "owner"),
                "{\"propagationPolicy\":\"Foreground\"}".getBytes(), "application/json");
        assertThat(marked.status()).isEqualTo(200);
        assertThat(marked.json().path("metadata").path("finalizers").toString()).contains("foregroundDeletion");

        Awaitility.await().atMost(DEADLINE).until(() -> api.get(Fixtures.PODS.item("fg", "dep")).status() == 404
                && api.get(Fixtures.SERVICES.item("fg", "owner")).status() == 404);
    }
}
