package dev.ferry.controllers.replicaset;

import static dev.ferry.controllers.replicaset.Fixtures.pod;
import static dev.ferry.controllers.replicaset.Fixtures.ready;
import static dev.ferry.controllers.replicaset.Fixtures.rs;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaSetStatusesTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:10Z");

    @Test
    void countsReplicasLabelsReadinessAndAvailability() {
        ReplicaSet set = rs(4);
        set.getSpec().setMinReadySeconds(5);
        List<Pod> pods = List.of(
                ready(pod("long-ready", "2026-01-01T00:00:00Z"), "2026-01-01T00:00:01Z").build(),
                ready(pod("just-ready", "2026-01-01T00:00:00Z"), "2026-01-01T00:00:08Z").build(),
                pod("pending", "2026-01-01T00:00:00Z").build(),
                pod("partly-labelled", "2026-01-01T00:00:00Z").editMetadata().withLabels(Map.of("app", "web"))
                        .endMetadata().build());
        ReplicaSetStatus s = ReplicaSetStatuses.compute(set, pods, null, NOW);
        assertThat(s.getReplicas()).isEqualTo(4);
        assertThat(s.getFullyLabeledReplicas()).isEqualTo(3);
        assertThat(s.getReadyReplicas()).isEqualTo(2);
        assertThat(s.getAvailableReplicas()).isEqualTo(1);
        assertThat(s.getObservedGeneration()).isEqualTo(3L);
        // just-ready becomes available at :13; the controller looks again a second after
        assertThat(ReplicaSetStatuses.untilNextAvailable(set, pods, NOW)).isEqualTo(Duration.ofSeconds(4));
        assertThat(ReplicaSetStatuses.compute(set, pods, null, NOW.plusSeconds(4)).getAvailableReplicas())
                .isEqualTo(2);
    }

    @Test
    void minReadySecondsZeroMakesReadyPodsAvailableAtOnce() {
        List<Pod> pods = List.of(ready(pod("p", "2026-01-01T00:00:00Z"), "2026-01-01T00:00:10Z").build());
        assertThat(ReplicaSetStatuses.compute(rs(1), pods, null, NOW).getAvailableReplicas()).isEqualTo(1);
        assertThat(ReplicaSetStatuses.untilNextAvailable(rs(1), pods, NOW)).isNull();
    }

    @Test
    void replicaFailureIsSetOnAFailedCreateAndClearedAfterASuccessfulSync() {
        ReplicaSet set = rs(2);
        ReplicaSetStatus failed = ReplicaSetStatuses.compute(set, List.of(), "pods \"web-x\" is forbidden", NOW);
        assertThat(failed.getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("ReplicaFailure");
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("FailedCreate");
            assertThat(c.getMessage()).isEqualTo("pods \"web-x\" is forbidden");
        });
        set.setStatus(failed);
        assertThat(ReplicaSetStatuses.compute(set, List.of(), null, NOW).getConditions()).isNull();
        ReplicaSetStatus deleteFailed = ReplicaSetStatuses.compute(rs(0),
                List.of(pod("p", "2026-01-01T00:00:00Z").build()), "boom", NOW);
        assertThat(deleteFailed.getConditions().getFirst().getReason()).isEqualTo("FailedDelete");
    }

    @Test
    void changedIgnoresZeroVersusAbsent() {
        ReplicaSet set = rs(0);
        set.setStatus(new ReplicaSetStatus());
        set.getStatus().setObservedGeneration(3L);
        ReplicaSetStatus next = ReplicaSetStatuses.compute(set, List.of(), null, NOW);
        assertThat(ReplicaSetStatuses.changed(set, next)).isFalse();
        set.getMetadata().setGeneration(4L);
        assertThat(ReplicaSetStatuses.changed(set, ReplicaSetStatuses.compute(set, List.of(), null, NOW))).isTrue();
    }
}
