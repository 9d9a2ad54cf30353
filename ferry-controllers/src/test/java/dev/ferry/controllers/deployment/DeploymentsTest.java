package dev.ferry.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentsTest {
    private static ReplicaSet rs(Map<String, String> annotations) {
        return new ReplicaSetBuilder().withNewMetadata().withName("rs").withAnnotations(new HashMap<>(annotations))
                .endMetadata().withNewSpec().withReplicas(1).endSpec().build();
    }

    private static Deployment deployment() {
        Deployment d = FencepostsTest.rolling(4, new IntOrString(1), new IntOrString(0));
        d.getMetadata().setAnnotations(Map.of("team", "a", "kubectl.kubernetes.io/last-applied-configuration", "{}",
                Deployments.REVISION, "7"));
        return d;
    }

    @Test
    void aNewSetGetsTheRevisionCopiedAnnotationsAndReplicaCounts() {
        ReplicaSet rs = rs(Map.of());
        assertThat(Deployments.setNewReplicaSetAnnotations(deployment(), rs, "3", false)).isTrue();
        assertThat(rs.getMetadata().getAnnotations()).containsEntry(Deployments.REVISION, "3")
                .containsEntry("team", "a").containsEntry(Deployments.DESIRED_REPLICAS, "4")
                .containsEntry(Deployments.MAX_REPLICAS, "5")
                .doesNotContainKeys("kubectl.kubernetes.io/last-applied-configuration", Deployments.REVISION_HISTORY);
    }

    @Test
    void anOldSetBecomingNewAgainMovesToTheNextRevisionAndKeepsItsHistory() {
        ReplicaSet rs = rs(Map.of(Deployments.REVISION, "2", Deployments.REVISION_HISTORY, "1"));
        assertThat(Deployments.setNewReplicaSetAnnotations(deployment(), rs, "5", true)).isTrue();
        assertThat(rs.getMetadata().getAnnotations()).containsEntry(Deployments.REVISION, "5")
                .containsEntry(Deployments.REVISION_HISTORY, "1,2").doesNotContainKey(Deployments.DESIRED_REPLICAS);
    }

    @Test
    void aCurrentRevisionIsLeftAlone() {
        ReplicaSet rs = rs(Map.of(Deployments.REVISION, "5", "team", "a"));
        assertThat(Deployments.setNewReplicaSetAnnotations(deployment(), rs, "5", true)).isFalse();
        assertThat(Deployments.setNewReplicaSetAnnotations(deployment(), rs, "4", true)).isFalse();
        assertThat(rs.getMetadata().getAnnotations()).containsEntry(Deployments.REVISION, "5");
    }

    @Test
    void historyIsCappedAt2000CharactersDroppingTheOldest() {
        String history = "1" + ",123456789".repeat(199);
        assertThat(history.length()).isEqualTo(1991);
        String next = Deployments.appendHistory(history, "1000000000");
        assertThat(next.length()).isLessThanOrEqualTo(2000);
        assertThat(next).endsWith(",1000000000").doesNotStartWith("1,");
        assertThat(Deployments.appendHistory("", "3")).isEqualTo("3");
        assertThat(Deployments.appendHistory("1,2", "3")).isEqualTo("1,2,3");
    }

    @Test
    void revisionsParse() {
        assertThat(Deployments.revision(rs(Map.of()))).isZero();
        assertThat(Deployments.revision(rs(Map.of(Deployments.REVISION, "12")))).isEqualTo(12);
        assertThat(Deployments.maxRevision(java.util.List.of(rs(Map.of(Deployments.REVISION, "2")),
                rs(Map.of(Deployments.REVISION, "9")), rs(Map.of(Deployments.REVISION, "x"))))).isEqualTo(9);
    }
}
