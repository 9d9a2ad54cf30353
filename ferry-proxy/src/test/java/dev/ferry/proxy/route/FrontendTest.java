package dev.ferry.proxy.route;

import static dev.ferry.proxy.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrontendTest {

    @Test
    void equalWhenAddressPortAndProtocolAre() {
        Frontend a = new Frontend(ip("127.96.0.10"), 80, Protocol.TCP);
        Frontend same = new Frontend(ip("127.96.0.10"), 80, Protocol.TCP);
        assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(a).isNotEqualTo(new Frontend(ip("127.96.0.11"), 80, Protocol.TCP))
                .isNotEqualTo(new Frontend(ip("127.96.0.10"), 81, Protocol.TCP))
                .isNotEqualTo(new Frontend(ip("127.96.0.10"), 80, Protocol.UDP))
                .isNotEqualTo("TCP 127.96.0.10:80");
        assertThat(a.hashCode()).isNotEqualTo(new Frontend(ip("127.96.0.10"), 80, Protocol.UDP).hashCode());
    }

    @Test
    void readsAsProtocolAddressAndPort() {
        Frontend f = new Frontend(ip("127.96.0.10"), 53, Protocol.UDP);
        assertThat(f).hasToString("UDP 127.96.0.10:53");
        assertThat(f.socketAddress().getPort()).isEqualTo(53);
        assertThat(f.address()).isEqualTo(ip("127.96.0.10"));
        assertThat(f.protocol()).isEqualTo(Protocol.UDP);
    }
}
