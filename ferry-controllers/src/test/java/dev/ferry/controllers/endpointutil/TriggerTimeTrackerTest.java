package dev.ferry.controllers.endpointutil;

import static dev.ferry.controllers.endpointutil.Fixtures.pod;
import static dev.ferry.controllers.endpointutil.Fixtures.svc;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerTimeTrackerTest {
    private static Pod readyAt(String name, String time) {
        return pod(name, true, "127.244.0.2").editStatus().withConditions(new PodConditionBuilder().withType("Ready")
                .withStatus("True").withLastTransitionTime(time).build()).endStatus().build();
    }

    @Test
    void firstSyncUsesServiceCreationThenEarliestChangedPod() {
        TriggerTimeTracker t = new TriggerTimeTracker();
        Pod a = readyAt("a", "2026-01-01T00:00:10Z");
        Pod b = readyAt("b", "2026-01-01T00:00:20Z");
        assertThat(t.compute(svc(), List.of(a, b))).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(t.compute(svc(), List.of(a, b))).isNull();
        Pod a2 = readyAt("a", "2026-01-01T00:01:00Z");
        Pod b2 = readyAt("b", "2026-01-01T00:00:50Z");
        assertThat(t.compute(svc(), List.of(a2, b))).isEqualTo(Instant.parse("2026-01-01T00:01:00Z"));
        assertThat(t.compute(svc(), List.of(a2, b2))).isEqualTo(Instant.parse("2026-01-01T00:00:50Z"));
        Pod c = readyAt("c", "2026-01-01T00:00:30Z");
        assertThat(t.compute(svc(), List.of(a2, b2, c))).isEqualTo(Instant.parse("2026-01-01T00:00:30Z"));
        t.delete("ns", "web");
        assertThat(t.compute(svc(), List.of(a2, b2, c))).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }
}
