package dev.ferry.dns.zone;

import static dev.ferry.dns.zone.Zones.ip;
import static dev.ferry.dns.zone.Zones.name;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZoneNamesTest {
    private final ZoneNames names = new ZoneNames(name("Cluster.Local."));

    @ParameterizedTest
    @CsvSource({
        "10.0.0.1, 10-0-0-1",
        "fd00::1, fd00--1",
        "::1, --1",
        "2001:db8:0:0:1:0:0:1, 2001-db8--1-0-0-1",
        "FD00:0:0:0:0:0:0:AB, fd00--ab",
    })
    void dashedAddressesAsCoreDns(String address, String label) {
        assertThat(ZoneNames.dashed(ip(address))).isEqualTo(label);
    }

    @Test
    void namesAreLowerCaseAndRejectNonLabels() {
        assertThat(names.service("NS", "Web").toString()).isEqualTo("web.ns.svc.cluster.local.");
        assertThat(ZoneNames.srv("http", "TCP", names.service("ns", "web")).toString())
                .isEqualTo("_http._tcp.web.ns.svc.cluster.local.");
        assertThat(names.pod("ns", ip("10.0.0.1")).toString()).isEqualTo("10-0-0-1.ns.pod.cluster.local.");
        assertThat(names.service("ns", "a.b")).isNull();
        assertThat(names.service("ns", "")).isNull();
        assertThat(names.service("ns", "x".repeat(64))).isNull();
        assertThat(names.service("ns", "a\\b")).isNull();
        assertThat(ZoneNames.child("x".repeat(63), name("y".repeat(63) + "." + "z".repeat(63) + "." + "w".repeat(63) + ".")))
                .isNull();
    }
}
