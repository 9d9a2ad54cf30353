package dev.ferry.dns.zone;

import static dev.ferry.dns.zone.Zones.clusterIp;
import static dev.ferry.dns.zone.Zones.external;
import static dev.ferry.dns.zone.Zones.headless;
import static dev.ferry.dns.zone.Zones.name;
import static dev.ferry.dns.zone.Zones.port;
import static dev.ferry.dns.zone.Zones.ready;
import static dev.ferry.dns.zone.Zones.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.dns.records.EndpointInfo;
import dev.ferry.dns.records.ServiceInfo;
import dev.ferry.dns.records.SliceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** The per-Service builder: names, records and PTR claims from one Service and its slices. */
class ServiceRecordsTest {
    private static final ZoneConfig CONFIG = ZoneConfig.defaults();

    /** Every record of every name, as zone-file text, names in canonical order. */
    private static List<String> zoneText(ServiceRecords records) {
        List<String> out = new ArrayList<>();
        new TreeMap<>(records.names()).values().forEach(n -> out.addAll(Zones.text(n.records())));
        return out;
    }

    private static List<String> ptrText(ServiceRecords records) {
        return records.ptrs().stream()
                .map(p -> p.ip().getHostAddress() + " " + p.target() + (p.clusterIp() ? " clusterIP" : ""))
                .toList();
    }

    @Test
    void clusterIpService() {
        ServiceRecords r = ServiceRecords.build(
                clusterIp("ns", "web", List.of("10.0.0.1"), port("http", "TCP", 80), port("", "UDP", 53)),
                List.of(), CONFIG);

        assertThat(zoneText(r)).containsExactly(
                "web.ns.svc.cluster.local. 5 IN A 10.0.0.1",
                "web.ns.svc.cluster.local. 5 IN SRV 0 50 53 web.ns.svc.cluster.local.",
                "web.ns.svc.cluster.local. 5 IN SRV 0 50 80 web.ns.svc.cluster.local.",
                "_http._tcp.web.ns.svc.cluster.local. 5 IN SRV 0 100 80 web.ns.svc.cluster.local.");
        assertThat(ptrText(r)).containsExactly("10.0.0.1 web.ns.svc.cluster.local. clusterIP");
        assertThat(Zones.text(r.names().get(name("_http._tcp.web.ns.svc.cluster.local.")).additional()))
                .containsExactly("web.ns.svc.cluster.local. 5 IN A 10.0.0.1");
    }

    @Test
    void headlessServiceIsEndpointsTimesNamedPorts() {
        SliceInfo s = slice("ns", "db-1", "db", List.of(port("sql", "TCP", 5432), port("metrics", "TCP", 9000)),
                ready("172.0.0.2", "db-1"), ready("172.0.0.1", "db-0"));

        ServiceRecords r = ServiceRecords.build(headless("ns", "db"), List.of(s), CONFIG);

        assertThat(zoneText(r)).containsExactly(
                "db.ns.svc.cluster.local. 5 IN A 172.0.0.1",
                "db.ns.svc.cluster.local. 5 IN A 172.0.0.2",
                "db.ns.svc.cluster.local. 5 IN SRV 0 25 5432 db-0.db.ns.svc.cluster.local.",
                "db.ns.svc.cluster.local. 5 IN SRV 0 25 9000 db-0.db.ns.svc.cluster.local.",
                "db.ns.svc.cluster.local. 5 IN SRV 0 25 5432 db-1.db.ns.svc.cluster.local.",
                "db.ns.svc.cluster.local. 5 IN SRV 0 25 9000 db-1.db.ns.svc.cluster.local.",
                "_metrics._tcp.db.ns.svc.cluster.local. 5 IN SRV 0 50 9000 db-0.db.ns.svc.cluster.local.",
                "_metrics._tcp.db.ns.svc.cluster.local. 5 IN SRV 0 50 9000 db-1.db.ns.svc.cluster.local.",
                "_sql._tcp.db.ns.svc.cluster.local. 5 IN SRV 0 50 5432 db-0.db.ns.svc.cluster.local.",
                "_sql._tcp.db.ns.svc.cluster.local. 5 IN SRV 0 50 5432 db-1.db.ns.svc.cluster.local.",
                "db-0.db.ns.svc.cluster.local. 5 IN A 172.0.0.1",
                "db-1.db.ns.svc.cluster.local. 5 IN A 172.0.0.2");
        assertThat(ptrText(r)).containsExactlyInAnyOrder(
                "172.0.0.2 db-1.db.ns.svc.cluster.local.", "172.0.0.1 db-0.db.ns.svc.cluster.local.");
    }

    @Test
    void duplicateEndpointsAcrossSlicesCollapse() {
        SliceInfo a = slice("ns", "a", "db", List.of(port("sql", "TCP", 5432)), ready("172.0.0.1", "db-0"));
        SliceInfo b = slice("ns", "b", "db", List.of(port("sql", "TCP", 5432)), ready("172.0.0.1", "db-0"));

        ServiceRecords r = ServiceRecords.build(headless("ns", "db"), List.of(a, b), CONFIG);

        assertThat(zoneText(r)).containsExactly(
                "db.ns.svc.cluster.local. 5 IN A 172.0.0.1",
                "db.ns.svc.cluster.local. 5 IN SRV 0 100 5432 db-0.db.ns.svc.cluster.local.",
                "_sql._tcp.db.ns.svc.cluster.local. 5 IN SRV 0 100 5432 db-0.db.ns.svc.cluster.local.",
                "db-0.db.ns.svc.cluster.local. 5 IN A 172.0.0.1");
    }

    @Test
    void dualStackEndpointHostnameOwnsBothFamilies() {
        SliceInfo v4 = slice("ns", "v4", "db", List.of(), ready("172.0.0.1", "db-0"));
        SliceInfo v6 = slice("ns", "v6", "db", List.of(), ready("fd00::1", "db-0"));

        ServiceRecords r = ServiceRecords.build(headless("ns", "db"), List.of(v6, v4), CONFIG);

        assertThat(zoneText(r)).containsExactly(
                "db.ns.svc.cluster.local. 5 IN A 172.0.0.1",
                "db.ns.svc.cluster.local. 5 IN AAAA fd00::1",
                "db-0.db.ns.svc.cluster.local. 5 IN A 172.0.0.1",
                "db-0.db.ns.svc.cluster.local. 5 IN AAAA fd00::1");
    }

    @Test
    void hostnameThatIsNoLabelFallsBackToTheDashedIp() {
        SliceInfo s = slice("ns", "s", "db", List.of(), ready("172.0.0.1", "bad.host"));

        ServiceRecords r = ServiceRecords.build(headless("ns", "db"), List.of(s), CONFIG);

        assertThat(r.names()).containsKey(name("172-0-0-1.db.ns.svc.cluster.local."));
    }

    @Test
    void srvWeightIsAtLeastOne() {
        List<EndpointInfo> endpoints = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            endpoints.add(ready("172.0." + (i / 200) + "." + (i % 200 + 1), ""));
        }
        SliceInfo s = slice("ns", "s", "big", List.of(port("http", "TCP", 80)), endpoints.toArray(EndpointInfo[]::new));

        ServiceRecords r = ServiceRecords.build(headless("ns", "big"), List.of(s), CONFIG);

        assertThat(Zones.text(r.names().get(name("_http._tcp.big.ns.svc.cluster.local.")).records()))
                .hasSize(150)
                .allMatch(t -> t.contains(" SRV 0 1 80 "));
    }

    @Test
    void externalName() {
        assertThat(zoneText(ServiceRecords.build(external("ns", "ext", "Example.ORG"), List.of(), CONFIG)))
                .containsExactly("ext.ns.svc.cluster.local. 5 IN CNAME Example.ORG.");
        assertThat(ServiceRecords.build(external("ns", "ext", "10.0.0.1"), List.of(), CONFIG).names()).isEmpty();
        assertThat(ServiceRecords.build(external("ns", "ext", ""), List.of(), CONFIG).names()).isEmpty();
        assertThat(ServiceRecords.build(external("ns", "ext", "ext.ns.svc.cluster.local"), List.of(), CONFIG).names())
                .isEmpty();
    }

    @Test
    void serviceNamesThatAreNoLabelsGiveNothing() {
        ServiceInfo weird = clusterIp("ns", "a.b", List.of("10.0.0.1"), port("http", "TCP", 80));

        assertThat(ServiceRecords.build(weird, List.of(), CONFIG)).isEqualTo(ServiceRecords.NONE);
    }

    @Test
    void equalInputsGiveEqualRecordsWhateverTheSliceOrder() {
        SliceInfo a = slice("ns", "a", "db", List.of(port("sql", "TCP", 5432)), ready("172.0.0.2", ""));
        SliceInfo b = slice("ns", "b", "db", List.of(port("sql", "TCP", 5432)), ready("172.0.0.1", ""));

        Map<Name, Node> ab = ServiceRecords.build(headless("ns", "db"), List.of(a, b), CONFIG).names();
        Map<Name, Node> ba = ServiceRecords.build(headless("ns", "db"), List.of(b, a), CONFIG).names();

        assertThat(ab).isEqualTo(ba);
    }
}
