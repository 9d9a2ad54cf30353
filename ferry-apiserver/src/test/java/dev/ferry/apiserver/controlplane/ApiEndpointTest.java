package dev.ferry.apiserver.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ApiEndpointTest {

    @ParameterizedTest(name = "listening on {0} advertises {1}")
    @CsvSource({
        "127.0.0.1, 127.0.0.1",
        "127.0.0.7, 127.0.0.7",
        "0.0.0.0, 127.0.0.1",
        "::, 127.0.0.1",
        "[::], 127.0.0.1",
        "::1, ::1",
        "[::1], ::1",
        "0:0:0:0:0:0:0:1, ::1",
        "localhost, 127.0.0.1",
        "10.1.2.3, 10.1.2.3",
    })
    void advertisedAddress(String listenHost, String advertised) {
        ApiEndpoint e = ApiEndpoint.advertised(listenHost, 6443);
        assertThat(e.ip()).isEqualTo(advertised);
        assertThat(e.port()).isEqualTo(6443);
    }

    @Test
    void addressTypeAndText() {
        assertThat(new ApiEndpoint("127.0.0.1", 6443).addressType()).isEqualTo("IPv4");
        assertThat(new ApiEndpoint("127.0.0.1", 6443).toString()).isEqualTo("127.0.0.1:6443");
        assertThat(new ApiEndpoint("::1", 6443).addressType()).isEqualTo("IPv6");
        assertThat(new ApiEndpoint("::1", 6443).toString()).isEqualTo("[::1]:6443");
    }

    @Test
    void rejectsNonAddressesAndBadPorts() {
        assertThatThrownBy(() -> new ApiEndpoint("host", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiEndpoint("127.0.0.1", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiEndpoint("127.0.0.1", 65536)).isInstanceOf(IllegalArgumentException.class);
    }
}
