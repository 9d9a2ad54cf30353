package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ControllerOptionsTest {
    private static ControllerOptions parse(String... args) {
        ControllerOptions o = new ControllerOptions();
        TestFlags.parse(o::declare, args);
        return o;
    }

    @Test
    void theLoadBalancerPoolDefaultsToTheDesignsAndFollowsTheFlag() {
        assertThat(parse().config().lbPool()).isEqualTo("127.240.0.0/24");
        assertThat(parse("--lb-pool", "127.241.0.0/16").config().lbPool()).isEqualTo("127.241.0.0/16");
    }

    @Test
    void aBadPoolIsRefusedInOneLineNamingTheFlag() {
        assertThatThrownBy(() -> parse("--lb-pool", "127.240.0.0/40").config())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--lb-pool: the prefix length of 127.240.0.0/40 must be between 8 and 32");
    }
}
