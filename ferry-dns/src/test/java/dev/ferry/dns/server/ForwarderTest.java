package dev.ferry.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.ManualClock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Names outside the zone through the server to a tiny upstream on loopback: forwarding, caching, failover, TC. */
class ForwarderTest {
    private final ManualClock clock = new ManualClock();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private DnsMetrics metrics;
    private TinyUpstream upstream;

    @BeforeEach
    void upstream() throws Exception {
        metrics = new DnsMetrics(new PrometheusRegistry());
        upstream = new TinyUpstream();
        closing.add(upstream);
        upstream.records.put("www.example.org.", List.of(new ARecord(StaticAuthority.name("www.example.org."),
                DClass.IN, 300, InetAddress.getByName("192.0.2.1"))));
        List<Record> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add(new ARecord(StaticAuthority.name("many.example.org."), DClass.IN, 300,
                    InetAddress.getByName("192.0.2." + (i + 1))));
        }
        upstream.records.put("many.example.org.", many);
        upstream.truncateOverUdp.add("many.example.org.");
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        assertThat(metrics.errors()).isZero();
    }

    private InetSocketAddress serve(List<InetSocketAddress> upstreams, Duration timeout) throws Exception {
        Forwarder f = Forwarder.start(new ForwarderConfig(upstreams, timeout, 64, 100, Duration.ofHours(1),
                Duration.ofMinutes(30)), clock, metrics);
        closing.add(f);
        DnsServer s = DnsServer.start(DnsServerConfig.defaults(List.of(Dns.randomLoopback())).withEventLoops(1),
                new StaticAuthority(), f, metrics);
        closing.add(s);
        return s.udpAddresses().getFirst();
    }

    @Test
    void forwardsAndCachesUntilTheTtlRunsOut() throws Exception {
        InetSocketAddress server = serve(List.of(upstream.address()), Duration.ofSeconds(2));
        Message q = Dns.query("WWW.example.org.", Type.A, true, 1232);
        Message r = Dns.udp(server, q);
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(r.getHeader().getID()).isEqualTo(q.getHeader().getID());
        assertThat(r.getHeader().getFlag(Flags.RA)).isTrue();
        assertThat(r.getQuestion().getName().toString()).isEqualTo("WWW.example.org.");
        assertThat(r.getSection(Section.ANSWER)).hasSize(1);
        assertThat(upstream.udpQueries.get()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(100));
        Message cached = Dns.udp(server, Dns.query("www.example.org.", Type.A, true, 1232));
        assertThat(upstream.udpQueries.get()).isEqualTo(1);
        assertThat(cached.getSection(Section.ANSWER).getFirst().getTTL()).isEqualTo(200);
        assertThat(metrics.forwardCacheHits.get()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(200));
        Dns.udp(server, Dns.query("www.example.org.", Type.A, true, 1232));
        assertThat(upstream.udpQueries.get()).isEqualTo(2);
        assertThat(metrics.forwardRequests.get()).isEqualTo(2);
    }

    @Test
    void negativeAnswersAreCachedForTheSoaMinimum() throws Exception {
        InetSocketAddress server = serve(List.of(upstream.address()), Duration.ofSeconds(2));
        assertThat(Dns.udp(server, Dns.query("gone.example.org.", Type.A, false, 0)).getRcode())
                .isEqualTo(Rcode.NXDOMAIN);
        clock.advance(Duration.ofSeconds(9));
        assertThat(Dns.udp(server, Dns.query("gone.example.org.", Type.A, false, 0)).getRcode())
                .isEqualTo(Rcode.NXDOMAIN);
        assertThat(upstream.udpQueries.get()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        Dns.udp(server, Dns.query("gone.example.org.", Type.A, false, 0));
        assertThat(upstream.udpQueries.get()).isEqualTo(2);
    }

    @Test
    void truncatedUpstreamAnswersAreAskedAgainOverTcp() throws Exception {
        InetSocketAddress server = serve(List.of(upstream.address()), Duration.ofSeconds(2));
        List<Message> r = Dns.tcp(server, 1, Dns.query("many.example.org.", Type.A, false, 0).toWire());
        assertThat(r.getFirst().getSection(Section.ANSWER)).hasSize(100);
        assertThat(upstream.tcpQueries.get()).isEqualTo(1);
        // and the client over UDP without EDNS gets it truncated, from the cache
        Message udp = Dns.udp(server, Dns.query("many.example.org.", Type.A, false, 0));
        assertThat(udp.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(upstream.tcpQueries.get()).isEqualTo(1);
    }

    @Test
    void servfailWhenEveryUpstreamIsDownAndTheNextUpstreamAfterATimeout() throws Exception {
        InetSocketAddress dead;
        try (java.net.DatagramSocket silent = new java.net.DatagramSocket(Dns.randomLoopback())) {
            dead = (InetSocketAddress) silent.getLocalSocketAddress();
            // a socket that never answers: the first upstream times out, the second answers
            InetSocketAddress server = serve(List.of(dead, upstream.address()), Duration.ofMillis(200));
            Message r = Dns.udp(server, Dns.query("www.example.org.", Type.A, false, 0));
            assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(r.getSection(Section.ANSWER)).hasSize(1);
        }
        upstream.close();
        InetSocketAddress server = serve(List.of(dead, upstream.address()), Duration.ofMillis(200));
        Message r = Dns.udp(server, Dns.query("other.example.org.", Type.A, false, 0));
        assertThat(r.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(metrics.forwardFailures.get()).isEqualTo(1);
    }

    @Test
    void upstreamsThatAreTheServerItselfAreLeftOut() throws Exception {
        InetSocketAddress self = new InetSocketAddress(InetAddress.getByName("127.96.0.10"), 53);
        InetSocketAddress other = new InetSocketAddress(InetAddress.getByName("127.0.0.53"), 53);
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName("192.0.2.53"), 53);
        assertThat(Forwarder.withoutSelf(List.of(self, other, remote), List.of(self))).containsExactly(other, remote);
        assertThat(Forwarder.withoutSelf(List.of(self, other, remote),
                List.of(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 53)))).containsExactly(remote);
    }
}
