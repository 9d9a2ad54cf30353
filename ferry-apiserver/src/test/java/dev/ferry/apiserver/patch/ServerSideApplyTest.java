package dev.ferry.apiserver.patch;

import static dev.ferry.apiserver.patch.Trees.canonical;
import static dev.ferry.apiserver.patch.Trees.json;
import static dev.ferry.apiserver.patch.Trees.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.apiserver.ApiException;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ServerSideApplyTest {
    private static final Instant T1 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-01-01T11:00:00Z");
    private static final Instant T3 = Instant.parse("2026-01-01T12:00:00Z");
    private final ServerSideApply ssa = ServerSideApply.kube();

    private static final String SVC_A = """
            {'apiVersion':'v1','kind':'Service','metadata':{'name':'my-svc','namespace':'default','labels':{'app':'x'}},
             'spec':{'selector':{'app':'x'},'ports':[{'port':80,'targetPort':9376}]}}""";
    private static final String SVC_B = """
            {'apiVersion':'v1','kind':'Service','metadata':{'name':'my-svc','namespace':'default'},
             'spec':{'selector':{'app':'x'},'ports':[{'port':81,'targetPort':9376}]}}""";

    /** The managedFields entry of {@code manager}, or null. */
    private static JsonNode entry(JsonNode obj, String manager, String operation) {
        for (JsonNode e : obj.at("/metadata/managedFields")) {
            if (e.get("manager").asString().equals(manager) && e.get("operation").asString().equals(operation)) {
                return e;
            }
        }
        return null;
    }

    /** What the registry adds on create. */
    private static ObjectNode stored(ObjectNode obj) {
        ObjectNode meta = (ObjectNode) obj.get("metadata");
        meta.put("uid", "u-1");
        meta.put("resourceVersion", "5");
        meta.put("creationTimestamp", "2026-01-01T10:00:00Z");
        return obj;
    }

    @Test
    void applyCreatesWithUpstreamManagedFields() {
        ObjectNode created = ssa.apply(null, obj(SVC_A), "kubectl", false, T1);

        assertThat(created.at("/spec/ports/0/port").asInt()).isEqualTo(80);
        JsonNode mf = created.at("/metadata/managedFields");
        assertThat(mf.size()).isEqualTo(1);
        assertThat(canonical(mf.get(0))).isEqualTo(canonical(json("""
                {'manager':'kubectl','operation':'Apply','apiVersion':'v1','time':'2026-01-01T10:00:00Z',
                 'fieldsType':'FieldsV1','fieldsV1':{'f:metadata':{'f:labels':{'f:app':{}}},
                  'f:spec':{'f:ports':{'k:{\\'port\\':80,\\'protocol\\':\\'TCP\\'}':{'.':{},'f:port':{},'f:targetPort':{}}},
                   'f:selector':{}}}}""".replace("\\'", "\\\""))));
        // member order on the wire: "." first, then sorted fields
        assertThat(mf.get(0).get("fieldsV1").toString()).isEqualTo("{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},"
                + "\"f:spec\":{\"f:ports\":{\"k:{\\\"port\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},"
                + "\"f:port\":{},\"f:targetPort\":{}}},\"f:selector\":{}}}");
        assertThat(mf.get(0).propertyNames()).containsExactly("manager", "operation", "apiVersion", "time",
                "fieldsType", "fieldsV1");
    }

    @Test
    void reapplyWithoutAFieldRemovesItUnlessSomeoneElseOwnsIt() {
        ObjectNode v1 = stored(ssa.apply(null, obj(SVC_A), "kubectl", false, T1));
        ObjectNode v2 = ssa.apply(v1, obj(SVC_B), "kubectl", false, T2);

        assertThat(canonical(v2.at("/spec/ports"))).isEqualTo(canonical(json("[{'port':81,'targetPort':9376}]")));
        assertThat(v2.at("/metadata/labels").isMissingNode()).as("labels.app was only kubectl's").isTrue();
        assertThat(v2.at("/metadata/uid").asString()).as("unowned system fields stay").isEqualTo("u-1");
        assertThat(entry(v2, "kubectl", "Apply").get("time").asString()).isEqualTo("2026-01-01T11:00:00Z");
        assertThat(entry(v2, "kubectl", "Apply").get("fieldsV1").has("f:metadata")).isFalse();

        // a label another manager also set survives kubectl dropping it
        ObjectNode withTeam = v1.deepCopy();
        ((ObjectNode) withTeam.at("/metadata/labels")).put("team", "t");
        ssa.recordUpdate(withTeam, v1, "kubectl-label", "v1", T2);
        ObjectNode v3 = ssa.apply(withTeam, obj(SVC_B), "kubectl", false, T3);
        assertThat(canonical(v3.at("/metadata/labels"))).isEqualTo("{\"team\":\"t\"}");
    }

    @Test
    void reapplyingTheSameConfigurationChangesNothing() {
        ObjectNode v1 = stored(ssa.apply(null, obj(SVC_A), "kubectl", false, T1));
        ObjectNode again = ssa.apply(v1, obj(SVC_A), "kubectl", false, T2);
        assertThat(canonical(again)).isEqualTo(canonical(v1));
    }

    @Test
    void conflictWithAnUpdaterThenForce() {
        ObjectNode v1 = stored(ssa.apply(null, obj(SVC_A), "kubectl", false, T1));
        // someone edits targetPort with a merge patch (an Update)
        ObjectNode v2 = (ObjectNode) JsonMergePatch.apply(v1,
                json("{'spec':{'ports':[{'port':80,'targetPort':8080}]}}"));
        ssa.recordUpdate(v2, v1, "kubectl-edit", "v1", T2);
        assertThat(entry(v2, "kubectl-edit", "Update").at("/fieldsV1").toString())
                .contains("f:targetPort").doesNotContain("f:port\"");

        // kubectl applies its own targetPort again: conflict
        assertThatThrownBy(() -> ssa.applyOrConflict(v2, obj(SVC_A), "kubectl", false, T3))
                .isInstanceOfSatisfying(ApplyConflict.class, c -> assertThat(c.message()).isEqualTo(
                        "Apply failed with 1 conflict: conflict with \"kubectl-edit\" using v1: "
                                + ".spec.ports[port=80,protocol=\"TCP\"].targetPort"));
        assertThatThrownBy(() -> ssa.apply(v2, obj(SVC_A), "kubectl", false, T3))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.reason()).isEqualTo("Conflict");
                    assertThat(e.getMessage()).contains("Apply failed with 1 conflict: conflict with \"kubectl-edit\"");
                });

        // the same value is not a conflict: both own it
        ObjectNode shared = ssa.apply(v2, obj(SVC_A.replace("9376", "8080")), "kubectl", false, T3);
        assertThat(entry(shared, "kubectl-edit", "Update")).isNotNull();

        // force takes ownership: the updater loses the field (and its now-empty entry)
        ObjectNode forced = ssa.apply(v2, obj(SVC_A), "kubectl", true, T3);
        assertThat(forced.at("/spec/ports/0/targetPort").asInt()).isEqualTo(9376);
        assertThat(entry(forced, "kubectl-edit", "Update")).isNull();
        assertThat(entry(forced, "kubectl", "Apply").get("fieldsV1").toString()).contains("f:targetPort");
    }

    @Test
    void conflictsWithSeveralFieldsAreListedPerManager() {
        ObjectNode v1 = stored(ssa.apply(null, obj(SVC_A), "alice", false, T1));
        String bob = SVC_A.replace("9376", "1").replace("'app':'x'}},", "'app':'y'}},");
        assertThatThrownBy(() -> ssa.applyOrConflict(v1, obj(bob), "bob", false, T2))
                .isInstanceOfSatisfying(ApplyConflict.class, c -> assertThat(c.message()).isEqualTo(
                        "Apply failed with 2 conflicts: conflicts with \"alice\":\n"
                                + "- .metadata.labels.app\n"
                                + "- .spec.ports[port=80,protocol=\"TCP\"].targetPort"));
    }

    @Test
    void recordUpdateOnCreateTracksEveryNewField() {
        ObjectNode svc = stored(obj("""
                {'apiVersion':'v1','kind':'Service','metadata':{'name':'my-svc','namespace':'default',
                 'labels':{'app':'x'},'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'{}'}},
                 'spec':{'selector':{'app':'x'},'ports':[{'port':80,'targetPort':9376,'protocol':'TCP'}],
                 'type':'ClusterIP','sessionAffinity':'None'}}"""));
        ssa.recordUpdate(svc, null, "kubectl-client-side-apply", "v1", T1);
        JsonNode e = entry(svc, "kubectl-client-side-apply", "Update");
        assertThat(e.get("fieldsV1").toString()).isEqualTo(Trees.json("""
                {'f:metadata':{'f:annotations':{'.':{},'f:kubectl.kubernetes.io/last-applied-configuration':{}},
                  'f:labels':{'.':{},'f:app':{}}},
                 'f:spec':{'f:ports':{'.':{},'k:{PORT}':{'.':{},'f:port':{},'f:protocol':{},'f:targetPort':{}}},
                  'f:selector':{},'f:sessionAffinity':{},'f:type':{}}}""")
                .toString().replace("k:{PORT}", "k:{\\\"port\\\":80,\\\"protocol\\\":\\\"TCP\\\"}"));
        assertThat(e.get("time").asString()).isEqualTo("2026-01-01T10:00:00Z");

        // an update that changes nothing keeps the entry and its time
        ObjectNode same = svc.deepCopy();
        ssa.recordUpdate(same, svc, "kubectl-client-side-apply", "v1", T2);
        assertThat(canonical(same.at("/metadata/managedFields"))).isEqualTo(canonical(svc.at("/metadata/managedFields")));
    }

    @Test
    void updatesOfAnExistingObjectWithoutManagedFieldsAreNotTracked() {
        ObjectNode old = stored(obj(SVC_A));
        ObjectNode changed = old.deepCopy();
        ((ObjectNode) changed.get("spec")).put("type", "NodePort");
        ssa.recordUpdate(changed, old, "someone", "v1", T2);
        assertThat(changed.at("/metadata/managedFields").isMissingNode()).isTrue();
    }

    @Test
    void firstApplyToAnUntrackedObjectRecordsBeforeFirstApply() {
        ObjectNode old = stored(obj(SVC_A));
        ((ObjectNode) old.get("spec")).put("type", "ClusterIP");
        ObjectNode applied = ssa.apply(old, obj(SVC_A), "me", false, T2);
        JsonNode before = entry(applied, "before-first-apply", "Update");
        assertThat(before).isNotNull();
        // everything that was there, including what "me" applies again with equal values (then owned by both)
        assertThat(before.get("fieldsV1").toString()).contains("f:type", "f:selector", "f:targetPort");
        assertThat(entry(applied, "me", "Apply").get("fieldsV1").toString()).contains("f:selector")
                .doesNotContain("f:type");
        assertThat(canonical(applied.get("spec"))).isEqualTo(canonical(old.get("spec")));
    }

    @Test
    void kubectlServerSideUpgradeFromClientSideApplyKeepsTheSpec() {
        // created by client-side apply: the annotation and every field belong to the CSA updater
        String lastApplied = Trees.canonical(obj(SVC_A));
        ObjectNode csa = obj(SVC_A);
        ((ObjectNode) csa.get("metadata")).putObject("annotations").put(ServerSideApply.LAST_APPLIED, lastApplied);
        ((ObjectNode) csa.at("/spec/ports/0")).put("protocol", "TCP");
        stored(csa);
        ssa.recordUpdate(csa, null, "kubectl-client-side-apply", "v1", T1);

        // kubectl apply --server-side with a changed targetPort: no conflict on fields that match last-applied
        ObjectNode changed = obj(SVC_A.replace("9376", "9999"));
        ObjectNode v2 = ssa.apply(csa, changed, "kubectl", false, T2);
        assertThat(v2.at("/spec/ports/0/targetPort").asInt()).isEqualTo(9999);
        String newLastApplied = v2.at("/metadata/annotations").get(ServerSideApply.LAST_APPLIED).asString();
        assertThat(json(newLastApplied).at("/spec/ports/0/targetPort").asInt()).as("annotation kept in sync")
                .isEqualTo(9999);

        // kubectl's second, metadata-only apply must not wipe the spec
        ObjectNode onlyAnnotation = obj("{'apiVersion':'v1','kind':'Service','metadata':{'name':'my-svc',"
                + "'namespace':'default','annotations':{}}}");
        ((ObjectNode) onlyAnnotation.at("/metadata/annotations")).put(ServerSideApply.LAST_APPLIED, newLastApplied);
        ObjectNode v3 = ssa.apply(v2, onlyAnnotation, "kubectl-last-applied", false, T3);
        assertThat(canonical(v3.get("spec"))).isEqualTo(canonical(v2.get("spec")));
        assertThat(entry(v3, "kubectl-last-applied", "Apply").get("fieldsV1").toString())
                .isEqualTo("{\"f:metadata\":{\"f:annotations\":{\"f:kubectl.kubernetes.io/last-applied-configuration\":{}}}}");

        // another manager gets no such pass
        assertThatThrownBy(() -> ssa.applyOrConflict(csa, changed, "other", false, T2))
                .isInstanceOf(ApplyConflict.class)
                .hasMessageContaining("conflict with \"kubectl-client-side-apply\" using v1: "
                        + ".spec.ports[port=80,protocol=\"TCP\"].targetPort");
    }

    @Test
    void applyMergesListsByKeyAndKeepsOtherManagersItems() {
        String dep = """
                {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},
                 'spec':{'replicas':2,'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},
                  'spec':{'containers':[{'name':'nginx','image':'nginx:1.26','env':[{'name':'A','value':'1'}]}]}}}}""";
        ObjectNode v1 = stored(ssa.apply(null, obj(dep), "kubectl", false, T1));
        // a sidecar injected by someone else
        ObjectNode injected = v1.deepCopy();
        ((tools.jackson.databind.node.ArrayNode) injected.at("/spec/template/spec/containers"))
                .addObject().put("name", "sidecar").put("image", "envoy");
        ssa.recordUpdate(injected, v1, "injector", "apps/v1", T2);

        ObjectNode v2 = ssa.apply(injected, obj(dep.replace("'A','value':'1'", "'B','value':'2'")
                .replace("1.26", "1.27")), "kubectl", false, T3);
        JsonNode containers = v2.at("/spec/template/spec/containers");
        assertThat(containers.size()).isEqualTo(2);
        assertThat(containers.get(0).get("image").asString()).isEqualTo("nginx:1.27");
        assertThat(canonical(containers.get(0).get("env"))).isEqualTo(canonical(json("[{'name':'B','value':'2'}]")));
        assertThat(containers.get(1).get("name").asString()).isEqualTo("sidecar");
    }

    @Test
    void scaleReplicasThroughApplyAndUpdate() {
        ObjectNode v1 = stored(ssa.apply(null, obj("""
                {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'replicas':2}}"""),
                "kubectl", false, T1));
        ObjectNode scaled = v1.deepCopy();
        ((ObjectNode) scaled.get("spec")).put("replicas", 5);
        ssa.recordUpdate(scaled, v1, "kubectl-scale", "apps/v1", T2);
        assertThat(entry(scaled, "kubectl", "Apply")).as("lost its only field").isNull();
        assertThat(entry(scaled, "kubectl-scale", "Update").get("fieldsV1").toString())
                .isEqualTo("{\"f:spec\":{\"f:replicas\":{}}}");
    }

    @Test
    void malformedApplyRequests() {
        ObjectNode withManaged = obj(SVC_A);
        ((ObjectNode) withManaged.get("metadata")).putArray("managedFields");
        assertThatThrownBy(() -> ssa.apply(null, withManaged, "kubectl", false, T1))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("metadata.managedFields must be nil");
                });
        // protocol has a default, so a port item without port is still keyed ({"protocol":"TCP"}); a container is not
        assertThat(ssa.apply(null, obj("{'apiVersion':'v1','kind':'Service','spec':{'ports':[{'name':'x'}]}}"),
                "kubectl", false, T1).at("/metadata/managedFields/0/fieldsV1").toString())
                .contains("k:{\\\"protocol\\\":\\\"TCP\\\"}");
        assertThatThrownBy(() -> ssa.apply(null, obj("{'apiVersion':'v1','kind':'Pod','spec':{'containers':[{'image':'x'}]}}"),
                "kubectl", false, T1))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage()).contains(".spec.containers: element 0: associative list with keys has an "
                            + "element that omits all key fields [\"name\"]");
                });
        ObjectNode live = stored(ssa.apply(null, obj(SVC_A), "kubectl", false, T1));
        assertThatThrownBy(() -> ssa.apply(live, obj(SVC_A.replace("'Service'", "'Pod'")), "kubectl", false, T1))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("invalid object type: /v1, Kind=Pod"));
    }
}
