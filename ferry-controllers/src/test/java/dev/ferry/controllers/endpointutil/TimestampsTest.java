package dev.ferry.controllers.endpointutil;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimestampsTest {
    @ParameterizedTest
    @CsvSource({
        "2026-01-02T03:04:05Z, 2026-01-02T03:04:05Z",
        "2026-01-02T03:04:05.100Z, 2026-01-02T03:04:05.1Z",
        "2026-01-02T03:04:05.123456789Z, 2026-01-02T03:04:05.123456789Z",
        "2026-01-02T03:04:05.000001Z, 2026-01-02T03:04:05.000001Z",
    })
    void rfc3339NanoDropsTrailingZeros(String in, String out) {
        assertThat(Timestamps.rfc3339Nano(Instant.parse(in))).isEqualTo(out);
    }

    @ParameterizedTest
    @CsvSource({"2026-01-02T05:04:05+02:00, 2026-01-02T03:04:05Z", "2026-01-02T03:04:05Z, 2026-01-02T03:04:05Z"})
    void parsesOffsets(String in, String utc) {
        assertThat(Timestamps.parse(in)).isEqualTo(Instant.parse(utc));
    }
}
