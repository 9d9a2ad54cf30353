package dev.ferry.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class FencepostsTest {
    private record Case(int replicas, IntOrString surge, IntOrString unavailable, int maxSurge, int maxUnavailable) {
    }

    private static IntOrString i(int v) {
        return new IntOrString(v);
    }

    private static IntOrString s(String v) {
        return new IntOrString(v);
    }

    static Deployment rolling(int replicas, IntOrString surge, IntOrString unavailable) {
        return new DeploymentBuilder().withNewMetadata().withName("d").endMetadata().withNewSpec().withReplicas(replicas).withNewStrategy()
                .withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(surge)
                .withMaxUnavailable(unavailable).endRollingUpdate().endStrategy().endSpec().build();
    }

    @Test
    void surgeRoundsUpUnavailableRoundsDownAndBothZeroMeansOneUnavailable() {
        List<Case> cases = List.of(
                new Case(10, s("25%"), s("25%"), 3, 2),
                new Case(3, s("25%"), s("25%"), 1, 0),
                new Case(1, s("25%"), s("25%"), 1, 0),
                new Case(3, i(1), i(0), 1, 0),
                new Case(3, i(0), i(0), 0, 1),
                new Case(3, s("0%"), s("10%"), 0, 1),
                new Case(4, s("50%"), s("50%"), 2, 2),
                new Case(2, i(0), i(5), 0, 2),
                new Case(0, s("25%"), s("25%"), 0, 0),
                new Case(5, null, null, 2, 1));
        for (Case c : cases) {
            Deployment d = rolling(c.replicas, c.surge, c.unavailable);
            assertThat(Fenceposts.maxSurge(d)).as("surge %s", c).isEqualTo(c.maxSurge);
            assertThat(Fenceposts.maxUnavailable(d)).as("unavailable %s", c).isEqualTo(c.maxUnavailable);
        }
    }

    @Test
    void recreateHasNeither() {
        Deployment d = new DeploymentBuilder().withNewSpec().withReplicas(3).withNewStrategy().withType("Recreate")
                .endStrategy().endSpec().build();
        assertThat(Fenceposts.maxSurge(d)).isZero();
        assertThat(Fenceposts.maxUnavailable(d)).isZero();
    }
}
