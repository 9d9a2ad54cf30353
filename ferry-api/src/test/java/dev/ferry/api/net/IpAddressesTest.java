package dev.ferry.api.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {

    @ParameterizedTest
    @CsvSource({
            "10.0.0.1, 10.0.0.1",
            "010.000.000.001, 10.0.0.1",
            "::, ::",
            "::1, ::1",
            "2001:DB8::FFFF, 2001:db8::ffff",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "fe80:0:0:0:0:0:0:1, fe80::1",
            "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
            "::ffff:10.1.2.3, 10.1.2.3",
            "64:ff9b::10.1.2.3, 64:ff9b::a01:203",
            "1::, 1::"
    })
    void parsesAndCanonicalises(String text, String canonical) {
        assertThat(IpAddresses.canonical(text)).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-1", "1..2.3", "1.2.3.4 ",
            ":::", "1:2", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "::1%eth0", "g::1", "1:2:3:4:5:6:7::8:9",
            "1.2.3.4/24", "::1.2.3", ":1::"})
    void rejectsNonAddresses(String text) {
        assertThat(IpAddresses.parse(text)).isNull();
    }

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, true, false, false, false",
            "::1, true, false, false, false",
            "0.0.0.0, false, true, false, false",
            "::, false, true, false, false",
            "169.254.3.4, false, false, true, false",
            "fe80::1, false, false, true, false",
            "224.0.0.251, false, false, false, true",
            "ff02::1, false, false, false, true",
            "224.0.1.1, false, false, false, false",
            "10.0.0.1, false, false, false, false"
    })
    void classifiesSpecialRanges(String ip, boolean loopback, boolean unspecified, boolean linkLocal,
            boolean llMulticast) {
        byte[] b = IpAddresses.parse(ip);
        assertThat(IpAddresses.isLoopback(b)).isEqualTo(loopback);
        assertThat(IpAddresses.isUnspecified(b)).isEqualTo(unspecified);
        assertThat(IpAddresses.isLinkLocalUnicast(b)).isEqualTo(linkLocal);
        assertThat(IpAddresses.isLinkLocalMulticast(b)).isEqualTo(llMulticast);
    }
}
