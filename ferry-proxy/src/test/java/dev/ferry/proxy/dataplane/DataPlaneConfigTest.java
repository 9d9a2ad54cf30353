package dev.ferry.proxy.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DataPlaneConfigTest {
    @Test
    void connectionsFitTheFileLimit() {
        assertThat(DataPlaneConfig.connectionsForFileLimit(20_000)).isEqualTo(9_488);
        assertThat(DataPlaneConfig.connectionsForFileLimit(1_024)).isEqualTo(64);
        assertThat(DataPlaneConfig.connectionsForFileLimit(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void defaultsAreValidAndLeaveConnectionsToFinish() {
        DataPlaneConfig d = DataPlaneConfig.defaults();
        assertThat(d.eventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(d.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.maxConnectAttempts()).isEqualTo(3);
        assertThat(d.removedEndpointGrace()).isNull();
    }

    @Test
    void rejectsNonsense() {
        DataPlaneConfig d = DataPlaneConfig.defaults();
        assertThatThrownBy(() -> d.withEventLoops(0)).hasMessageContaining("eventLoops");
        assertThatThrownBy(() -> d.withConnectTimeout(Duration.ZERO)).hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> d.withRemovedEndpointGrace(Duration.ofSeconds(-1)))
                .hasMessageContaining("removedEndpointGrace");
        assertThatThrownBy(() -> d.withMaxConnections(0)).hasMessageContaining("maxConnections");
    }
}
