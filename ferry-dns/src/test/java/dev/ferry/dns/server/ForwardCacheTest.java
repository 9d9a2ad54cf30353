package dev.ferry.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.ManualClock;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** TTLs of forwarded answers (RFC 2308 for negative ones) and their aging in the cache. */
class ForwardCacheTest {
    private static final long MAX = 3600;
    private static final long MAX_NEG = 1800;

    private static Message response(int rcode) {
        Message m = new Message(1);
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setRcode(rcode);
        m.addRecord(org.xbill.DNS.Record.newRecord(StaticAuthority.name("www.example.org."), Type.A, DClass.IN),
                Section.QUESTION);
        return m;
    }

    private static ARecord a(long ttl) throws Exception {
        return new ARecord(StaticAuthority.name("www.example.org."), DClass.IN, ttl, InetAddress.getByName("192.0.2.1"));
    }

    private static SOARecord soa(long ttl, long minimum) {
        return new SOARecord(StaticAuthority.name("example.org."), DClass.IN, ttl, StaticAuthority.name("ns.x."),
                StaticAuthority.name("h.x."), 1, 60, 60, 60, minimum);
    }

    @Test
    void ttlTable() throws Exception {
        Message positive = response(Rcode.NOERROR);
        positive.addRecord(new CNAMERecord(StaticAuthority.name("www.example.org."), DClass.IN, 600,
                StaticAuthority.name("x.example.org.")), Section.ANSWER);
        positive.addRecord(a(120), Section.ANSWER);
        assertThat(ForwardCache.ttl(positive, MAX, MAX_NEG)).isEqualTo(120);

        Message capped = response(Rcode.NOERROR);
        capped.addRecord(a(86400), Section.ANSWER);
        assertThat(ForwardCache.ttl(capped, MAX, MAX_NEG)).isEqualTo(MAX);

        Message nx = response(Rcode.NXDOMAIN);
        nx.addRecord(soa(300, 30), Section.AUTHORITY);
        assertThat(ForwardCache.ttl(nx, MAX, MAX_NEG)).isEqualTo(30);
        Message nodata = response(Rcode.NOERROR);
        nodata.addRecord(soa(20, 900), Section.AUTHORITY);
        assertThat(ForwardCache.ttl(nodata, MAX, MAX_NEG)).isEqualTo(20);
        Message longNegative = response(Rcode.NXDOMAIN);
        longNegative.addRecord(soa(86400, 86400), Section.AUTHORITY);
        assertThat(ForwardCache.ttl(longNegative, MAX, MAX_NEG)).isEqualTo(MAX_NEG);

        assertThat(ForwardCache.ttl(response(Rcode.NXDOMAIN), MAX, MAX_NEG)).isZero(); // no SOA
        assertThat(ForwardCache.ttl(response(Rcode.SERVFAIL), MAX, MAX_NEG)).isZero();
        Message truncated = response(Rcode.NOERROR);
        truncated.getHeader().setFlag(Flags.TC);
        truncated.addRecord(a(60), Section.ANSWER);
        assertThat(ForwardCache.ttl(truncated, MAX, MAX_NEG)).isZero();
        Message zero = response(Rcode.NOERROR);
        zero.addRecord(a(0), Section.ANSWER);
        assertThat(ForwardCache.ttl(zero, MAX, MAX_NEG)).isZero();
    }

    @Test
    void hitsAgeAndExpire() throws Exception {
        ManualClock clock = new ManualClock();
        ForwardCache c = new ForwardCache(2, Duration.ofSeconds(MAX), Duration.ofSeconds(MAX_NEG), clock);
        Message m = response(Rcode.NOERROR);
        m.addRecord(a(60), Section.ANSWER);
        ForwardCache.Key key = new ForwardCache.Key("www.example.org.", Type.A, DClass.IN, false);
        c.put(key, m);
        clock.advance(Duration.ofSeconds(45));
        assertThat(c.get(key).getSection(Section.ANSWER).getFirst().getTTL()).isEqualTo(15);
        clock.advance(Duration.ofSeconds(15));
        assertThat(c.get(key)).isNull();
        assertThat(c.size()).isZero();
    }

    @Test
    void evictsTheLeastRecentlyUsed() throws Exception {
        ForwardCache c = new ForwardCache(2, Duration.ofSeconds(MAX), Duration.ofSeconds(MAX_NEG), new ManualClock());
        Message m = response(Rcode.NOERROR);
        m.addRecord(a(60), Section.ANSWER);
        ForwardCache.Key k1 = new ForwardCache.Key("a.", 1, 1, false);
        ForwardCache.Key k2 = new ForwardCache.Key("b.", 1, 1, false);
        ForwardCache.Key k3 = new ForwardCache.Key("c.", 1, 1, false);
        c.put(k1, m);
        c.put(k2, m);
        c.get(k1);
        c.put(k3, m);
        assertThat(c.get(k1)).isNotNull();
        assertThat(c.get(k2)).isNull();
        assertThat(c.get(k3)).isNotNull();
    }
}
