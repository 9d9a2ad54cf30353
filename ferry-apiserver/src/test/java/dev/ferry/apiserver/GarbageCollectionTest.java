package dev.ferry.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Dependents whose owners are gone when they are written (a controller with a stale cache creating a pod for a
 * ReplicaSet just deleted): deleted when no owner is left, stripped of the dangling references when one is.
 */
class GarbageCollectionTest extends ServerTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final Fixtures.Kind REPLICA_SETS = new Fixtures.Kind("apps", "v1", "replicasets", "ReplicaSet");

    @Test
    void aPodOwnedByAReplicaSetThatDoesNotExistIsDeleted() {
        api.createNamespace("gc-missing");
        ObjectNode pod = podOwnedBy("orphaned", rsRef("gone", UUID.randomUUID().toString(), true));
        assertThat(api.post(Fixtures.PODS.collection("gc-missing"), pod).status()).isEqualTo(201);

        awaitGone(Fixtures.PODS.item("gc-missing", "orphaned"));
    }

    @Test
    void onlyTheDanglingReferenceIsRemovedWhileAnotherOwnerLives() {
        api.createNamespace("gc-partial");
        String liveUid = createReplicaSet("gc-partial", "live");
        ObjectNode pod = podOwnedBy("shared", rsRef("live", liveUid, false),
                rsRef("gone", UUID.randomUUID().toString(), true));
        assertThat(api.post(Fixtures.PODS.collection("gc-partial"), pod).status()).isEqualTo(201);

        Awaitility.await().atMost(DEADLINE).until(() -> ownerUids("gc-partial", "shared").equals(List.of(liveUid)));
        ObjectNode kept = api.get(Fixtures.PODS.item("gc-partial", "shared")).json();
        assertThat(kept.path("metadata").has("deletionTimestamp")).isFalse();
        assertThat(kept.path("metadata").path("ownerReferences").get(0).path("name").asString()).isEqualTo("live");
    }

    @Test
    void anOwnerNameHeldByAnotherIncarnationDoesNotKeepThePod() {
        api.createNamespace("gc-incarnation");
        String currentUid = createReplicaSet("gc-incarnation", "again");
        String previousUid = UUID.randomUUID().toString();
        ObjectNode pod = podOwnedBy("stale", rsRef("again", previousUid, true));
        assertThat(api.post(Fixtures.PODS.collection("gc-incarnation"), pod).status()).isEqualTo(201);

        awaitGone(Fixtures.PODS.item("gc-incarnation", "stale"));
        ObjectNode rs = api.get(REPLICA_SETS.item("gc-incarnation", "again")).json();
        assertThat(rs.path("metadata").path("uid").asString()).isEqualTo(currentUid);
    }

    @Test
    void aPodOwnedByADeletedAndRecreatedReplicaSetIsDeleted() {
        api.createNamespace("gc-recreated");
        String firstUid = createReplicaSet("gc-recreated", "web");
        assertThat(api.delete(REPLICA_SETS.item("gc-recreated", "web")).status()).isEqualTo(200);
        Awaitility.await().atMost(DEADLINE)
                .until(() -> api.get(REPLICA_SETS.item("gc-recreated", "web")).status() == 404);
        createReplicaSet("gc-recreated", "web");

        ObjectNode pod = podOwnedBy("late", rsRef("web", firstUid, true));
        assertThat(api.post(Fixtures.PODS.collection("gc-recreated"), pod).status()).isEqualTo(201);

        awaitGone(Fixtures.PODS.item("gc-recreated", "late"));
    }

    @Test
    void anUpdateThatAddsADanglingOwnerIsCollected() {
        api.createNamespace("gc-update");
        assertThat(api.post(Fixtures.PODS.collection("gc-update"), Fixtures.pod("adopted", Map.of())).status())
                .isEqualTo(201);
        ObjectNode patch = Json.object();
        patch.putObject("metadata").putArray("ownerReferences").add(rsRef("gone", UUID.randomUUID().toString(), true));
        assertThat(api.send("PATCH", Fixtures.PODS.item("gc-update", "adopted"),
                patch.toString().getBytes(StandardCharsets.UTF_8), "application/merge-patch+json").status())
                .isEqualTo(200);

        awaitGone(Fixtures.PODS.item("gc-update", "adopted"));
    }

    @Test
    void ownersOfKindsThisServerDoesNotServeAreLeftAlone() {
        api.createNamespace("gc-unknown");
        ObjectNode unknownOwner = Json.object().put("apiVersion", "example.com/v1").put("kind", "Widget")
                .put("name", "w").put("uid", UUID.randomUUID().toString());
        assertThat(api.post(Fixtures.PODS.collection("gc-unknown"), podOwnedBy("widgets", unknownOwner)).status())
                .isEqualTo(201);
        // the collector handles one namespace's pods in order: once the later pod is gone, the first was looked at
        ObjectNode marker = podOwnedBy("marker", rsRef("gone", UUID.randomUUID().toString(), true));
        assertThat(api.post(Fixtures.PODS.collection("gc-unknown"), marker).status()).isEqualTo(201);
        awaitGone(Fixtures.PODS.item("gc-unknown", "marker"));

        assertThat(api.get(Fixtures.PODS.item("gc-unknown", "widgets")).status()).isEqualTo(200);
    }

    @Test
    void anOwnerDeletedInTheForegroundLetsGoOfADependentThatHasAnotherOwner() {
        api.createNamespace("gc-fg");
        String leavingUid = createReplicaSet("gc-fg", "leaving");
        String stayingUid = createReplicaSet("gc-fg", "staying");
        ObjectNode pod = podOwnedBy("shared", rsRef("leaving", leavingUid, true), rsRef("staying", stayingUid, false));
        assertThat(api.post(Fixtures.PODS.collection("gc-fg"), pod).status()).isEqualTo(201);

        assertThat(api.send("DELETE", REPLICA_SETS.item("gc-fg", "leaving"),
                "{\"propagationPolicy\":\"Foreground\"}".getBytes(StandardCharsets.UTF_8), "application/json")
                .status()).isEqualTo(200);

        awaitGone(REPLICA_SETS.item("gc-fg", "leaving"));
        assertThat(api.get(Fixtures.PODS.item("gc-fg", "shared")).status()).isEqualTo(200);
        assertThat(ownerUids("gc-fg", "shared")).containsExactly(stayingUid);
    }

    private static void awaitGone(String path) {
        Awaitility.await().atMost(DEADLINE).until(() -> api.get(path).status() == 404);
    }

    private static List<String> ownerUids(String ns, String pod) {
        List<String> uids = new ArrayList<>();
        for (JsonNode ref : api.get(Fixtures.PODS.item(ns, pod)).json().path("metadata").path("ownerReferences")) {
            uids.add(ref.path("uid").asString());
        }
        return uids;
    }

    private static String createReplicaSet(String ns, String name) {
        ObjectNode rs = Json.object().put("apiVersion", "apps/v1").put("kind", "ReplicaSet");
        rs.putObject("metadata").put("name", name);
        ObjectNode spec = rs.putObject("spec").put("replicas", 0);
        spec.putObject("selector").putObject("matchLabels").put("app", name);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name);
        template.putObject("spec").putArray("containers").addObject().put("name", "main").put("image", "ferry/echo");
        ApiClient.Resp created = api.post(REPLICA_SETS.collection(ns), rs);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("metadata").path("uid").asString();
    }

    private static ObjectNode rsRef(String name, String uid, boolean controller) {
        ObjectNode ref = Json.object().put("apiVersion", "apps/v1").put("kind", "ReplicaSet").put("name", name)
                .put("uid", uid);
        if (controller) {
            ref.put("controller", true).put("blockOwnerDeletion", true);
        }
        return ref;
    }

    private static ObjectNode podOwnedBy(String name, ObjectNode... refs) {
        ObjectNode pod = Fixtures.pod(name, Map.of());
        ArrayNode owners = ((ObjectNode) pod.get("metadata")).putArray("ownerReferences");
        for (ObjectNode ref : refs) {
            owners.add(ref);
        }
        return pod;
    }
}
