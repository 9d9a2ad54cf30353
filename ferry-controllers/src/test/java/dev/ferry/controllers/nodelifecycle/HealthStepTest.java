package dev.ferry.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The health decisions over time, with a fake clock: a walk through one node's life. */
final class HealthStepTest {
    private static final Duration GRACE = Duration.ofSeconds(40);
    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");

    private static Node node(String ready, String heartbeat) {
        return new NodeBuilder().withNewMetadata().withName("n1").withCreationTimestamp("2026-05-01T11:00:00Z")
                .endMetadata().withNewStatus()
                .addNewCondition().withType("Ready").withStatus(ready).withReason("KubeletReady")
                .withLastHeartbeatTime(heartbeat).withLastTransitionTime("2026-05-01T11:00:00Z").endCondition()
                .addNewCondition().withType("MemoryPressure").withStatus("False").withLastHeartbeatTime(heartbeat)
                .endCondition()
                .addNewCondition().withType("NetworkUnavailable").withStatus("False").endCondition()
                .endStatus().build();
    }

    private static Lease lease(Instant renew) {
        return new LeaseBuilder().withNewMetadata().withName("n1").withNamespace("kube-node-lease").endMetadata()
                .withNewSpec().withHolderIdentity("n1").withLeaseDurationSeconds(40)
                .withRenewTime(ZonedDateTime.ofInstant(renew, ZoneOffset.UTC)).endSpec().build();
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void aSilentNodeGoesUnknownOnceAndItsPodsAreMarkedOnce() {
        Node ready = node("True", "2026-05-01T11:59:00Z");
        HealthStep first = HealthStep.of(null, ready, lease(at(-100)), at(0), GRACE);
        assertThat(first.nodeConditions()).as("a node first seen gets a full grace period").isEmpty();
        assertThat(first.markPods()).isFalse();

        HealthStep renewed = HealthStep.of(first.after(), ready, lease(at(30)), at(35), GRACE);
        assertThat(renewed.nodeConditions()).isEmpty();
        assertThat(renewed.after().probe()).isEqualTo(at(35));

        HealthStep quiet = HealthStep.of(renewed.after(), ready, lease(at(30)), at(75), GRACE);
        assertThat(quiet.nodeConditions()).as("exactly the grace period is not yet silence").isEmpty();

        HealthStep silent = HealthStep.of(quiet.after(), ready, lease(at(30)), at(76), GRACE);
        assertThat(silent.markPods()).isTrue();
        List<NodeCondition> conditions = silent.nodeConditions().orElseThrow();
        NodeCondition r = conditions.get(0);
        assertThat(r.getType()).isEqualTo("Ready");
        assertThat(r.getStatus()).isEqualTo("Unknown");
        assertThat(r.getReason()).isEqualTo("NodeStatusUnknown");
        assertThat(r.getMessage()).isEqualTo("Kubelet stopped posting node status.");
        assertThat(r.getLastHeartbeatTime()).isEqualTo("2026-05-01T11:59:00Z");
        assertThat(r.getLastTransitionTime()).isEqualTo("2026-05-01T12:01:16Z");
        assertThat(conditions).extracting(NodeCondition::getType, NodeCondition::getStatus).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Ready", "Unknown"),
                org.assertj.core.groups.Tuple.tuple("MemoryPressure", "Unknown"),
                org.assertj.core.groups.Tuple.tuple("NetworkUnavailable", "False"),
                org.assertj.core.groups.Tuple.tuple("DiskPressure", "Unknown"),
                org.assertj.core.groups.Tuple.tuple("PIDPressure", "Unknown"));
        assertThat(conditions.get(3).getReason()).isEqualTo("NodeStatusNeverUpdated");
        assertThat(conditions.get(3).getLastHeartbeatTime()).isEqualTo("2026-05-01T11:00:00Z");

        Node unknown = new NodeBuilder(ready).editStatus().withConditions(conditions).endStatus().build();
        HealthStep again = HealthStep.of(silent.after(), unknown, lease(at(30)), at(81), GRACE);
        assertThat(again.nodeConditions()).as("already Unknown: nothing to write").isEmpty();
        assertThat(again.markPods()).as("pods are marked once per departure from Ready").isFalse();
    }

    @Test
    void aReturningAgentIsNotFought() {
        Node ready = node("True", "2026-05-01T11:59:00Z");
        HealthStep s = HealthStep.of(null, ready, lease(at(0)), at(0), GRACE);
        s = HealthStep.of(s.after(), ready, lease(at(0)), at(50), GRACE);
        Node unknown = new NodeBuilder(ready).editStatus().withConditions(s.nodeConditions().orElseThrow())
                .endStatus().build();
        s = HealthStep.of(s.after(), unknown, lease(at(0)), at(55), GRACE);
        assertThat(s.after().lastReady()).isEqualTo("Unknown");

        HealthStep back = HealthStep.of(s.after(), unknown, lease(at(60)), at(61), GRACE);
        assertThat(back.nodeConditions()).as("renewed Lease: leave the node to its agent").isEmpty();
        assertThat(back.markPods()).isFalse();
        HealthStep later = HealthStep.of(back.after(), unknown, lease(at(60)), at(100), GRACE);
        assertThat(later.nodeConditions()).as("still within grace of the renewal").isEmpty();

        Node readyAgain = node("True", "2026-05-01T12:01:40Z");
        HealthStep restored = HealthStep.of(later.after(), readyAgain, lease(at(60)), at(101), GRACE);
        assertThat(restored.after().lastReady()).isEqualTo("True");
        assertThat(restored.nodeConditions()).isEmpty();
    }

    @Test
    void heartbeatsWithoutALeaseKeepTheNodeFreshAndAnAgentReportingNotReadyMarksPods() {
        Node ready = node("True", "2026-05-01T11:59:00Z");
        HealthStep s = HealthStep.of(null, ready, null, at(0), GRACE);
        s = HealthStep.of(s.after(), ready, null, at(30), GRACE);
        assertThat(s.after().lastReady()).isEqualTo("True");
        Node beat = node("True", "2026-05-01T12:00:30Z");
        s = HealthStep.of(s.after(), beat, null, at(39), GRACE);
        assertThat(s.after().probe()).isEqualTo(at(39));
        s = HealthStep.of(s.after(), beat, null, at(70), GRACE);
        assertThat(s.nodeConditions()).isEmpty();

        Node notReady = node("False", "2026-05-01T12:01:15Z");
        HealthStep down = HealthStep.of(s.after(), notReady, null, at(75), GRACE);
        assertThat(down.nodeConditions()).as("the agent's own report stands").isEmpty();
        assertThat(down.markPods()).isTrue();
    }

    @Test
    void podReadyTurnsFalseKeepingTheRest() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewStatus()
                .addNewCondition().withType("ContainersReady").withStatus("True").endCondition()
                .addNewCondition().withType("Ready").withStatus("True").withReason("r").withMessage("m")
                .withLastTransitionTime("2026-01-01T00:00:00Z").endCondition().endStatus().build();
        List<PodCondition> out = NodeConditions.podNotReady(pod, at(5)).orElseThrow();
        assertThat(out.get(0).getStatus()).as("ContainersReady is the agent's").isEqualTo("True");
        assertThat(out.get(1).getStatus()).isEqualTo("False");
        assertThat(out.get(1).getReason()).isEqualTo("r");
        assertThat(out.get(1).getLastTransitionTime()).isEqualTo("2026-05-01T12:00:05Z");
        Pod marked = new PodBuilder(pod).editStatus().withConditions(out).endStatus().build();
        assertThat(NodeConditions.podNotReady(marked, at(6))).isEmpty();
        assertThat(NodeConditions.podNotReady(new PodBuilder().withNewMetadata().withName("q").endMetadata()
                .build(), at(6))).isEmpty();
    }
}
