package dev.ferry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesFromBaseAndCapsAtMax() {
        Backoff b = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5));
        assertThat(b.delay(0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.delay(1)).isEqualTo(Duration.ofSeconds(20));
        assertThat(b.delay(4)).isEqualTo(Duration.ofSeconds(160));
        assertThat(b.delay(5)).isEqualTo(Duration.ofMinutes(5));
        assertThat(b.delay(1_000)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void controllerDefaultNeverOverflows() {
        for (int n = 0; n < 200; n++) {
            assertThat(Backoff.CONTROLLER.delay(n)).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1000));
        }
        assertThat(Backoff.CONTROLLER.delay(0)).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
