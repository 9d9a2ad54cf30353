package dev.ferry.apiserver.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpecialIpValidatorTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.96.0.1", "127.96.255.254", "127.244.3.4", "127.240.0.200"})
    void ferryRangesAreAllowed(String ip) {
        assertThat(SpecialIpValidator.ferryDefaults().validate(ip, "f")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.97.0.1", "127.240.1.1", "127.243.255.255", "::1"})
    void otherLoopbackAddressesAreRejected(String ip) {
        assertThat(Manifests.render(SpecialIpValidator.ferryDefaults().validate(ip, "f")))
                .containsExactly("f: Invalid value: \"" + ip + "\": may not be in the loopback range (127.0.0.0/8, "
                        + "::1/128)");
    }

    @Test
    void predicateDecidesWhichLoopbackAddressesPass() {
        SpecialIpValidator v = SpecialIpValidator.allowing(List.of("127.0.0.0/8"));
        assertThat(v.validate("127.0.0.1", "f")).isEmpty();
        assertThat(v.validate("0.0.0.0", "f")).hasSize(1);
        assertThat(new SpecialIpValidator(ip -> true).validate("::1", "f")).isEmpty();
        assertThat(SpecialIpValidator.strict().validate("127.96.0.1", "f")).hasSize(1);
    }

    @Test
    void configRejectsBadSettings() {
        assertThatThrownBy(() -> new ServiceNetworkConfig("10.0.0.0/30", 30000, 32767, List.of()))
                .hasMessage("the service cluster IP range must be at least 8 IP addresses");
        assertThatThrownBy(() -> new ServiceNetworkConfig("nope", 30000, 32767, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ServiceNetworkConfig("10.0.0.0/24", 32767, 30000, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ServiceNetworkConfig.defaults().ipFamily()).isEqualTo("IPv4");
        assertThat(new ServiceNetworkConfig("fd00::/108", 30000, 32767, List.of()).ipFamily()).isEqualTo("IPv6");
    }
}
