package dev.ferry.bench.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DnsBenchFerryTest {
    @Test
    void parsesCommandAndOptions() {
        assertThat(DnsBenchFerry.options(new String[] {"load", "--api", "http://x", "--services", "5"}))
                .containsEntry("command", "load").containsEntry("api", "http://x").containsEntry("services", "5");
        assertThatThrownBy(() -> DnsBenchFerry.options(new String[] {"--api", "x"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsBenchFerry.options(new String[] {"load", "--api"}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
