package dev.ferry.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The server against the real {@code dig} (dnsutils), over UDP and TCP, with and without EDNS. */
class DnsServerDigTest {
    private static final PrometheusRegistry REGISTRY = new PrometheusRegistry();
    private static DnsMetrics metrics;
    private static DnsServer server;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() throws Exception {
        metrics = new DnsMetrics(REGISTRY);
        server = DnsServer.start(DnsServerConfig.defaults(List.of(Dns.randomLoopback())).withEventLoops(2),
                new StaticAuthority(), null, metrics);
        address = server.udpAddresses().getFirst();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static int answers(String digOutput) {
        Matcher m = Pattern.compile("ANSWER: (\\d+)").matcher(digOutput);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    @Test
    void answersOverUdp() throws Exception {
        Dns.Dig d = Dns.dig(address, "a.cluster.local", "A");
        assertThat(d.exit()).isZero();
        assertThat(d.output()).contains("status: NOERROR").containsPattern("flags: qr aa rd;")
                .containsPattern("a\\.cluster\\.local\\.\\s+30\\s+IN\\s+A\\s+127\\.96\\.0\\.1")
                .contains("OPT PSEUDOSECTION").contains("udp: 1232");
        assertThat(server.tcpAddresses()).containsExactly(address);
        assertThat(address.getPort()).isPositive();
    }

    @Test
    void answersOverTcp() throws Exception {
        Dns.Dig d = Dns.dig(address, "+tcp", "txt.cluster.local", "TXT");
        assertThat(d.output()).contains("status: NOERROR").contains("\"hello\"").contains("(TCP)");
    }

    @Test
    void ednsBufferSizeBoundsTheUdpAnswerAndTcpCompletesIt() throws Exception {
        Dns.Dig cut = Dns.dig(address, "+ignore", "+bufsize=1232", "big.cluster.local", "A");
        assertThat(cut.output()).containsPattern("flags: qr aa tc rd;").contains("status: NOERROR");
        assertThat(answers(cut.output())).isZero(); // the RRset does not fit whole, so none of it is sent
        Dns.Dig full = Dns.dig(address, "+bufsize=4096", "big.cluster.local", "A");
        assertThat(full.output()).contains("Truncated, retrying in TCP mode").contains("ANSWER: 100");
        // a bufsize below 512 is treated as 512
        Dns.Dig small = Dns.dig(address, "+ignore", "+bufsize=100", "ns.dns.cluster.local", "A");
        assertThat(small.output()).contains("status: NOERROR").contains("ANSWER: 1").contains("udp: 1232");
    }

    @Test
    void withoutEdnsTheLimitIs512AndNoOptComesBack() throws Exception {
        Dns.Dig d = Dns.dig(address, "+noedns", "a.cluster.local");
        assertThat(d.output()).contains("status: NOERROR").doesNotContain("OPT PSEUDOSECTION");
        Dns.Dig big = Dns.dig(address, "+noedns", "+ignore", "big.cluster.local");
        assertThat(big.output()).containsPattern("flags: qr aa tc rd;").doesNotContain("OPT PSEUDOSECTION");
        assertThat(answers(big.output())).isBetween(0, 31);
        Dns.Dig full = Dns.dig(address, "+noedns", "big.cluster.local");
        assertThat(full.output()).contains("ANSWER: 100");
    }

    @Test
    void zoneTransfer() throws Exception {
        Dns.Dig d = Dns.dig(address, "axfr", "cluster.local");
        assertThat(d.output()).contains("XFR size: 106 records");
        List<String> soa = d.output().lines().filter(l -> l.matches("cluster\\.local\\.\\s+30\\s+IN\\s+SOA.*")).toList();
        assertThat(soa).hasSize(2);
        Message notOurs = Dns.tcp(address, 1, Dns.query("example.org.", Type.AXFR, false, 0).toWire()).getFirst();
        assertThat(notOurs.getRcode()).isEqualTo(Rcode.NOTAUTH);
    }

    @Test
    void refusesNamesOutsideTheZoneWithoutAForwarder() throws Exception {
        Dns.Dig d = Dns.dig(address, "www.example.org", "A");
        assertThat(d.output()).contains("status: REFUSED").doesNotContain(" ra;");
    }

    @Test
    void negativeAnswersCarryTheSoa() throws Exception {
        Dns.Dig nx = Dns.dig(address, "nope.cluster.local", "A");
        assertThat(nx.output()).contains("status: NXDOMAIN").containsPattern("cluster\\.local\\.\\s+30\\s+IN\\s+SOA");
        Dns.Dig nodata = Dns.dig(address, "a.cluster.local", "AAAA");
        assertThat(nodata.output()).contains("status: NOERROR").contains("ANSWER: 0").contains("AUTHORITY: 1");
        Dns.Dig unknownType = Dns.dig(address, "a.cluster.local", "TYPE65400");
        assertThat(unknownType.output()).contains("status: NOERROR").contains("ANSWER: 0");
    }

    @Test
    void otherOpcodesAreNotImplemented() throws Exception {
        Dns.Dig d = Dns.dig(address, "+opcode=status", "a.cluster.local");
        assertThat(d.output()).contains("opcode: STATUS").contains("status: NOTIMP");
    }

    @Test
    void metricsCountRequestsAndResponses() throws Exception {
        Dns.dig(address, "a.cluster.local", "A");
        Dns.dig(address, "a.cluster.local", "A");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, REGISTRY.scrape());
        String text = out.toString();
        assertThat(text).contains("ferry_dns_requests_total{proto=\"udp\",type=\"A\"}")
                .contains("ferry_dns_responses_total{rcode=\"NOERROR\"}")
                .contains("ferry_dns_request_duration_seconds_bucket{proto=\"udp\"")
                .contains("ferry_dns_cache_hits_total").contains("ferry_dns_cache_misses_total");
        assertThat(metrics.cacheHits.get()).isPositive();
        assertThat(metrics.errors()).isZero();
    }
}
