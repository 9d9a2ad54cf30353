package dev.ferry.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodExpectationsTest {

    @Test
    void creationsBlockUntilObserved() {
        PodExpectations e = new PodExpectations(new ManualClock());
        assertThat(e.satisfied("ns/rs")).isTrue();
        e.expectCreations("ns/rs", 2);
        assertThat(e.satisfied("ns/rs")).isFalse();
        e.creationObserved("ns/rs");
        assertThat(e.satisfied("ns/rs")).isFalse();
        e.creationObserved("ns/rs");
        assertThat(e.satisfied("ns/rs")).isTrue();
        assertThat(e.satisfied("ns/other")).isTrue();
    }

    @Test
    void deletionsAreTrackedByPodSoTheyCountOnce() {
        PodExpectations e = new PodExpectations(new ManualClock());
        e.expectDeletions("ns/rs", List.of("ns/a", "ns/b"));
        e.deletionObserved("ns/rs", "ns/a");
        e.deletionObserved("ns/rs", "ns/a");
        assertThat(e.satisfied("ns/rs")).isFalse();
        e.deletionObserved("ns/rs", "ns/b");
        assertThat(e.satisfied("ns/rs")).isTrue();
    }

    @Test
    void expectationsExpire() {
        ManualClock clock = new ManualClock();
        PodExpectations e = new PodExpectations(clock);
        e.expectCreations("ns/rs", 1);
        clock.advance(Duration.ofMinutes(5));
        assertThat(e.satisfied("ns/rs")).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(e.satisfied("ns/rs")).isTrue();
    }
}
