package dev.ferry.apiserver.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.Json;
import dev.ferry.apiserver.ApiException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

final class PodBindingTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private static ObjectNode json(String text) {
        return (ObjectNode) Json.MAPPER.readTree(text.replace('\'', '"'));
    }

    @Test
    void parsesABinding() {
        PodBinding b = PodBinding.parse(json("{'apiVersion':'v1','kind':'Binding','metadata':{'name':'p',"
                + "'uid':'u1','annotations':{'a':'b'}},'target':{'kind':'Node','name':'n1'}}"));
        assertThat(b).isEqualTo(new PodBinding("p", "n1", "u1", "", Map.of("a", "b")));
    }

    @Test
    void rejectsAMalformedBinding() {
        assertThatThrownBy(() -> PodBinding.parse(json("{'metadata':{'name':'p'},'target':{'kind':'Pod'}}")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("[target.kind: Unsupported value: \"Pod\": supported "
                            + "values: \"Node\", \"<empty>\", target.name: Required value]");
                });
        assertThatThrownBy(() -> PodBinding.parse(json("{'kind':'Pod','metadata':{'name':'p'},'target':"
                + "{'name':'n'}}"))).isInstanceOf(ApiException.class);
    }

    @Test
    void bindsAndAddsPodScheduled() {
        ObjectNode pod = json("{'metadata':{'name':'p','uid':'u1'},'spec':{'containers':[]},'status':"
                + "{'phase':'Pending','conditions':[{'type':'PodScheduled','status':'False','reason':'Unschedulable',"
                + "'message':'0/1 nodes are available','lastTransitionTime':'2026-03-01T09:00:00Z'}]}}");
        new PodBinding("p", "n1", "u1", "", Map.of("k", "v")).applyTo(pod, NOW);
        assertThat(pod.path("spec").path("nodeName").asString()).isEqualTo("n1");
        assertThat(pod.path("metadata").path("annotations").path("k").asString()).isEqualTo("v");
        assertThat(pod.path("status").path("conditions").toString()).isEqualTo("[{\"type\":\"PodScheduled\","
                + "\"status\":\"True\",\"lastProbeTime\":null,\"lastTransitionTime\":\"2026-03-01T10:00:00Z\"}]");
    }

    @Test
    void keepsTheTransitionTimeWhenAlreadyTrueAndAppendsWhenAbsent() {
        ObjectNode status = json("{'conditions':[{'type':'Ready','status':'False'},{'type':'PodScheduled',"
                + "'status':'True','lastTransitionTime':'2026-01-01T00:00:00Z'}]}");
        PodBinding.setCondition(status, "PodScheduled", "True", NOW);
        assertThat(status.path("conditions").get(1).path("lastTransitionTime").asString())
                .isEqualTo("2026-01-01T00:00:00Z");
        ObjectNode empty = json("{}");
        PodBinding.setCondition(empty, "PodScheduled", "True", NOW);
        assertThat(empty.path("conditions").size()).isEqualTo(1);
    }

    @Test
    void refusesPodsThatCannotBeBound() {
        PodBinding b = new PodBinding("p", "n2", "", "", Map.of());
        assertConflict(() -> b.applyTo(json("{'metadata':{'name':'p'},'spec':{'nodeName':'n1'}}"), NOW),
                "Operation cannot be fulfilled on pods/binding \"p\": pod p is already assigned to node \"n1\"");
        assertConflict(() -> b.applyTo(json("{'metadata':{'name':'p','deletionTimestamp':'2026-01-01T00:00:00Z'},"
                + "'spec':{}}"), NOW), "Operation cannot be fulfilled on pods/binding \"p\": pod p is being deleted, "
                + "cannot be assigned to a host");
        assertConflict(() -> b.applyTo(json("{'metadata':{'name':'p'},'spec':{'schedulingGates':[{'name':'g'}]}}"),
                NOW), "Operation cannot be fulfilled on pods/binding \"p\": pod p has non-empty .spec.schedulingGates");
        assertConflict(() -> new PodBinding("p", "n2", "other", "", Map.of()).applyTo(
                json("{'metadata':{'name':'p','uid':'u1'},'spec':{}}"), NOW),
                "Operation cannot be fulfilled on pods/binding \"p\": Precondition failed: UID in precondition: "
                        + "other, UID in object meta: u1");
    }

    private static void assertConflict(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(409);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }
}
