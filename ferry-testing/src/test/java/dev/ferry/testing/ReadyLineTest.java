package dev.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReadyLineTest {
    @Test
    void parsesTheReadyLinesOfUpAndServer() {
        assertThat(ReadyLine.parse("Ferry is ready (1999 ms): API http://127.0.0.1:45189, kubeconfig /tmp/x/kubeconfig"))
                .contains(new ReadyLine(URI.create("http://127.0.0.1:45189"), Path.of("/tmp/x/kubeconfig"), 1999));
        assertThat(ReadyLine.parse("Ferry API server is ready (12 ms): API http://127.0.0.1:1, kubeconfig k"))
                .contains(new ReadyLine(URI.create("http://127.0.0.1:1"), Path.of("k"), 12));
        assertThat(ReadyLine.parse("07:57:23.678 INFO  ApiServer: API server listening on http://127.0.0.1:45189"))
                .isEmpty();
    }

    @Test
    void parsesTheReadyLineOfAnAgentAndNotTheServersLines() {
        assertThat(AgentReadyLine.parse("Ferry agent is ready (812 ms): node n1, API http://127.0.0.1:45189"))
                .contains(new AgentReadyLine("n1", URI.create("http://127.0.0.1:45189"), 812));
        assertThat(AgentReadyLine.parse("Ferry is ready (1999 ms): API http://127.0.0.1:1, kubeconfig k")).isEmpty();
        assertThat(ReadyLine.parse("Ferry agent is ready (812 ms): node n1, API http://127.0.0.1:45189")).isEmpty();
    }

    @Test
    void stopReturnsTheExitCodeOfAProcessThatEndsOnSigterm() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        assertThat(ChildProcesses.stop(sleeper, java.time.Duration.ofSeconds(10))).isEqualTo(143);
        assertThat(sleeper.isAlive()).isFalse();
    }
}
