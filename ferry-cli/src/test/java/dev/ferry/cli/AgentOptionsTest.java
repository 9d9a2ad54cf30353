package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
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

    @Test
    void nodeLabelsAreKeyValuePairsTheKubeletWouldAccept() {
        assertThat(parse().nodeLabels).isEmpty();
        assertThat(parse("--node-labels", "topology.kubernetes.io/zone=zone-a,team=blue,node.kubernetes.io/pool=")
                .nodeLabels).containsExactly(Map.entry("topology.kubernetes.io/zone", "zone-a"),
                        Map.entry("team", "blue"), Map.entry("node.kubernetes.io/pool", ""));
        assertThat(parse("--node-labels", "sub.kubelet.kubernetes.io/x=1,example.com/y=2").nodeLabels).hasSize(2);
    }

    @Test
    void nodeLabelsAKubeletMayNotSetOrThatAreMalformedAreRefused() {
        assertThatThrownBy(() -> parse("--node-labels", "node-role.kubernetes.io/worker=,k8s.io/x=1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: "
                        + "[k8s.io/x node-role.kubernetes.io/worker]; --node-labels in the 'kubernetes.io' namespace "
                        + "must begin with an allowed prefix (kubelet.kubernetes.io, node.kubernetes.io)")
                .hasMessageContaining("topology.kubernetes.io/zone)");
        assertThatThrownBy(() -> parse("--node-labels", "zone"))
                .hasMessage("--node-labels: malformed pair 'zone', expect key=value");
        assertThatThrownBy(() -> parse("--node-labels", "bad key=x"))
                .hasMessageStartingWith("invalid node labels: 'bad key' - ");
        assertThatThrownBy(() -> parse("--node-labels", "ok=not valid!"))
                .hasMessageStartingWith("invalid node labels: 'not valid!' - ");
    }
}
