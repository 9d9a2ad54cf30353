package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The on/off flags: on by default, {@code --no-X} turns X off, {@code --X} keeps it on. */
class SwitchOptionsTest {
    private static DnsOptions dns(String... args) {
        DnsOptions o = new DnsOptions();
        TestFlags.parse(o::declare, args);
        return o;
    }

    private static ProxyOptions proxy(String... args) {
        ProxyOptions o = new ProxyOptions();
        TestFlags.parse(o::declare, args);
        return o;
    }

    @Test
    void dnsIsOnUnlessTurnedOff() {
        assertThat(dns().enabled).isTrue();
        assertThat(dns("--dns").enabled).isTrue();
        assertThat(dns("--no-dns").enabled).isFalse();
        assertThat(dns("--no-dns", "--dns").enabled).isTrue();
    }

    @Test
    void theProxyIsOnUnlessTurnedOff() {
        assertThat(proxy().enabled).isTrue();
        assertThat(proxy("--proxy").enabled).isTrue();
        assertThat(proxy("--no-proxy").enabled).isFalse();
    }

    @Test
    void helpShowsBothForms() {
        FlagSet flags = new FlagSet();
        new DnsOptions().declare(flags);
        assertThat(flags.help(100)).contains("--[no-]dns");
    }
}
