package dev.ferry.controllers.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.controllers.loadbalancer.LbAddressPool.Claim;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LbAddressPoolTest {
    @ParameterizedTest(name = "{0}: {1} addresses, {2} … {3}")
    @CsvSource({
            "127.240.0.0/24, 254, 127.240.0.1, 127.240.0.254",
            "10.0.0.0/30,      2, 10.0.0.1,    10.0.0.2",
            "10.0.0.4/31,      2, 10.0.0.4,    10.0.0.5",
            "10.0.0.9/32,      1, 10.0.0.9,    10.0.0.9",
            "10.0.0.0/16,  65534, 10.0.0.1,    10.0.255.254",
    })
    void sizeFirstAndLastSkipNetworkAndBroadcastBelowSlash31(String cidr, int size, String first, String last) {
        LbAddressPool pool = LbAddressPool.parse(cidr);
        assertThat(pool.size()).isEqualTo(size);
        assertThat(pool.lowestFree()).contains(first);
        assertThat(pool.contains(first)).isTrue();
        assertThat(pool.contains(last)).isTrue();
        if (size <= 2) {
            List<String> all = new ArrayList<>();
            for (Optional<String> ip = pool.allocate(); ip.isPresent(); ip = pool.allocate()) {
                all.add(ip.get());
            }
            assertThat(all).hasSize(size).contains(first, last);
        }
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            "127.240.0.0/24, 127.240.0.0,   false",
            "127.240.0.0/24, 127.240.0.255, false",
            "127.240.0.0/24, 127.240.0.1,   true",
            "127.240.0.0/24, 127.240.1.1,   false",
            "127.240.0.0/24, 127.239.255.254, false",
            "127.240.0.0/24, 127.240.0.01,  true",  // leading zeros read as decimal, as ParseIPSloppy
            "127.240.0.0/24, 127.240.0,     false",
            "127.240.0.0/24, 127.240.0.1.1, false",
            "127.240.0.0/24, ::1,           false",
            "127.240.0.0/24, 127.240.0.256, false",
            "10.0.0.4/31,    10.0.0.4,      true",
            "10.0.0.4/31,    10.0.0.6,      false",
    })
    void containsOnlyAssignableAddresses(String cidr, String ip, boolean expected) {
        assertThat(LbAddressPool.parse(cidr).contains(ip)).isEqualTo(expected);
    }

    @Test
    void allocatesLowestFreeClaimsAndReleases() {
        LbAddressPool pool = LbAddressPool.parse("127.240.0.0/29");
        assertThat(pool.size()).isEqualTo(6);
        assertThat(pool.allocate()).contains("127.240.0.1");
        assertThat(pool.claim("127.240.0.3")).isEqualTo(Claim.CLAIMED);
        assertThat(pool.claim("127.240.0.3")).isEqualTo(Claim.TAKEN);
        assertThat(pool.claim("127.240.0.7")).isEqualTo(Claim.OUTSIDE);
        assertThat(pool.claim("127.240.0.8")).isEqualTo(Claim.OUTSIDE);
        assertThat(pool.allocate()).contains("127.240.0.2");
        assertThat(pool.allocate()).contains("127.240.0.4");
        assertThat(pool.isFree("127.240.0.4")).isFalse();
        assertThat(pool.isFree("127.240.0.5")).isTrue();
        assertThat(pool.used()).isEqualTo(4);
        assertThat(pool.release("127.240.0.2")).isTrue();
        assertThat(pool.release("127.240.0.2")).isFalse();
        assertThat(pool.release("10.0.0.1")).isFalse();
        assertThat(pool.allocate()).contains("127.240.0.2");
    }

    @Test
    void anExhaustedPoolAllocatesNothingUntilAnAddressIsReleased() {
        LbAddressPool pool = LbAddressPool.parse("10.1.0.0/30");
        assertThat(pool.allocate()).contains("10.1.0.1");
        assertThat(pool.allocate()).contains("10.1.0.2");
        assertThat(pool.allocate()).isEmpty();
        assertThat(pool.lowestFree()).isEmpty();
        pool.release("10.1.0.2");
        assertThat(pool.allocate()).contains("10.1.0.2");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "127.240.0.0      | not a CIDR",
            "127.240.0/24     | not an IPv4 CIDR",
            "fd00::/64        | not an IPv4 CIDR",
            "127.240.0.0/33   | between 8 and 32",
            "127.240.0.0/7    | between 8 and 32",
            "127.240.0.0/x    | between 8 and 32",
            "127.240.0.1/24   | host bits set (did you mean 127.240.0.0/24?)",
    })
    void badCidrsAreRefusedWithTheReason(String cidr, String reason) {
        assertThatThrownBy(() -> LbAddressPool.parse(cidr)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void theCidrIsNormalised() {
        assertThat(LbAddressPool.parse(" 127.240.0.0/24 ").cidr()).isEqualTo("127.240.0.0/24");
    }
}
