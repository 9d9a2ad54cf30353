package dev.ferry.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeploymentConditionsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T00:05:00Z");

    @Test
    void settingKeepsTheTransitionTimeWhileTheStatusStays() {
        DeploymentStatus s = new DeploymentStatus();
        DeploymentConditions.set(s, DeploymentConditions.of("Progressing", "True", "NewReplicaSetCreated", "m1", T0));
        DeploymentConditions.set(s, DeploymentConditions.of("Progressing", "True", "ReplicaSetUpdated", "m2", T1));
        DeploymentCondition c = DeploymentConditions.get(s, "Progressing");
        assertThat(c.getReason()).isEqualTo("ReplicaSetUpdated");
        assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(c.getLastUpdateTime()).isEqualTo("2026-01-01T00:05:00Z");
        // same status and reason: nothing changes, not even the message
        DeploymentConditions.set(s, DeploymentConditions.of("Progressing", "True", "ReplicaSetUpdated", "m3", T1));
        assertThat(DeploymentConditions.get(s, "Progressing").getMessage()).isEqualTo("m2");
        DeploymentConditions.set(s, DeploymentConditions.of("Progressing", "False", "ProgressDeadlineExceeded", "m4",
                T1));
        assertThat(DeploymentConditions.get(s, "Progressing").getLastTransitionTime())
                .isEqualTo("2026-01-01T00:05:00Z");
        assertThat(s.getConditions()).hasSize(1);
    }

    @Test
    void completeAndProgressingPredicates() {
        Deployment d = DeploymentPlannerTest.deployment(3, "a");
        d.getMetadata().setGeneration(2L);
        d.setStatus(new DeploymentStatus());
        DeploymentStatus next = new DeploymentStatus();
        next.setReplicas(3);
        next.setUpdatedReplicas(3);
        next.setAvailableReplicas(3);
        next.setObservedGeneration(1L);
        assertThat(DeploymentConditions.complete(d, next)).as("old generation").isFalse();
        next.setObservedGeneration(2L);
        assertThat(DeploymentConditions.complete(d, next)).isTrue();
        assertThat(DeploymentConditions.progressing(d, next)).isTrue();
        d.setStatus(next);
        assertThat(DeploymentConditions.progressing(d, next)).isFalse();
    }
}
