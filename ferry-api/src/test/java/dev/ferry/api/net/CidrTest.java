package dev.ferry.api.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
    @ParameterizedTest
    @CsvSource({
            "10.0.0.5/24, 10.0.0.0/24, 256",
            "127.96.0.0/16, 127.96.0.0/16, 65536",
            "fd00::1/120, fd00::/120, 256",
            "10.0.0.1/32, 10.0.0.1/32, 1"
    })
    void cidrsMaskHostBits(String text, String canonical, long size) {
        Cidr c = Cidr.parse(text);
        assertThat(c).hasToString(canonical);
        assertThat(c.size().longValueExact()).isEqualTo(size);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0", "10.0.0.0/33", "10.0.0.0/", "abc/8", "fd00::/129", "10.0.0.0/-1", "10.0.0.0/a"})
    void rejectsBadCidrs(String text) {
        assertThat(Cidr.tryParse(text)).isNull();
    }
}
