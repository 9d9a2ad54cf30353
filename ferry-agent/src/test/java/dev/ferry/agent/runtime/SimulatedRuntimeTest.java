package dev.ferry.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedRuntimeTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final SimulatedRuntime runtime = new SimulatedRuntime(InstantSource.fixed(NOW));

    static ContainerLaunch launch(String image) {
        return new ContainerLaunch("uid", "ns", "pod", "c", 0, image, List.of(), List.of(), Map.of(), "",
                "127.244.0.2", Path.of("/nonexistent/log"));
    }

    @Test
    void runsUntilTerminatedThenExitsZero() {
        Container container = runtime.start(launch("anything:1"));
        assertThat(container.pid()).isEqualTo(-1);
        assertThat(container.startedAt()).isEqualTo(NOW);
        assertThat(container.exit()).isNotDone();
        container.terminate();
        assertThat(container.exit()).isCompletedWithValue(0);
        container.kill();
        assertThat(container.exit()).isCompletedWithValue(0);
    }

    @Test
    void killExits137AndIdsAreUnique() {
        Container a = runtime.start(launch("x"));
        Container b = runtime.start(launch("x"));
        assertThat(a.id()).isNotEqualTo(b.id());
        a.kill();
        assertThat(a.exit()).isCompletedWithValue(137);
        assertThat(b.exit()).isNotDone();
    }

    @Test
    void execSucceedsAndNothingIsRecovered() throws Exception {
        Container container = runtime.start(launch("x"));
        assertThat(runtime.exec(container, List.of("false"), Duration.ofSeconds(1)).exitCode()).isZero();
        assertThat(runtime.recover()).isEmpty();
    }
}
