package dev.ferry.dns.zone;

import static dev.ferry.dns.zone.Zones.ask;
import static dev.ferry.dns.zone.Zones.clusterIp;
import static dev.ferry.dns.zone.Zones.external;
import static dev.ferry.dns.zone.Zones.headless;
import static dev.ferry.dns.zone.Zones.notReady;
import static dev.ferry.dns.zone.Zones.pod;
import static dev.ferry.dns.zone.Zones.port;
import static dev.ferry.dns.zone.Zones.publishingNotReady;
import static dev.ferry.dns.zone.Zones.ready;
import static dev.ferry.dns.zone.Zones.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.dns.zone.Zones.Reply;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Answers of a fixed cluster, as CoreDNS handler_test.go: (qname, qtype) → rcode and sections in zone-file text. */
class ClusterZoneAnswerTest {
    private static final String SOA =
            "cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1700000000 7200 1800 86400 5";

    /** One question and the reply it must get; a null rcode means "not ours" (answer returns null). */
    record Case(String qname, int qtype, String rcode, List<String> answer, List<String> authority,
            List<String> additional) {
        @Override
        public String toString() {
            return qname + " " + Type.string(qtype);
        }
    }

    static Case ok(String qname, int qtype, List<String> answer) {
        return new Case(qname, qtype, "NOERROR", answer, List.of(), List.of());
    }

    static Case ok(String qname, int qtype, List<String> answer, List<String> additional) {
        return new Case(qname, qtype, "NOERROR", answer, List.of(), additional);
    }

    static Case nodata(String qname, int qtype) {
        return new Case(qname, qtype, "NOERROR", List.of(), List.of(SOA), List.of());
    }

    static Case nxdomain(String qname, int qtype) {
        return new Case(qname, qtype, "NXDOMAIN", List.of(), List.of(SOA), List.of());
    }

    static Case notOurs(String qname, int qtype) {
        return new Case(qname, qtype, null, null, null, null);
    }

    static ClusterZone cluster() {
        ClusterZone zone = new ClusterZone(ZoneConfig.defaults(), Zones.fixedClock());
        zone.putService(clusterIp("testns", "svc1", List.of("10.0.0.1"), port("http", "TCP", 80)));
        zone.putSlice(slice("testns", "svc1-abc", "svc1", List.of(port("http", "TCP", 8080)),
                ready("172.0.0.1", ""), notReady("172.0.0.9", "")));
        zone.putService(clusterIp("testns", "svc6", List.of("10.0.0.3", "1234:abcd::1"), port("http", "TCP", 80)));
        zone.putService(clusterIp("testns", "multi", List.of("10.0.0.5"),
                port("http", "TCP", 80), port("dns", "UDP", 53), port("", "TCP", 8080)));
        zone.putService(clusterIp("testns", "noip", List.of(), port("http", "TCP", 80)));

        zone.putService(headless("testns", "hdls1", port("http", "TCP", 80)));
        zone.putSlice(slice("testns", "hdls1-v4", "hdls1", List.of(port("http", "TCP", 80)),
                ready("172.0.0.2", "hdls1-pod-1"), ready("172.0.0.3", ""), notReady("172.0.0.4", "")));
        zone.putSlice(slice("testns", "hdls1-v6", "hdls1", List.of(port("http", "TCP", 80)),
                ready("5678:abcd::1", ""), ready("5678:abcd::2", "")));
        zone.putService(headless("testns", "hdlsprtls"));
        zone.putSlice(slice("testns", "hdlsprtls-x", "hdlsprtls", List.of(), ready("172.0.0.20", "")));
        zone.putService(headless("testns", "hdls-empty", port("http", "TCP", 80)));
        zone.putSlice(slice("testns", "hdls-empty-x", "hdls-empty", List.of(port("http", "TCP", 80)),
                notReady("172.0.0.21", "")));
        zone.putService(publishingNotReady(headless("testns", "hdls-pub", port("peer", "TCP", 2380))));
        zone.putSlice(slice("testns", "hdls-pub-x", "hdls-pub", List.of(port("peer", "TCP", 2380)),
                notReady("172.0.0.30", "etcd-0")));

        zone.putService(external("testns", "external", "ext.interwebs.test"));
        zone.putService(external("testns", "external-to-service", "svc1.testns.svc.cluster.local"));
        zone.putService(external("testns", "external-to-nothing", "nothing.testns.svc.cluster.local"));

        zone.putPod(pod("testns", "pod-1", "172.0.0.2"));
        zone.putPod(pod("podns", "pod-2", "10.240.0.1", "fd00::5"));
        return zone;
    }

    static Stream<Case> cases() {
        return Stream.of(
                // ClusterIP
                ok("svc1.testns.svc.cluster.local.", Type.A, List.of("svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1")),
                ok("SVC1.TestNS.svc.cluster.local.", Type.A, List.of("svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1")),
                nodata("svc1.testns.svc.cluster.local.", Type.AAAA),
                nodata("svc1.testns.svc.cluster.local.", Type.MX),
                nodata("svc1.testns.svc.cluster.local.", 65280),
                ok("svc1.testns.svc.cluster.local.", Type.SRV,
                        List.of("svc1.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc1.testns.svc.cluster.local."),
                        List.of("svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1")),
                ok("_http._tcp.svc1.testns.svc.cluster.local.", Type.SRV,
                        List.of("_http._tcp.svc1.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc1.testns.svc.cluster.local."),
                        List.of("svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1")),
                ok("_HTTP._TCP.svc1.testns.svc.cluster.local.", Type.SRV,
                        List.of("_http._tcp.svc1.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc1.testns.svc.cluster.local."),
                        List.of("svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1")),
                nodata("_http._tcp.svc1.testns.svc.cluster.local.", Type.A),
                nodata("_tcp.svc1.testns.svc.cluster.local.", Type.SRV),
                nxdomain("_http._udp.svc1.testns.svc.cluster.local.", Type.SRV),
                nxdomain("_udp.svc1.testns.svc.cluster.local.", Type.SRV),
                ok("svc1.testns.svc.cluster.local.", Type.ANY, List.of(
                        "svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1",
                        "svc1.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc1.testns.svc.cluster.local.")),
                // endpoint names of a ClusterIP Service (CoreDNS answers them too); not-ready ones do not exist
                ok("172-0-0-1.svc1.testns.svc.cluster.local.", Type.A,
                        List.of("172-0-0-1.svc1.testns.svc.cluster.local. 5 IN A 172.0.0.1")),
                nxdomain("172-0-0-9.svc1.testns.svc.cluster.local.", Type.A),
                // dual stack
                ok("svc6.testns.svc.cluster.local.", Type.A, List.of("svc6.testns.svc.cluster.local. 5 IN A 10.0.0.3")),
                ok("svc6.testns.svc.cluster.local.", Type.AAAA,
                        List.of("svc6.testns.svc.cluster.local. 5 IN AAAA 1234:abcd::1")),
                ok("_http._tcp.svc6.testns.svc.cluster.local.", Type.SRV,
                        List.of("_http._tcp.svc6.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc6.testns.svc.cluster.local."),
                        List.of("svc6.testns.svc.cluster.local. 5 IN A 10.0.0.3",
                                "svc6.testns.svc.cluster.local. 5 IN AAAA 1234:abcd::1")),
                // several ports: every port at the Service name, named ones at _port._proto
                ok("multi.testns.svc.cluster.local.", Type.SRV, List.of(
                                "multi.testns.svc.cluster.local. 5 IN SRV 0 33 53 multi.testns.svc.cluster.local.",
                                "multi.testns.svc.cluster.local. 5 IN SRV 0 33 80 multi.testns.svc.cluster.local.",
                                "multi.testns.svc.cluster.local. 5 IN SRV 0 33 8080 multi.testns.svc.cluster.local."),
                        List.of("multi.testns.svc.cluster.local. 5 IN A 10.0.0.5")),
                ok("_dns._udp.multi.testns.svc.cluster.local.", Type.SRV,
                        List.of("_dns._udp.multi.testns.svc.cluster.local. 5 IN SRV 0 100 53 multi.testns.svc.cluster.local."),
                        List.of("multi.testns.svc.cluster.local. 5 IN A 10.0.0.5")),
                nxdomain("_dns._tcp.multi.testns.svc.cluster.local.", Type.SRV),
                // a ClusterIP Service without an IP has no names
                nxdomain("noip.testns.svc.cluster.local.", Type.A),
                nxdomain("_http._tcp.noip.testns.svc.cluster.local.", Type.SRV),
                // headless
                ok("hdls1.testns.svc.cluster.local.", Type.A, List.of(
                        "hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.2",
                        "hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.3")),
                ok("hdls1.testns.svc.cluster.local.", Type.AAAA, List.of(
                        "hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::1",
                        "hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::2")),
                ok("_http._tcp.hdls1.testns.svc.cluster.local.", Type.SRV, List.of(
                                "_http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 25 80 172-0-0-3.hdls1.testns.svc.cluster.local.",
                                "_http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 25 80 5678-abcd--1.hdls1.testns.svc.cluster.local.",
                                "_http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 25 80 5678-abcd--2.hdls1.testns.svc.cluster.local.",
                                "_http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 25 80 hdls1-pod-1.hdls1.testns.svc.cluster.local."),
                        List.of("172-0-0-3.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.3",
                                "5678-abcd--1.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::1",
                                "5678-abcd--2.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::2",
                                "hdls1-pod-1.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.2")),
                ok("hdls1-pod-1.hdls1.testns.svc.cluster.local.", Type.A,
                        List.of("hdls1-pod-1.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.2")),
                nodata("hdls1-pod-1.hdls1.testns.svc.cluster.local.", Type.AAAA),
                ok("172-0-0-3.hdls1.testns.svc.cluster.local.", Type.A,
                        List.of("172-0-0-3.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.3")),
                nxdomain("172-0-0-2.hdls1.testns.svc.cluster.local.", Type.A),
                nxdomain("172-0-0-4.hdls1.testns.svc.cluster.local.", Type.A),
                ok("5678-abcd--1.hdls1.testns.svc.cluster.local.", Type.AAAA,
                        List.of("5678-abcd--1.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::1")),
                ok("hdlsprtls.testns.svc.cluster.local.", Type.A,
                        List.of("hdlsprtls.testns.svc.cluster.local. 5 IN A 172.0.0.20")),
                nodata("hdlsprtls.testns.svc.cluster.local.", Type.SRV),
                nxdomain("hdls-empty.testns.svc.cluster.local.", Type.A),
                nxdomain("hdls-empty.testns.svc.cluster.local.", Type.SRV),
                ok("hdls-pub.testns.svc.cluster.local.", Type.A,
                        List.of("hdls-pub.testns.svc.cluster.local. 5 IN A 172.0.0.30")),
                ok("_peer._tcp.hdls-pub.testns.svc.cluster.local.", Type.SRV,
                        List.of("_peer._tcp.hdls-pub.testns.svc.cluster.local. 5 IN SRV 0 100 2380 etcd-0.hdls-pub.testns.svc.cluster.local."),
                        List.of("etcd-0.hdls-pub.testns.svc.cluster.local. 5 IN A 172.0.0.30")),
                // ExternalName
                ok("external.testns.svc.cluster.local.", Type.A,
                        List.of("external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test.")),
                ok("external.testns.svc.cluster.local.", Type.AAAA,
                        List.of("external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test.")),
                ok("external.testns.svc.cluster.local.", Type.CNAME,
                        List.of("external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test.")),
                ok("external.testns.svc.cluster.local.", Type.SRV,
                        List.of("external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test.")),
                ok("external.testns.svc.cluster.local.", Type.ANY,
                        List.of("external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test.")),
                ok("external-to-service.testns.svc.cluster.local.", Type.A, List.of(
                        "external-to-service.testns.svc.cluster.local. 5 IN CNAME svc1.testns.svc.cluster.local.",
                        "svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1")),
                new Case("external-to-service.testns.svc.cluster.local.", Type.AAAA, "NOERROR",
                        List.of("external-to-service.testns.svc.cluster.local. 5 IN CNAME svc1.testns.svc.cluster.local."),
                        List.of(SOA), List.of()),
                new Case("external-to-nothing.testns.svc.cluster.local.", Type.A, "NXDOMAIN",
                        List.of("external-to-nothing.testns.svc.cluster.local. 5 IN CNAME nothing.testns.svc.cluster.local."),
                        List.of(SOA), List.of()),
                // reverse
                ok("1.0.0.10.in-addr.arpa.", Type.PTR,
                        List.of("1.0.0.10.in-addr.arpa. 5 IN PTR svc1.testns.svc.cluster.local.")),
                ok("2.0.0.172.IN-ADDR.ARPA.", Type.PTR,
                        List.of("2.0.0.172.in-addr.arpa. 5 IN PTR hdls1-pod-1.hdls1.testns.svc.cluster.local.")),
                ok("1.0.0.172.in-addr.arpa.", Type.PTR,
                        List.of("1.0.0.172.in-addr.arpa. 5 IN PTR 172-0-0-1.svc1.testns.svc.cluster.local.")),
                ok("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.8.7.6.5.ip6.arpa.", Type.PTR,
                        List.of("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.8.7.6.5.ip6.arpa. 5 IN PTR "
                                + "5678-abcd--1.hdls1.testns.svc.cluster.local.")),
                ok("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa.", Type.PTR,
                        List.of("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa. 5 IN PTR "
                                + "svc6.testns.svc.cluster.local.")),
                new Case("1.0.0.10.in-addr.arpa.", Type.A, "NOERROR", List.of(), List.of(
                        "in-addr.arpa. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1700000000 7200 1800 86400 5"),
                        List.of()),
                notOurs("4.0.0.172.in-addr.arpa.", Type.PTR),
                notOurs("9.9.9.9.in-addr.arpa.", Type.PTR),
                notOurs("0.0.10.in-addr.arpa.", Type.PTR),
                notOurs("example.com.", Type.A),
                notOurs("cluster.local.example.com.", Type.A),
                // fixed names
                ok("dns-version.cluster.local.", Type.TXT, List.of("dns-version.cluster.local. 5 IN TXT \"1.1.0\"")),
                nodata("dns-version.cluster.local.", Type.A),
                ok("cluster.local.", Type.SOA, List.of(SOA)),
                ok("CLUSTER.LOCAL.", Type.NS, List.of("cluster.local. 5 IN NS ns.dns.cluster.local."),
                        List.of("ns.dns.cluster.local. 5 IN A 127.96.0.10")),
                ok("cluster.local.", Type.ANY, List.of(SOA, "cluster.local. 5 IN NS ns.dns.cluster.local.")),
                nodata("cluster.local.", Type.A),
                ok("ns.dns.cluster.local.", Type.A, List.of("ns.dns.cluster.local. 5 IN A 127.96.0.10")),
                nodata("dns.cluster.local.", Type.A),
                nxdomain("nothing.dns.cluster.local.", Type.A),
                // empty non-terminals and misses
                nodata("svc.cluster.local.", Type.A),
                nodata("pod.cluster.local.", Type.A),
                nodata("testns.svc.cluster.local.", Type.A),
                nodata("testns.svc.cluster.local.", Type.ANY),
                nxdomain("otherns.svc.cluster.local.", Type.A),
                nxdomain("nosvc.testns.svc.cluster.local.", Type.A),
                nxdomain("*.testns.svc.cluster.local.", Type.A),
                nxdomain("any.testns.svc.cluster.local.", Type.A),
                nxdomain("foo.cluster.local.", Type.A),
                nxdomain("svc1.testns.pod.cluster.local.", Type.A),
                // verified pods
                ok("172-0-0-2.testns.pod.cluster.local.", Type.A,
                        List.of("172-0-0-2.testns.pod.cluster.local. 5 IN A 172.0.0.2")),
                nxdomain("172-0-0-3.testns.pod.cluster.local.", Type.A),
                nxdomain("10-240-0-1.testns.pod.cluster.local.", Type.A),
                ok("10-240-0-1.podns.pod.cluster.local.", Type.A,
                        List.of("10-240-0-1.podns.pod.cluster.local. 5 IN A 10.240.0.1")),
                ok("fd00--5.podns.pod.cluster.local.", Type.AAAA,
                        List.of("fd00--5.podns.pod.cluster.local. 5 IN AAAA fd00::5")),
                nodata("podns.pod.cluster.local.", Type.A),
                nxdomain("otherns.pod.cluster.local.", Type.A));
    }

    private static final ClusterZone CLUSTER = cluster();

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answers(Case c) {
        Reply reply = ask(CLUSTER, c.qname(), c.qtype());
        if (c.rcode() == null) {
            assertThat(reply).isNull();
            return;
        }
        assertThat(reply).isNotNull();
        assertThat(reply.rcode()).as("rcode").isEqualTo(c.rcode());
        assertThat(reply.answer()).as("answer").containsExactlyElementsOf(c.answer());
        assertThat(reply.authority()).as("authority").containsExactlyElementsOf(c.authority());
        assertThat(reply.additional()).as("additional").containsExactlyElementsOf(c.additional());
    }

    @Test
    void responseEchoesIdFlagsAndTheQuestionAsWritten() {
        Message query = Zones.query("SvC1.TESTns.svc.Cluster.Local.", Type.A);
        Message response = CLUSTER.answer(query);

        assertThat(response.getHeader().getID()).isEqualTo(query.getHeader().getID());
        assertThat(response.getHeader().getFlag(org.xbill.DNS.Flags.QR)).isTrue();
        assertThat(response.getHeader().getFlag(org.xbill.DNS.Flags.AA)).isTrue();
        assertThat(response.getHeader().getFlag(org.xbill.DNS.Flags.RD)).isTrue();
        Record question = response.getQuestion();
        assertThat(question.getName().toString()).isEqualTo("SvC1.TESTns.svc.Cluster.Local.");
        assertThat(response.getSection(Section.ANSWER)).hasSize(1);
    }
}
