package dev.ferry.agent.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GracePeriodsTest {
    static Stream<Arguments> afterPreStop() {
        return Stream.of(
                Arguments.of("instant hook leaves the whole period", 30L, Duration.ZERO, 30L),
                Arguments.of("whole seconds are subtracted", 30L, Duration.ofSeconds(5), 25L),
                Arguments.of("fractions are truncated, as the kubelet's int64(Seconds())", 30L,
                        Duration.ofMillis(5999), 25L),
                Arguments.of("a hook using the whole period leaves the 2 s minimum", 30L, Duration.ofSeconds(30),
                        2L),
                Arguments.of("a hook overrunning the period leaves the 2 s minimum", 5L, Duration.ofSeconds(60), 2L),
                Arguments.of("under the minimum, the minimum", 3L, Duration.ofSeconds(2), 2L),
                Arguments.of("a clock step back counts as no time", 10L, Duration.ofSeconds(-3), 10L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void afterPreStop(String name, long grace, Duration took, long remaining) {
        assertThat(GracePeriods.afterPreStop(grace, took)).isEqualTo(remaining);
    }

    @Test
    void killIsDueAfterTheRemainingGraceFromSigterm() {
        Instant stop = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(GracePeriods.killDueAt(stop, 30, stop.plusMillis(10_500)))
                .isEqualTo(stop.plusMillis(10_500).plusSeconds(20));
        assertThat(GracePeriods.killDueAt(stop, 10, stop.plusSeconds(10))).isEqualTo(stop.plusSeconds(12));
    }

    @Test
    void preStopRunsOnlyWithAHookAndAPositiveGracePeriod() {
        assertThat(GracePeriods.runsPreStop(true, 1)).isTrue();
        assertThat(GracePeriods.runsPreStop(true, 0)).isFalse();
        assertThat(GracePeriods.runsPreStop(false, 30)).isFalse();
    }
}
