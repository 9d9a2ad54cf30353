package dev.ferry.api.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalIpTest {
    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
        "127.244.0.2, 127.244.0.2",
        "010.001.0.2, 10.1.0.2",
        "FD00:0:0:0:0:0:0:A, fd00::a",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "0:0:0:0:0:0:0:1, ::1",
        "::, ::",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "::ffff:10.1.2.3, 10.1.2.3",
        "::10.1.2.3, ::a01:203",
        "256.1.1.1, NULL",
        "1.2.3, NULL",
        "1:2:3:4:5:6:7:8:9, NULL",
        "1::2::3, NULL",
        "example.com, NULL",
    })
    void canonicalTextIsGos(String in, String out) {
        assertThat(IpAddresses.canonical(in)).isEqualTo(out);
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, false", "fd00::1, true", "::ffff:1.2.3.4, false", "nonsense, false"})
    void family(String ip, boolean v6) {
        assertThat(IpAddresses.isIPv6(ip)).isEqualTo(v6);
    }
}
