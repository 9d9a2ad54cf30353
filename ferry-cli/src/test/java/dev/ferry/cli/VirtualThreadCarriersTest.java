package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code ferry} gives virtual threads at least 4 carriers, and an explicit setting wins. */
class VirtualThreadCarriersTest {
    private static final String KEY = "jdk.virtualThreadScheduler.parallelism";
    private String before;

    @BeforeEach
    void save() {
        before = System.getProperty(KEY);
        System.clearProperty(KEY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(KEY);
        } else {
            System.setProperty(KEY, before);
        }
    }

    @Test
    void atLeastFourCarriersByDefault() {
        Main.virtualThreadCarriers();
        assertThat(Integer.parseInt(System.getProperty(KEY)))
                .isEqualTo(Math.max(4, Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void anExplicitSettingIsKept() {
        System.setProperty(KEY, "2");
        Main.virtualThreadCarriers();
        assertThat(System.getProperty(KEY)).isEqualTo("2");
    }
}
