package dev.ferry.controllers.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class PlacementTest {

    static Node node(String name, String ready, UnaryOperator<NodeBuilder> more) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec();
        if (ready != null) {
            b.withNewStatus().addNewCondition().withType("Ready").withStatus(ready).endCondition().endStatus();
        }
        return more.apply(b).build();
    }

    static Node ready(String name) {
        return node(name, "True", b -> b);
    }

    static Pod pod(UnaryOperator<PodBuilder> more) {
        return more.apply(new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("ferry/echo").endContainer().endSpec())
                .build();
    }

    static Pod plain() {
        return pod(b -> b);
    }

    static Stream<Arguments> filters() {
        Taint noSchedule = new Taint("NoSchedule", "dedicated", null, "db");
        Taint preferNo = new Taint("PreferNoSchedule", "soft", null, "x");
        Toleration tolerateDedicated = new Toleration("NoSchedule", "dedicated", "Equal", null, "db");
        Toleration tolerateAll = new Toleration(null, null, "Exists", null, null);
        return Stream.of(
                Arguments.of("ready node", plain(), ready("n"), ""),
                Arguments.of("not ready", plain(), node("n", "False", b -> b),
                        "node(s) had untolerated taint {node.kubernetes.io/not-ready: }"),
                Arguments.of("unknown", plain(), node("n", "Unknown", b -> b),
                        "node(s) had untolerated taint {node.kubernetes.io/unreachable: }"),
                Arguments.of("no conditions yet", plain(), node("n", null, b -> b),
                        "node(s) had untolerated taint {node.kubernetes.io/unreachable: }"),
                Arguments.of("cordoned", plain(), node("n", "True", b -> b.editSpec().withUnschedulable(true)
                        .endSpec()), "node(s) were unschedulable"),
                Arguments.of("cordoned but tolerated", pod(b -> b.editSpec().withTolerations(tolerateAll).endSpec()),
                        node("n", "True", b -> b.editSpec().withUnschedulable(true).endSpec()), ""),
                Arguments.of("taint", plain(), node("n", "True", b -> b.editSpec().withTaints(noSchedule).endSpec()),
                        "node(s) had untolerated taint {dedicated: db}"),
                Arguments.of("prefer-no-schedule is no filter", plain(),
                        node("n", "True", b -> b.editSpec().withTaints(preferNo).endSpec()), ""),
                Arguments.of("tolerated taint", pod(b -> b.editSpec().withTolerations(tolerateDedicated).endSpec()),
                        node("n", "True", b -> b.editSpec().withTaints(noSchedule).endSpec()), ""),
                Arguments.of("wrong value", pod(b -> b.editSpec().withTolerations(
                        new Toleration("NoSchedule", "dedicated", "Equal", null, "web")).endSpec()),
                        node("n", "True", b -> b.editSpec().withTaints(noSchedule).endSpec()),
                        "node(s) had untolerated taint {dedicated: db}"),
                Arguments.of("selector match", pod(b -> b.editSpec().withNodeSelector(Map.of("disk", "ssd")).endSpec()),
                        node("n", "True", b -> b.editMetadata().withLabels(Map.of("disk", "ssd")).endMetadata()), ""),
                Arguments.of("selector miss", pod(b -> b.editSpec().withNodeSelector(Map.of("disk", "ssd")).endSpec()),
                        ready("n"), "node(s) didn't match Pod's node affinity/selector"),
                Arguments.of("affinity In", affinity("zone", "In", "a", "b"),
                        node("n", "True", b -> b.editMetadata().withLabels(Map.of("zone", "b")).endMetadata()), ""),
                Arguments.of("affinity NotIn", affinity("zone", "NotIn", "b"),
                        node("n", "True", b -> b.editMetadata().withLabels(Map.of("zone", "b")).endMetadata()),
                        "node(s) didn't match Pod's node affinity/selector"),
                Arguments.of("affinity DoesNotExist", affinity("gpu", "DoesNotExist"), ready("n"), ""),
                Arguments.of("affinity Gt", affinity("cores", "Gt", "4"),
                        node("n", "True", b -> b.editMetadata().withLabels(Map.of("cores", "8")).endMetadata()), ""),
                Arguments.of("affinity Lt miss", affinity("cores", "Lt", "4"),
                        node("n", "True", b -> b.editMetadata().withLabels(Map.of("cores", "8")).endMetadata()),
                        "node(s) didn't match Pod's node affinity/selector"));
    }

    static Pod affinity(String key, String op, String... values) {
        return pod(b -> b.editSpec().withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNodeSelectorTerms(new NodeSelectorTermBuilder().withMatchExpressions(
                        new NodeSelectorRequirementBuilder().withKey(key).withOperator(op).withValues(values).build())
                        .build())
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void filter(String name, Pod pod, Node node, String reason) {
        assertThat(NodeFilter.unfitReason(pod, node).orElse("")).isEqualTo(reason);
    }

    @Test
    void fewestPodsFirstThenByName() {
        List<Node> nodes = List.of(ready("c"), ready("a"), ready("b"));
        assertThat(Placement.decide(plain(), nodes, Map.of())).isEqualTo(new Placement.Bind("a"));
        assertThat(Placement.decide(plain(), nodes, Map.of("a", 2, "b", 1, "c", 1)))
                .isEqualTo(new Placement.Bind("b"));
        assertThat(Placement.decide(plain(), nodes, Map.of("a", 2, "b", 3, "c", 1)))
                .isEqualTo(new Placement.Bind("c"));
        assertThat(Placement.decide(plain(), List.of(ready("a"), node("b", "False", x -> x)), Map.of("a", 9)))
                .isEqualTo(new Placement.Bind("a"));
    }

    @Test
    void noFitGivesUpstreamsFitError() {
        Pod selective = pod(b -> b.editSpec().withNodeSelector(Map.of("disk", "ssd")).endSpec());
        assertThat(Placement.decide(selective, List.of(ready("a"), ready("b")), Map.of())).isEqualTo(
                new Placement.Unschedulable("0/2 nodes are available: 2 node(s) didn't match Pod's node "
                        + "affinity/selector."));
        List<Node> mixed = List.of(ready("a"), node("b", "True", x -> x.editSpec().withUnschedulable(true).endSpec()),
                node("c", "False", x -> x));
        assertThat(Placement.decide(selective, mixed, Map.of())).isEqualTo(new Placement.Unschedulable(
                "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had "
                        + "untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable."));
        assertThat(Placement.decide(plain(), List.of(), Map.of()))
                .isEqualTo(new Placement.Unschedulable("no nodes available to schedule pods"));
    }

    @Test
    void whoNeedsScheduling() {
        assertThat(Placement.needsScheduling(plain())).isTrue();
        assertThat(Placement.needsScheduling(pod(b -> b.editSpec().withSchedulerName("default-scheduler")
                .endSpec()))).isTrue();
        assertThat(Placement.needsScheduling(pod(b -> b.editSpec().withNodeName("n").endSpec()))).isFalse();
        assertThat(Placement.needsScheduling(pod(b -> b.editSpec().withSchedulerName("other").endSpec()))).isFalse();
        assertThat(Placement.needsScheduling(pod(b -> b.editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z")
                .endMetadata()))).isFalse();
        assertThat(Placement.needsScheduling(pod(b -> b.withNewStatus().withPhase("Failed").endStatus()))).isFalse();
        assertThat(Placement.needsScheduling(pod(b -> b.editSpec().addNewSchedulingGate().withName("g")
                .endSchedulingGate().endSpec()))).isFalse();
    }

    @Test
    void unschedulableConditionKeepsItsTransitionTime() {
        Pod p = pod(b -> b.withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled")
                .withStatus("False").withReason("Unschedulable").withMessage("old")
                .withLastTransitionTime("2026-01-01T00:00:00Z").endCondition().endStatus());
        Pod updated = Scheduler.withUnschedulableCondition(p, "new", java.time.Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(updated.getStatus().getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getMessage()).isEqualTo("new");
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
        });
        assertThat(Scheduler.conditionMatches(updated, "new")).isTrue();
        assertThat(Scheduler.conditionMatches(updated, "other")).isFalse();
    }
}
