package dev.ferry.agent.pod;

import static dev.ferry.agent.pod.Pods.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CrashBackoffTest {
    @Test
    void firstFailureRestartsAtOnceThenDoublesToFiveMinutes() {
        CrashBackoff b = CrashBackoff.NONE;
        assertThat(b.inBackoffSince(at(0), at(0))).isFalse();
        long t = 0;
        Duration[] expected = {Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
                Duration.ofSeconds(80), Duration.ofSeconds(160), Duration.ofSeconds(300), Duration.ofSeconds(300)};
        for (Duration d : expected) {
            b = b.next(at(t));
            assertThat(b.backoff()).isEqualTo(d);
            t += d.toSeconds() + 1;
        }
    }

    @Test
    void waitsTheCurrentBackoffAfterTheFailure() {
        CrashBackoff b = CrashBackoff.NONE.next(at(0)); // 10 s armed by the first failure's restart
        assertThat(b.inBackoffSince(at(5), at(5))).isTrue();
        assertThat(b.inBackoffSince(at(5), at(14))).isTrue();
        assertThat(b.inBackoffSince(at(5), at(15))).isFalse();
        assertThat(b.restartAt(at(5))).isEqualTo(at(15));
    }

    @Test
    void resetsAfterTenMinutesOfRunning() {
        CrashBackoff b = CrashBackoff.NONE.next(at(0)).next(at(20)).next(at(60)); // 40 s
        assertThat(b.backoff()).isEqualTo(Duration.ofSeconds(40));
        long failedAt = 60 + 601;
        assertThat(b.inBackoffSince(at(failedAt), at(failedAt))).isFalse();
        assertThat(b.next(at(failedAt)).backoff()).isEqualTo(CrashBackoff.INITIAL);
        long earlier = 60 + 599;
        assertThat(b.inBackoffSince(at(earlier), at(earlier))).isTrue();
        assertThat(b.next(at(earlier)).backoff()).isEqualTo(Duration.ofSeconds(80));
    }
}
