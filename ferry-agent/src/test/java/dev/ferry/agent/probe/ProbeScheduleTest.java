package dev.ferry.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProbeScheduleTest {
    private static final ProbeState NOT_RUN = ProbeState.initial(ProbeType.READINESS);

    private static ProbeState failures(int n) {
        return new ProbeState(ProbeResult.FAILURE, ProbeResult.FAILURE, n, false);
    }

    private static Arguments row(String name, ProbeType type, int periodSeconds, int successThreshold,
            ProbeState state, boolean everReady, long expectedMillis) {
        return Arguments.of(name, type, new ProbeSettings(Duration.ZERO, Duration.ofSeconds(periodSeconds),
                Duration.ofSeconds(1), successThreshold, 3), state, everReady, Duration.ofMillis(expectedMillis));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                row("never ready: first failure retried after 50 ms", ProbeType.READINESS, 1, 1, failures(1), false,
                        50),
                row("never ready: second failure after 100 ms", ProbeType.READINESS, 1, 1, failures(2), false, 100),
                row("never ready: third after 200 ms", ProbeType.READINESS, 1, 1, failures(3), false, 200),
                row("never ready: fourth after 400 ms", ProbeType.READINESS, 1, 1, failures(4), false, 400),
                row("never ready: fifth after 800 ms", ProbeType.READINESS, 1, 1, failures(5), false, 800),
                row("never ready: capped at the period", ProbeType.READINESS, 1, 1, failures(6), false, 1000),
                row("never ready: period 10 s, eighth failure", ProbeType.READINESS, 10, 1, failures(8), false, 6400),
                row("never ready: period 10 s, ninth failure capped", ProbeType.READINESS, 10, 1, failures(9), false,
                        10_000),
                row("never ready: a long run does not overflow", ProbeType.READINESS, 10, 1, failures(1000), false,
                        10_000),
                row("after ready: a failure waits a period", ProbeType.READINESS, 1, 1, failures(1), true, 1000),
                row("after ready: failures in a row wait a period", ProbeType.READINESS, 10, 1, failures(3), true,
                        10_000),
                row("after ready: success waits a period", ProbeType.READINESS, 1, 1,
                        new ProbeState(ProbeResult.SUCCESS, ProbeResult.SUCCESS, 1, false), true, 1000),
                row("successThreshold 2: always the period", ProbeType.READINESS, 1, 2, failures(1), false, 1000),
                row("successThreshold 2 with a success so far", ProbeType.READINESS, 1, 2,
                        new ProbeState(ProbeResult.FAILURE, ProbeResult.SUCCESS, 1, false), false, 1000),
                row("not run yet (gated by startup): the period", ProbeType.READINESS, 1, 1, NOT_RUN, false, 1000),
                row("liveness: the period", ProbeType.LIVENESS, 1, 1,
                        new ProbeState(ProbeResult.SUCCESS, ProbeResult.FAILURE, 1, false), false, 1000),
                row("startup: the period", ProbeType.STARTUP, 1, 1,
                        new ProbeState(ProbeResult.UNKNOWN, ProbeResult.FAILURE, 1, false), false, 1000));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nextRun(String name, ProbeType type, ProbeSettings settings, ProbeState state, boolean everReady,
            Duration expected) {
        assertThat(ProbeSchedule.next(type, settings, state, everReady)).isEqualTo(expected);
    }
}
