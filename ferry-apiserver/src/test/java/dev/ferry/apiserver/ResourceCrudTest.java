package dev.ferry.apiserver;

import static dev.ferry.apiserver.Fixtures.CONFLICT_DETAIL;
import static dev.ferry.apiserver.Fixtures.DEPLOYMENTS;
import static dev.ferry.apiserver.Fixtures.SERVICES;
import static dev.ferry.apiserver.Fixtures.assertDetails;
import static dev.ferry.apiserver.Fixtures.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.apiserver.ApiClient.Resp;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/** Create, read, replace and delete through the real HTTP listener, with upstream's Status replies. */
class ResourceCrudTest extends ServerTest {
    private static final String UID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final String RFC3339 = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";


    static Stream<Fixtures.Kind> kinds() {
        return Stream.of(Fixtures.SERVICES, Fixtures.PODS, Fixtures.EVENTS, Fixtures.DEPLOYMENTS,
                Fixtures.ENDPOINT_SLICES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void fullLifecycle(Fixtures.Kind k) {
        String ns = "crud-" + k.plural();
        api.createNamespace(ns);
        String name = "web";

        Resp created = api.post(k.collection(ns), k.build(ns, name));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ObjectNode obj = created.json();
        assertThat(obj.path("kind").asString()).isEqualTo(k.kind());
        assertThat(obj.path("apiVersion").asString()).isEqualTo(k.apiVersion());
        ObjectNode meta = (ObjectNode) obj.get("metadata");
        assertThat(meta.path("name").asString()).isEqualTo(name);
        assertThat(meta.path("namespace").asString()).isEqualTo(ns);
        assertThat(meta.path("uid").asString()).matches(UID);
        assertThat(meta.path("creationTimestamp").asString()).matches(RFC3339);
        assertThat(meta.path("resourceVersion").asString()).matches("[1-9][0-9]*");
        String uid = meta.path("uid").asString();
        long rv1 = Long.parseLong(meta.path("resourceVersion").asString());

        Resp got = api.get(k.item(ns, name));
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().path("metadata").path("uid").asString()).isEqualTo(uid);
        assertThat(got.resourceVersion()).isEqualTo(Long.toString(rv1));
        assertThat(got.json().path("kind").asString()).isEqualTo(k.kind());

        ObjectNode status = assertStatus(api.post(k.collection(ns), k.build(ns, name)), 409, "AlreadyExists",
                k.qualified() + " \"" + name + "\" already exists");
        assertDetails(status, name, k.group(), k.plural());

        ObjectNode changed = got.json();
        ((ObjectNode) changed.get("metadata")).putObject("labels").put("step", "one");
        Resp updated = api.put(k.item(ns, name), changed);
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().path("metadata").path("labels").path("step").asString()).isEqualTo("one");
        long rv2 = Long.parseLong(updated.resourceVersion());
        assertThat(rv2).isGreaterThan(rv1);
        assertThat(updated.json().path("metadata").path("uid").asString()).isEqualTo(uid);

        ObjectNode stale = changed.deepCopy();
        ((ObjectNode) stale.get("metadata")).putObject("labels").put("step", "stale");
        status = assertStatus(api.put(k.item(ns, name), stale), 409, "Conflict",
                "Operation cannot be fulfilled on " + k.qualified() + " \"" + name + "\": " + CONFLICT_DETAIL);
        assertDetails(status, name, k.group(), k.plural());
        assertThat(api.get(k.item(ns, name)).json().path("metadata").path("labels").path("step").asString())
                .as("a conflicting write changes nothing").isEqualTo("one");

        ObjectNode unconditional = updated.json();
        ObjectNode umeta = (ObjectNode) unconditional.get("metadata");
        umeta.remove("resourceVersion");
        umeta.putObject("labels").put("step", "two");
        Resp forced = api.put(k.item(ns, name), unconditional);
        assertThat(forced.status()).as("PUT without resourceVersion: %s", forced.body()).isEqualTo(200);
        assertThat(forced.json().path("metadata").path("labels").path("step").asString()).isEqualTo("two");
        assertThat(Long.parseLong(forced.resourceVersion())).isGreaterThan(rv2);

        Resp deleted = api.delete(k.item(ns, name));
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.json().path("kind").asString()).isEqualTo(k.kind());
        assertThat(deleted.json().path("metadata").path("uid").asString()).isEqualTo(uid);

        String notFound = k.qualified() + " \"" + name + "\" not found";
        status = assertStatus(api.get(k.item(ns, name)), 404, "NotFound", notFound);
        assertDetails(status, name, k.group(), k.plural());
        assertStatus(api.delete(k.item(ns, name)), 404, "NotFound", notFound);
        assertStatus(api.put(k.item(ns, name), unconditional), 404, "NotFound", notFound);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void createInMissingNamespaceIsNotFound(Fixtures.Kind k) {
        ObjectNode status = assertStatus(api.post(k.collection("nope"), k.build("nope", "x")), 404, "NotFound",
                "namespaces \"nope\" not found");
        assertDetails(status, "nope", "", "namespaces");
    }

    @Test
    void namespaceLifecycle() {
        Resp created = api.post("/api/v1/namespaces", Fixtures.namespace("ns-life"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("metadata").has("namespace")).as("namespaces are cluster-scoped").isFalse();
        assertThat(created.json().path("metadata").path("uid").asString()).matches(UID);

        ObjectNode status = assertStatus(api.post("/api/v1/namespaces", Fixtures.namespace("ns-life")), 409,
                "AlreadyExists", "namespaces \"ns-life\" already exists");
        assertDetails(status, "ns-life", "", "namespaces");

        ObjectNode fresh = api.get("/api/v1/namespaces/ns-life").json();
        ((ObjectNode) fresh.get("metadata")).putObject("labels").put("team", "a");
        assertThat(api.put("/api/v1/namespaces/ns-life", fresh).status()).isEqualTo(200);
        assertStatus(api.put("/api/v1/namespaces/ns-life", fresh), 409, "Conflict",
                "Operation cannot be fulfilled on namespaces \"ns-life\": " + CONFLICT_DETAIL);

        Resp deleted = api.delete("/api/v1/namespaces/ns-life");
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.json().path("kind").asString()).isEqualTo("Namespace");
        Resp after = api.get("/api/v1/namespaces/ns-life");
        if (after.status() == 200) {
            assertThat(after.json().path("metadata").path("deletionTimestamp").isString())
                    .as("a namespace that survives DELETE is terminating").isTrue();
        } else {
            assertStatus(after, 404, "NotFound", "namespaces \"ns-life\" not found");
        }
        assertStatus(api.get("/api/v1/namespaces/never-made"), 404, "NotFound",
                "namespaces \"never-made\" not found");
    }

    @Test
    void generateNameMakesDistinctNames() {
        api.createNamespace("gen");
        ObjectNode body = SERVICES.build("default", "ignored");
        ObjectNode meta = (ObjectNode) body.get("metadata");
        meta.remove("name");
        meta.put("generateName", "web-");
        Resp a = api.post(SERVICES.collection("gen"), body);
        Resp b = api.post(SERVICES.collection("gen"), body);
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(b.status()).as(b.body()).isEqualTo(201);
        assertThat(a.name()).matches("web-[a-z0-9]{5}");
        assertThat(b.name()).matches("web-[a-z0-9]{5}").isNotEqualTo(a.name());
        assertThat(a.json().path("metadata").path("generateName").asString()).isEqualTo("web-");
        assertThat(api.get(SERVICES.item("gen", a.name())).status()).isEqualTo(200);

        meta.remove("generateName");
        ObjectNode status = assertStatus(api.post(SERVICES.collection("gen"), body), 422, "Invalid",
                "Service \"\" is invalid: metadata.name: Required value: name or generateName is required");
        assertThat(status.path("details").path("causes").get(0).path("field").asString()).isEqualTo("metadata.name");
        assertThat(status.path("details").path("causes").get(0).path("reason").asString())
                .isEqualTo("FieldValueRequired");
    }

    @Test
    void dryRunWritesNothing() {
        api.createNamespace("dry");
        Resp dry = api.post(SERVICES.collection("dry") + "?dryRun=All", SERVICES.build("dry", "ghost"));
        assertThat(dry.status()).as(dry.body()).isEqualTo(201);
        assertThat(dry.name()).isEqualTo("ghost");
        assertThat(dry.json().path("metadata").path("uid").asString()).matches(UID);
        assertStatus(api.get(SERVICES.item("dry", "ghost")), 404, "NotFound", "services \"ghost\" not found");
        assertThat(api.get(SERVICES.collection("dry")).json().path("items")).isEmpty();

        Resp real = api.post(SERVICES.collection("dry"), SERVICES.build("dry", "real"));
        assertThat(real.status()).isEqualTo(201);
        ObjectNode changed = real.json();
        ((ObjectNode) changed.get("metadata")).putObject("labels").put("dry", "yes");
        Resp dryPut = api.put(SERVICES.item("dry", "real") + "?dryRun=All", changed);
        assertThat(dryPut.status()).as(dryPut.body()).isEqualTo(200);
        assertThat(dryPut.json().path("metadata").path("labels").path("dry").asString()).isEqualTo("yes");
        Resp dryDelete = api.send("DELETE", SERVICES.item("dry", "real") + "?dryRun=All", null, null);
        assertThat(dryDelete.status()).as(dryDelete.body()).isEqualTo(200);

        Resp after = api.get(SERVICES.item("dry", "real"));
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.resourceVersion()).as("dry runs leave the stored object alone")
                .isEqualTo(real.resourceVersion());
        assertThat(after.json().path("metadata").path("labels").has("dry")).isFalse();
        assertStatus(api.post(SERVICES.collection("dry") + "?dryRun=Some", SERVICES.build("dry", "x")), 400, "BadRequest",
                null);
    }

    @Test
    void nameOnUrlMustMatchBody() {
        api.createNamespace("names");
        Resp created = api.post(SERVICES.collection("names"), SERVICES.build("names", "one"));
        ObjectNode other = created.json();
        ((ObjectNode) other.get("metadata")).put("name", "two");
        assertStatus(api.put(SERVICES.item("names", "one"), other), 400, "BadRequest",
                "the name of the object (two) does not match the name on the URL (one)");
    }

    @Test
    void namesThatAreNotPathSegmentsAreInvalid() {
        api.createNamespace("segments");
        for (String bad : List.of("a/b", "50%", "..")) {
            ObjectNode body = Fixtures.EVENTS.build("segments", "x");
            ((ObjectNode) body.get("metadata")).put("name", bad);
            ObjectNode status = assertStatus(api.post(Fixtures.EVENTS.collection("segments"), body), 422, "Invalid",
                    null);
            assertThat(status.path("message").asString())
                    .startsWith("Event \"" + bad + "\" is invalid: metadata.name: Invalid value: \"" + bad + "\": ");
        }
        assertThat(api.get(Fixtures.EVENTS.collection("segments")).json().path("items")).isEmpty();
    }

    @Test
    void deploymentGenerationStartsAtOneAndFollowsSpecChanges() {
        api.createNamespace("gen-deploy");
        Resp created = api.post(DEPLOYMENTS.collection("gen-deploy"), Fixtures.deployment("web", 2));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("metadata").path("generation").asLong(0))
                .as("metadata.generation of a new apps/v1 Deployment (upstream's deployment strategy sets 1; Ferry's "
                        + "ApiServer.start wires no Deployment Strategy with tracksGeneration() == true)")
                .isEqualTo(1);

        ObjectNode labelsOnly = created.json();
        ((ObjectNode) labelsOnly.get("metadata")).putObject("labels").put("app", "web").put("tier", "fe");
        Resp relabelled = api.put(DEPLOYMENTS.item("gen-deploy", "web"), labelsOnly);
        assertThat(relabelled.json().path("metadata").path("generation").asLong(0))
                .as("a metadata-only change keeps the generation").isEqualTo(1);

        ObjectNode respec = relabelled.json();
        ((ObjectNode) respec.get("spec")).put("replicas", 3);
        Resp scaled = api.put(DEPLOYMENTS.item("gen-deploy", "web"), respec);
        assertThat(scaled.json().path("metadata").path("generation").asLong(0))
                .as("a spec change bumps the generation").isEqualTo(2);
    }

    @Test
    void statusSubresourceChangesOnlyStatus() {
        api.createNamespace("status");
        Resp created = api.post(DEPLOYMENTS.collection("status"), Fixtures.deployment("web", 2));
        String path = DEPLOYMENTS.item("status", "web");

        ObjectNode body = created.json();
        ((ObjectNode) body.get("spec")).put("replicas", 9);
        body.putObject("status").put("replicas", 2).put("readyReplicas", 1).put("observedGeneration", 1);
        Resp st = api.put(path + "/status", body);
        assertThat(st.status()).as(st.body()).isEqualTo(200);
        assertThat(st.json().path("status").path("readyReplicas").asInt()).isEqualTo(1);
        assertThat(st.json().path("spec").path("replicas").asInt()).as("spec through /status is ignored").isEqualTo(2);
        ObjectNode stored = api.get(path).json();
        assertThat(stored.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(stored.path("status").path("readyReplicas").asInt()).isEqualTo(1);
        assertThat(Long.parseLong(st.resourceVersion())).isGreaterThan(Long.parseLong(created.resourceVersion()));

        ObjectNode main = stored.deepCopy();
        ((ObjectNode) main.get("status")).put("readyReplicas", 7);
        ((ObjectNode) main.get("spec")).put("replicas", 4);
        Resp put = api.put(path, main);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().path("spec").path("replicas").asInt()).isEqualTo(4);
        assertThat(put.json().path("status").path("readyReplicas").asInt())
                .as("status through the main resource is ignored").isEqualTo(1);

        assertStatus(api.put(path + "/status", stored), 409, "Conflict",
                "Operation cannot be fulfilled on deployments.apps \"web\": " + CONFLICT_DETAIL);
        assertStatus(api.get(path + "/nonsense"), 404, "NotFound", null);
    }

    @Test
    void scaleSubresourceReadsAndWritesReplicas() {
        api.createNamespace("scale");
        Resp created = api.post(DEPLOYMENTS.collection("scale"), Fixtures.deployment("web", 2));
        String path = DEPLOYMENTS.item("scale", "web");

        Resp scale = api.get(path + "/scale");
        assertThat(scale.status()).as(scale.body()).isEqualTo(200);
        ObjectNode s = scale.json();
        assertThat(s.path("kind").asString()).isEqualTo("Scale");
        assertThat(s.path("apiVersion").asString()).isEqualTo("autoscaling/v1");
        assertThat(s.path("metadata").path("name").asString()).isEqualTo("web");
        assertThat(s.path("metadata").path("namespace").asString()).isEqualTo("scale");
        assertThat(s.path("metadata").path("uid").asString())
                .isEqualTo(created.json().path("metadata").path("uid").asString());
        assertThat(s.path("metadata").path("resourceVersion").asString()).isEqualTo(created.resourceVersion());
        assertThat(s.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(s.path("status").path("replicas").asInt(-1)).isEqualTo(0);
        assertThat(s.path("status").path("selector").asString()).isEqualTo("app=web");

        ObjectNode want = s.deepCopy();
        ((ObjectNode) want.get("spec")).put("replicas", 5);
        Resp scaled = api.put(path + "/scale", want);
        assertThat(scaled.status()).as(scaled.body()).isEqualTo(200);
        assertThat(scaled.json().path("kind").asString()).isEqualTo("Scale");
        assertThat(scaled.json().path("spec").path("replicas").asInt()).isEqualTo(5);
        assertThat(api.get(path).json().path("spec").path("replicas").asInt()).isEqualTo(5);

        assertStatus(api.put(path + "/scale", want), 409, "Conflict",
                "Operation cannot be fulfilled on deployments.apps \"web\": " + CONFLICT_DETAIL);
        assertStatus(api.get(DEPLOYMENTS.item("scale", "absent") + "/scale"), 404, "NotFound",
                "deployments.apps \"absent\" not found");
        assertThat(api.get(path).json().path("spec").path("replicas").asInt()).isEqualTo(5);
    }

    @Test
    void scaleToNegativeReplicasIsInvalid() {
        api.createNamespace("scale-neg");
        api.post(DEPLOYMENTS.collection("scale-neg"), Fixtures.deployment("web", 2));
        String path = DEPLOYMENTS.item("scale-neg", "web");
        ObjectNode want = api.get(path + "/scale").json();
        ((ObjectNode) want.get("spec")).put("replicas", -1);
        ObjectNode status = assertStatusInvalidScale(api.put(path + "/scale", want));
        assertThat(status.path("details").path("group").asString()).isEqualTo("autoscaling");
        assertThat(api.get(path).json().path("spec").path("replicas").asInt()).isEqualTo(2);
    }

    private static ObjectNode assertStatusInvalidScale(Resp r) {
        ObjectNode status = assertStatus(r, 422, "Invalid", null);
        assertThat(status.path("message").asString())
                .as("upstream's errors.NewInvalid names the kind with its group (GroupKind.String()); Ferry's shared "
                        + "ApiException.invalid drops the group")
                .isEqualTo("Scale.autoscaling \"web\" is invalid: spec.replicas: Invalid value: -1: "
                        + "must be greater than or equal to 0");
        return status;
    }
}
