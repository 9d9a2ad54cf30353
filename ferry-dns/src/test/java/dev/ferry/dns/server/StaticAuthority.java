package dev.ferry.dns.server;

import dev.ferry.dns.Authority;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * A small zone {@code cluster.local.} for the server's tests: {@code a} (one A), {@code big} (100 A: 1.6 kB, more than
 * any UDP limit), {@code txt} (TXT), an SOA and an NS. {@link #setA} changes {@code a} and bumps the generation.
 */
final class StaticAuthority implements Authority {
    static final Name ZONE = name("cluster.local.");
    private final AtomicLong generation = new AtomicLong(1);
    private final AtomicInteger answers = new AtomicInteger();
    private volatile List<Record> records;

    StaticAuthority() {
        records = build("127.96.0.1");
    }

    static Name name(String s) {
        try {
            return Name.fromString(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    static SOARecord soa() {
        return new SOARecord(ZONE, DClass.IN, 30, name("ns.dns.cluster.local."), name("hostmaster.cluster.local."),
                1, 7200, 1800, 86400, 5);
    }

    private static List<Record> build(String a) {
        List<Record> rs = new ArrayList<>();
        rs.add(soa());
        rs.add(new NSRecord(ZONE, DClass.IN, 30, name("ns.dns.cluster.local.")));
        rs.add(new ARecord(name("ns.dns.cluster.local."), DClass.IN, 30, addr("127.96.0.10")));
        rs.add(new ARecord(name("a.cluster.local."), DClass.IN, 30, addr(a)));
        for (int i = 0; i < 100; i++) {
            rs.add(new ARecord(name("big.cluster.local."), DClass.IN, 30, addr("127.97.0." + (i + 1))));
        }
        rs.add(new TXTRecord(name("txt.cluster.local."), DClass.IN, 30, "hello"));
        return rs;
    }

    private static java.net.InetAddress addr(String s) {
        try {
            return java.net.InetAddress.getByName(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    void setA(String address) {
        records = build(address);
        generation.incrementAndGet();
    }

    /** How many times {@link #answer} ran: the answer cache's hits do not call it. */
    int answers() {
        return answers.get();
    }

    @Override
    public Message answer(Message query) {
        answers.incrementAndGet();
        Record q = query.getQuestion();
        if (!q.getName().subdomain(ZONE)) {
            return null;
        }
        Message m = new Message(query.getHeader().getID());
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.AA);
        m.addRecord(q, Section.QUESTION);
        boolean exists = false;
        for (Record r : records) {
            if (r.getName().equals(q.getName())) {
                exists = true;
                if (r.getType() == q.getType() || q.getType() == Type.ANY) {
                    m.addRecord(r, Section.ANSWER);
                }
            }
        }
        if (m.getSection(Section.ANSWER).isEmpty()) {
            if (!exists) {
                m.getHeader().setRcode(Rcode.NXDOMAIN);
            }
            m.addRecord(soa(), Section.AUTHORITY);
        }
        return m;
    }

    @Override
    public List<Record> transfer(Name zone) {
        if (!zone.equals(ZONE)) {
            return null;
        }
        List<Record> out = new ArrayList<>(records);
        out.add(soa());
        return out;
    }

    @Override
    public long generation() {
        return generation.get();
    }
}
