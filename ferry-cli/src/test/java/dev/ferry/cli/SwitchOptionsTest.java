package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The on/off flags: on by default, {@code --no-X} turns X off, {@code --X} keeps it on. */
class SwitchOptionsTest {
    private static DnsOptions dns(String... args) {
        DnsOptions o = new DnsOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    private static ProxyOptions proxy(String... args) {
        ProxyOptions o = new ProxyOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void dnsIsOnUnlessTurnedOff() {
        assertThat(dns().enabled).isTrue();
        assertThat(dns("--dns").enabled).isTrue();
        assertThat(dns("--no-dns").enabled).isFalse();
    }

    @Test
    void theProxyIsOnUnlessTurnedOff() {
        assertThat(proxy().enabled).isTrue();
        assertThat(proxy("--proxy").enabled).isTrue();
        assertThat(proxy("--no-proxy").enabled).isFalse();
    }

    @Test
    void helpShowsBothForms() {
        String usage = new CommandLine(new DnsOptions()).getUsageMessage();
        assertThat(usage).contains("--[no-]dns");
    }
}
