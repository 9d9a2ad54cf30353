package dev.ferry.apiserver.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The cases of apimachinery's duration_test.go (TestHumanDuration and TestHumanDurationBoundaries). */
class HumanDurationTest {
    private static final Duration S = Duration.ofSeconds(1);
    private static final Duration MS = Duration.ofMillis(1);
    private static final Duration M = Duration.ofMinutes(1);
    private static final Duration H = Duration.ofHours(1);
    private static final Duration D = Duration.ofDays(1);
    private static final Duration Y = D.multipliedBy(365);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(S, "1s"),
                Arguments.of(S.multipliedBy(70), "70s"),
                Arguments.of(S.multipliedBy(190), "3m10s"),
                Arguments.of(M.multipliedBy(70), "70m"),
                Arguments.of(H.multipliedBy(47), "47h"),
                Arguments.of(H.multipliedBy(49), "2d1h"),
                Arguments.of(H.multipliedBy(8 * 24 + 2), "8d"),
                Arguments.of(H.multipliedBy(367 * 24), "367d"),
                Arguments.of(H.multipliedBy(365 * 2 * 24 + 25), "2y1d"),
                Arguments.of(H.multipliedBy(365 * 8 * 24 + 2), "8y"),
                // boundaries
                Arguments.of(S.multipliedBy(-2), "<invalid>"),
                Arguments.of(S.multipliedBy(-2).plusNanos(1), "0s"),
                Arguments.of(Duration.ZERO, "0s"),
                Arguments.of(S.minus(MS), "0s"),
                Arguments.of(M.multipliedBy(2).minus(MS), "119s"),
                Arguments.of(M.multipliedBy(2), "2m"),
                Arguments.of(M.multipliedBy(2).plus(S), "2m1s"),
                Arguments.of(M.multipliedBy(10).minus(MS), "9m59s"),
                Arguments.of(M.multipliedBy(10), "10m"),
                Arguments.of(M.multipliedBy(10).plus(S), "10m"),
                Arguments.of(H.multipliedBy(3).minus(MS), "179m"),
                Arguments.of(H.multipliedBy(3), "3h"),
                Arguments.of(H.multipliedBy(3).plus(M), "3h1m"),
                Arguments.of(H.multipliedBy(8).minus(MS), "7h59m"),
                Arguments.of(H.multipliedBy(8), "8h"),
                Arguments.of(H.multipliedBy(8).plus(M.multipliedBy(59)), "8h"),
                Arguments.of(D.multipliedBy(2).minus(MS), "47h"),
                Arguments.of(D.multipliedBy(2), "2d"),
                Arguments.of(D.multipliedBy(2).plus(H), "2d1h"),
                Arguments.of(D.multipliedBy(8).minus(MS), "7d23h"),
                Arguments.of(D.multipliedBy(8), "8d"),
                Arguments.of(D.multipliedBy(8).plus(H.multipliedBy(23)), "8d"),
                Arguments.of(Y.multipliedBy(2).minus(MS), "729d"),
                Arguments.of(Y.multipliedBy(2), "2y"),
                Arguments.of(Y.multipliedBy(2).plus(H.multipliedBy(23)), "2y"),
                Arguments.of(Y.multipliedBy(2).plus(H.multipliedBy(23)).plus(M.multipliedBy(59)), "2y"),
                Arguments.of(Y.multipliedBy(2).plus(D).minus(MS), "2y"),
                Arguments.of(Y.multipliedBy(2).plus(D), "2y1d"),
                Arguments.of(Y.multipliedBy(3), "3y"),
                Arguments.of(Y.multipliedBy(7), "7y"),
                Arguments.of(Y.multipliedBy(8).minus(MS), "7y364d"),
                Arguments.of(Y.multipliedBy(8), "8y"),
                Arguments.of(Y.multipliedBy(8).plus(D.multipliedBy(364)), "8y"),
                Arguments.of(Y.multipliedBy(9), "9y"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("cases")
    void formatsLikeApimachinery(Duration d, String expected) {
        assertThat(HumanDuration.format(d)).isEqualTo(expected);
    }
}
