package dev.ferry.controllers.replicaset;

import static dev.ferry.controllers.replicaset.Fixtures.onNode;
import static dev.ferry.controllers.replicaset.Fixtures.pod;
import static dev.ferry.controllers.replicaset.Fixtures.ready;
import static dev.ferry.controllers.replicaset.Fixtures.restarts;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each row: two pods, the first must be deleted before the second whatever the input order. */
class ScaleDownOrderTest {
    private static final String T0 = "2026-01-01T00:00:00Z";
    private static final String T1 = "2026-01-01T00:01:00Z";

    private record Case(String rule, Pod first, Pod second) {
    }

    @Test
    void upstreamOrderRuleByRule() {
        List<Case> cases = List.of(
                new Case("unscheduled before scheduled", pod("a", T0).build(), onNode(pod("b", T1), "n1").build()),
                new Case("pending before running", onNode(pod("a", T0), "n1").build(),
                        onNode(pod("b", T1), "n1").editStatus().withPhase("Running").endStatus().build()),
                new Case("unknown before running",
                        onNode(pod("a", T0), "n1").editStatus().withPhase("Unknown").endStatus().build(),
                        onNode(pod("b", T1), "n2").editStatus().withPhase("Running").endStatus().build()),
                new Case("not ready before ready",
                        onNode(pod("a", T0), "n1").editStatus().withPhase("Running").endStatus().build(),
                        ready(onNode(pod("b", T1), "n2"), T0).build()),
                new Case("ready for less time first", ready(onNode(pod("a", T0), "n1"), T1).build(),
                        ready(onNode(pod("b", T0), "n2"), T0).build()),
                new Case("more restarts first", restarts(ready(onNode(pod("a", T0), "n1"), T0), 5).build(),
                        restarts(ready(onNode(pod("b", T1), "n2"), T0), 1).build()),
                new Case("newer first", ready(onNode(pod("a", T1), "n1"), T0).build(),
                        ready(onNode(pod("b", T0), "n2"), T0).build()),
                new Case("unknown creation time first", ready(onNode(pod("a", null), "n1"), T0).build(),
                        ready(onNode(pod("b", T0), "n2"), T0).build()));
        for (Case c : cases) {
            assertThat(ScaleDownOrder.sort(List.of(c.first, c.second))).as(c.rule).containsExactly(c.first, c.second);
            assertThat(ScaleDownOrder.sort(List.of(c.second, c.first))).as(c.rule).containsExactly(c.first, c.second);
        }
    }

    @Test
    void podsDoubledUpOnANodeGoFirst() {
        Pod alone = ready(onNode(pod("alone", T1), "n1"), T0).build();
        Pod crowded1 = ready(onNode(pod("crowded1", T0), "n2"), T0).build();
        Pod crowded2 = ready(onNode(pod("crowded2", T0), "n2"), T0).build();
        assertThat(ScaleDownOrder.sort(List.of(alone, crowded1, crowded2)).getLast()).isSameAs(alone);
    }
}
