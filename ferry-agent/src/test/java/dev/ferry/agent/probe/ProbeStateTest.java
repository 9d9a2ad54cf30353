package dev.ferry.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProbeStateTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("readiness starts failed", ProbeType.READINESS, 1, 3, "", List.of()),
                Arguments.of("liveness starts successful", ProbeType.LIVENESS, 1, 3, "", List.of()),
                Arguments.of("readiness: one success is enough by default", ProbeType.READINESS, 1, 3, "+",
                        List.of(ProbeResult.SUCCESS)),
                Arguments.of("readiness: successThreshold 2", ProbeType.READINESS, 2, 3, "++",
                        List.of(ProbeResult.FAILURE, ProbeResult.SUCCESS)),
                Arguments.of("readiness: failures below the threshold keep it ready", ProbeType.READINESS, 1, 3,
                        "+--+--", List.of(ProbeResult.SUCCESS, ProbeResult.SUCCESS, ProbeResult.SUCCESS,
                                ProbeResult.SUCCESS, ProbeResult.SUCCESS, ProbeResult.SUCCESS)),
                Arguments.of("readiness: third failure in a row unreadies", ProbeType.READINESS, 1, 3, "+---+",
                        List.of(ProbeResult.SUCCESS, ProbeResult.SUCCESS, ProbeResult.SUCCESS, ProbeResult.FAILURE,
                                ProbeResult.SUCCESS)),
                Arguments.of("liveness: failure threshold 1", ProbeType.LIVENESS, 1, 1, "-",
                        List.of(ProbeResult.FAILURE)),
                Arguments.of("liveness: on hold after failing", ProbeType.LIVENESS, 1, 2, "--++",
                        List.of(ProbeResult.SUCCESS, ProbeResult.FAILURE, ProbeResult.FAILURE, ProbeResult.FAILURE)),
                Arguments.of("startup: unknown until it succeeds", ProbeType.STARTUP, 1, 3, "--+",
                        List.of(ProbeResult.UNKNOWN, ProbeResult.UNKNOWN, ProbeResult.SUCCESS)),
                Arguments.of("startup: fails after the threshold", ProbeType.STARTUP, 1, 2, "--",
                        List.of(ProbeResult.UNKNOWN, ProbeResult.FAILURE)));
    }

    /** {@code outcomes}: '+' success, '-' failure; {@code published}: the result after each. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void thresholds(String name, ProbeType type, int success, int failure, String outcomes,
            List<ProbeResult> published) {
        ProbeState s = ProbeState.initial(type);
        assertThat(s.result()).isEqualTo(switch (type) {
            case READINESS -> ProbeResult.FAILURE;
            case LIVENESS -> ProbeResult.SUCCESS;
            case STARTUP -> ProbeResult.UNKNOWN;
        });
        for (int i = 0; i < outcomes.length(); i++) {
            s = s.observe(type, outcomes.charAt(i) == '+', success, failure);
            assertThat(s.result()).as("after outcome %d", i).isEqualTo(published.get(i));
        }
    }
}
