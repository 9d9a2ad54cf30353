package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {
    private static AgentOptions parse(String... args) {
        AgentOptions o = new AgentOptions();
        TestFlags.parse(o::declare, args);
        return o;
    }

    @Test
    void theHeartbeatIsEveryTenSecondsUnlessTheFlagSaysOtherwise() {
        assertThat(parse().heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(parse("--node-status-update-frequency", "1s").heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(parse("--node-status-update-frequency", "500ms").heartbeatInterval())
                .isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aMalformedOrZeroHeartbeatIsRefusedWithTheFlagsName() {
        assertThatThrownBy(() -> parse("--node-status-update-frequency", "soon").heartbeatInterval())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--node-status-update-frequency");
        assertThatThrownBy(() -> parse("--node-status-update-frequency", "0s").heartbeatInterval())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
    }
}
