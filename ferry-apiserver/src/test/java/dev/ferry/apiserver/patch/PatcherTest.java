package dev.ferry.apiserver.patch;

import static dev.ferry.apiserver.patch.Trees.bytes;
import static dev.ferry.apiserver.patch.Trees.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.apiserver.ApiException;
import dev.ferry.apiserver.patch.Patcher.PatchType;
import dev.ferry.apiserver.patch.Patcher.Request;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import tools.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class PatcherTest {
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private final Patcher patcher = Patcher.kube();

    private static Request request(PatchType type, String body, String manager, Boolean force) {
        return new Request(type, bytes(body), "Service", "v1", manager, force, null, NOW);
    }

    private static ObjectNode liveService() {
        ObjectNode svc = obj("""
                {'apiVersion':'v1','kind':'Service','metadata':{'name':'web','namespace':'default','uid':'u1',
                 'labels':{'app':'x'}},'spec':{'selector':{'app':'x'},'ports':[{'port':80,'protocol':'TCP'}]}}""");
        ServerSideApply.kube().recordUpdate(svc, null, "kubectl-create", "v1", NOW);
        return svc;
    }

    @Test
    void contentTypes() {
        assertThat(PatchType.fromContentType("application/strategic-merge-patch+json; charset=utf-8"))
                .isEqualTo(PatchType.STRATEGIC_MERGE_PATCH);
        assertThat(PatchType.fromContentType("application/apply-patch+yaml")).isEqualTo(PatchType.APPLY_PATCH);
        assertThat(PatchType.fromContentType("application/merge-patch+json")).isEqualTo(PatchType.MERGE_PATCH);
        assertThat(PatchType.fromContentType("application/json-patch+json")).isEqualTo(PatchType.JSON_PATCH);
        assertThatThrownBy(() -> PatchType.fromContentType("application/json"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(415);
                    assertThat(e.getMessage()).endsWith("; got application/json");
                });
    }

    @Test
    void serverSideApplyCreatesFromJsonOrYaml() {
        var json = patcher.patch(null, request(PatchType.APPLY_PATCH,
                "{'apiVersion':'v1','kind':'Service','metadata':{'name':'web'},'spec':{'ports':[{'port':80}]}}",
                "kubectl", false));
        assertThat(json.created()).isTrue();
        assertThat(json.object().at("/metadata/managedFields/0/manager").asString()).isEqualTo("kubectl");

        String yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n";
        var fromYaml = patcher.patch(null, new Request(PatchType.APPLY_PATCH, yaml.getBytes(StandardCharsets.UTF_8),
                "Service", "v1", "me", null, null, NOW));
        assertThat(fromYaml.object().at("/spec/ports/0/port").asInt()).isEqualTo(80);
    }

    @Test
    void applyToAnExistingObjectIsNotACreate() {
        var result = patcher.patch(liveService(), request(PatchType.APPLY_PATCH,
                "{'apiVersion':'v1','kind':'Service','metadata':{'name':'web'},'spec':{'type':'NodePort'}}",
                "kubectl", null));
        assertThat(result.created()).isFalse();
        assertThat(result.object().at("/spec/type").asString()).isEqualTo("NodePort");
        assertThat(result.object().at("/spec/ports/0/port").asInt()).isEqualTo(80);
    }

    @Test
    void mergePatchRecordsTheUpdater() {
        var result = patcher.patch(liveService(), request(PatchType.MERGE_PATCH,
                "{'metadata':{'labels':{'version':'v1'}}}", "kubectl-label", null));
        ObjectNode out = result.object();
        assertThat(out.at("/metadata/labels/version").asString()).isEqualTo("v1");
        assertThat(out.at("/metadata/managedFields").toString())
                .contains("\"manager\":\"kubectl-label\"", "f:version").contains("\"manager\":\"kubectl-create\"");
    }

    @Test
    void strategicAndJsonPatchesGoThroughTheSameEntryPoint() {
        var smp = patcher.patch(liveService(), request(PatchType.STRATEGIC_MERGE_PATCH,
                "{'spec':{'ports':[{'port':81}]}}", "kubectl-edit", null));
        assertThat(smp.object().at("/spec/ports").size()).isEqualTo(2);
        var jp = patcher.patch(liveService(), request(PatchType.JSON_PATCH,
                "[{'op':'replace','path':'/spec/ports/0/port','value':90}]", "kubectl-patch", null));
        assertThat(jp.object().at("/spec/ports/0/port").asInt()).isEqualTo(90);
    }

    @Test
    void errorsCarryUpstreamCodes() {
        expect(() -> patcher.patch(null, request(PatchType.APPLY_PATCH, "{'apiVersion':'v1','kind':'Service'}", null,
                null)), 422, "fieldManager: Required value: is required for apply patch");
        expect(() -> patcher.patch(liveService(), request(PatchType.MERGE_PATCH, "{}", "m", true)), 422,
                "force: Forbidden: may not be specified for non-apply patch");
        expect(() -> patcher.patch(liveService(), request(PatchType.MERGE_PATCH, "null", "m", null)), 400,
                "Invalid JSON Patch");
        expect(() -> patcher.patch(liveService(), request(PatchType.STRATEGIC_MERGE_PATCH, "[1]", "m", null)), 400,
                "cannot unmarshal array");
        expect(() -> patcher.patch(liveService(), request(PatchType.STRATEGIC_MERGE_PATCH, "{'spec':", "m", null)), 400,
                "");
        expect(() -> patcher.patch(liveService(), request(PatchType.JSON_PATCH,
                "[{'op':'test','path':'/spec/type','value':'NodePort'}]", "m", null)), 422, "testing value /spec/type");
        expect(() -> patcher.patch(liveService(), request(PatchType.JSON_PATCH,
                "[{'op':'replace','path':'','value':[1]}]", "m", null)), 422, "not a JSON object");
        expect(() -> patcher.patch(null, request(PatchType.APPLY_PATCH, "{'apiVersion':'apps/v1','kind':'Service'}",
                "m", null)), 400, "invalid object type: apps/v1, Kind=Service");
        expect(() -> patcher.patch(null, request(PatchType.APPLY_PATCH, "a: [", "m", null)), 400,
                "error decoding YAML");
        expect(() -> patcher.patch(obj("{'kind':'ConfigMap'}"), new Request(PatchType.STRATEGIC_MERGE_PATCH,
                bytes("{}"), "ConfigMap", "v1", "m", null, null, NOW)), 415, "strategic-merge-patch");
    }

    private static void expect(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int code, String text) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(text);
        });
    }
}
