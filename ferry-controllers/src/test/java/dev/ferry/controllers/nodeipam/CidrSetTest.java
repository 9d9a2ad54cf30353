package dev.ferry.controllers.nodeipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class CidrSetTest {

    @Test
    void allocatesTheLowestFreeSubnet() {
        CidrSet set = new CidrSet("127.244.0.0/16", 24);
        assertThat(set.allocate()).contains("127.244.0.0/24");
        assertThat(set.allocate()).contains("127.244.1.0/24");
        assertThat(set.occupy("127.244.2.0/24")).isTrue();
        assertThat(set.allocate()).contains("127.244.3.0/24");
        set.release("127.244.1.0/24");
        assertThat(set.allocate()).contains("127.244.1.0/24");
        assertThat(set.taken()).isEqualTo(4);
    }

    @Test
    void runsOut() {
        CidrSet set = new CidrSet("10.0.0.0/30", 30);
        assertThat(set.allocate()).contains("10.0.0.0/30");
        assertThat(set.allocate()).isEqualTo(Optional.empty());
        CidrSet four = new CidrSet("127.244.0.0/22", 24);
        for (int i = 0; i < 4; i++) {
            assertThat(four.allocate()).contains("127.244." + i + ".0/24");
        }
        assertThat(four.allocate()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "127.244.7.0/24, true",
        "127.244.255.0/24, true",
        "127.245.0.0/24, false",
        "127.243.255.0/24, false",
        "127.244.7.0/25, false",
        "127.244.7.1/24, false",
        "garbage, false",
        "1.2.3/24, false"})
    void occupiesOnlyItsOwnSubnets(String cidr, boolean ok) {
        CidrSet set = new CidrSet("127.244.0.0/16", 24);
        assertThat(set.occupy(cidr)).isEqualTo(ok);
        assertThat(set.isTaken(cidr)).isEqualTo(ok);
        assertThat(set.occupy(cidr)).as("idempotent").isEqualTo(ok);
        assertThat(set.taken()).isEqualTo(ok ? 1 : 0);
    }

    @Test
    void rejectsBadConfiguration() {
        assertThatThrownBy(() -> new CidrSet("127.244.0.1/16", 24)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CidrSet("127.244.0.0/24", 16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CidrSet("127.244.0.0", 24)).isInstanceOf(IllegalArgumentException.class);
    }
}
