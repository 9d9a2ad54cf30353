package dev.ferry.controllers.replicaset;

import static dev.ferry.controllers.replicaset.Fixtures.pod;
import static dev.ferry.controllers.replicaset.Fixtures.ready;
import static dev.ferry.controllers.replicaset.Fixtures.rs;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaSetPlannerTest {
    private static final String T0 = "2026-01-01T00:00:00Z";

    private static List<Pod> pods(int n) {
        List<Pod> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(pod("p" + i, T0).build());
        }
        return out;
    }

    private record Case(String name, int replicas, int pods, boolean manage, int burst, int create, int delete) {
    }

    @Test
    void createsOrDeletesTheDifferenceWithinTheBurst() {
        List<Case> cases = List.of(
                new Case("nothing to do", 3, 3, true, 500, 0, 0),
                new Case("scale up from zero", 3, 0, true, 500, 3, 0),
                new Case("scale up capped by burst", 800, 0, true, 500, 500, 0),
                new Case("scale down", 1, 3, true, 500, 0, 2),
                new Case("scale down capped by burst", 0, 5, true, 2, 0, 2),
                new Case("unsatisfied expectations: no action", 3, 0, false, 500, 0, 0));
        for (Case c : cases) {
            ReplicaSetPlan plan = ReplicaSetPlanner.plan(rs(c.replicas), pods(c.pods), c.manage, c.burst);
            assertThat(plan.create()).as(c.name).isEqualTo(c.create);
            assertThat(plan.delete()).as(c.name).hasSize(c.delete);
            assertThat(plan.active()).as(c.name).hasSize(c.pods);
        }
    }

    @Test
    void terminatingAndFinishedPodsAreNotReplicas() {
        List<Pod> pods = List.of(pod("live", T0).build(),
                pod("terminating", T0).editMetadata().withDeletionTimestamp(T0).endMetadata().build(),
                pod("done", T0).editStatus().withPhase("Succeeded").endStatus().build(),
                pod("failed", T0).editStatus().withPhase("Failed").endStatus().build());
        ReplicaSetPlan plan = ReplicaSetPlanner.plan(rs(2), pods, true, 500);
        assertThat(plan.active()).extracting(p -> p.getMetadata().getName()).containsExactly("live");
        assertThat(plan.create()).isEqualTo(1);
    }

    @Test
    void deletesNotReadyPodsFirst() {
        List<Pod> pods = List.of(ready(pod("ready1", T0), T0).build(), pod("notready", T0).build(),
                ready(pod("ready2", T0), T0).build());
        ReplicaSetPlan plan = ReplicaSetPlanner.plan(rs(2), pods, true, 500);
        assertThat(plan.delete()).extracting(p -> p.getMetadata().getName()).containsExactly("notready");
    }

    @Test
    void adoptsMatchingOrphansAndReleasesNonMatchingPods() {
        Pod orphan = pod("orphan", T0).editMetadata().withOwnerReferences(List.of()).endMetadata().build();
        Pod relabelled = pod("relabelled", T0).editMetadata().withLabels(Map.of("app", "other")).endMetadata()
                .build();
        Pod foreign = pod("foreign", T0).editMetadata().editFirstOwnerReference().withUid("other").endOwnerReference()
                .endMetadata().build();
        ReplicaSetPlan plan = ReplicaSetPlanner.plan(rs(1), List.of(orphan, relabelled, foreign), true, 500);
        assertThat(plan.adopt()).containsExactly(orphan);
        assertThat(plan.release()).containsExactly(relabelled);
        assertThat(plan.active()).containsExactly(orphan);
        assertThat(plan.create()).isZero();
        assertThat(plan.delete()).isEmpty();
    }

    @Test
    void aDeletingReplicaSetNeitherAdoptsNorManages() {
        ReplicaSet deleting = rs(3);
        deleting.getMetadata().setDeletionTimestamp(T0);
        Pod orphan = pod("orphan", T0).editMetadata().withOwnerReferences(List.of()).endMetadata().build();
        ReplicaSetPlan plan = ReplicaSetPlanner.plan(deleting, List.of(orphan), true, 500);
        assertThat(plan.adopt()).isEmpty();
        assertThat(plan.create()).isZero();
    }
}
