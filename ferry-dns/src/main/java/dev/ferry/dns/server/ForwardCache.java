package dev.ferry.dns.server;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Upstream responses keyed by (lower-cased qname, qtype, qclass, DO bit), kept for their TTL: a positive answer for the
 * least TTL of its answer and authority records, capped at {@code maxTtl}; a negative one (NXDOMAIN, or NOERROR
 * without answers) for min(SOA TTL, SOA minimum) of the SOA in its authority section (RFC 2308 §5), capped at
 * {@code maxNegativeTtl}, and not at all without a SOA. Other rcodes, truncated responses and TTL 0 are not kept.
 * Hits carry TTLs lowered by the time spent in the cache. At most {@code maxEntries}, least recently used evicted.
 * Thread-safe.
 */
final class ForwardCache {
    record Key(String name, int type, int dclass, boolean dnssecOk) {
        static Key of(Message query) {
            Record q = query.getQuestion();
            OPTRecord opt = query.getOPT();
            return new Key(q.getName().toString().toLowerCase(Locale.ROOT), q.getType(), q.getDClass(),
                    opt != null && (opt.getFlags() & 0x8000) != 0);
        }
    }

    private record Cached(Message response, Instant stored, long ttl) {
    }

    private final int maxEntries;
    private final long maxTtl;
    private final long maxNegativeTtl;
    private final InstantSource clock;
    private final LinkedHashMap<Key, Cached> entries;

    ForwardCache(int maxEntries, Duration maxTtl, Duration maxNegativeTtl, InstantSource clock) {
        this.maxEntries = maxEntries;
        this.maxTtl = maxTtl.toSeconds();
        this.maxNegativeTtl = maxNegativeTtl.toSeconds();
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Cached> eldest) {
                return size() > ForwardCache.this.maxEntries;
            }
        };
    }

    /** Seconds {@code response} may be cached; 0 when it must not be. Pure. */
    static long ttl(Message response, long maxTtl, long maxNegativeTtl) {
        if (response.getHeader().getFlag(Flags.TC)) {
            return 0;
        }
        int rcode = response.getRcode();
        List<Record> answer = response.getSection(Section.ANSWER);
        List<Record> authority = response.getSection(Section.AUTHORITY);
        if (rcode == Rcode.NOERROR && !answer.isEmpty()) {
            long min = maxTtl;
            for (Record r : answer) {
                min = Math.min(min, r.getTTL());
            }
            for (Record r : authority) {
                min = Math.min(min, r.getTTL());
            }
            return Math.max(0, min);
        }
        if (rcode == Rcode.NXDOMAIN || rcode == Rcode.NOERROR) {
            for (Record r : authority) {
                if (r instanceof SOARecord soa) {
                    return Math.max(0, Math.min(maxNegativeTtl, Math.min(soa.getTTL(), soa.getMinimum())));
                }
            }
        }
        return 0;
    }

    synchronized void put(Key key, Message response) {
        if (maxEntries == 0) {
            return;
        }
        long ttl = ttl(response, maxTtl, maxNegativeTtl);
        if (ttl > 0) {
            entries.put(key, new Cached(response, clock.instant(), ttl));
        }
    }

    /** The cached response with TTLs lowered by its age (not the caller's ID or question), or null. */
    Message get(Key key) {
        Cached e;
        long age;
        synchronized (this) {
            e = entries.get(key);
            if (e == null) {
                return null;
            }
            age = Duration.between(e.stored, clock.instant()).toSeconds();
            if (age >= e.ttl) {
                entries.remove(key);
                return null;
            }
        }
        Message m = new Message(e.response.getHeader().getID());
        m.getHeader().setRcode(e.response.getRcode() & 0xF);
        for (int flag : new int[] {Flags.QR, Flags.AA, Flags.RA, Flags.AD}) {
            if (e.response.getHeader().getFlag(flag)) {
                m.getHeader().setFlag(flag);
            }
        }
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record r : e.response.getSection(section)) {
                if (r.getType() != Type.OPT) {
                    m.addRecord(aged(r, age), section);
                }
            }
        }
        return m;
    }

    synchronized int size() {
        return entries.size();
    }

    /** {@code r} with its TTL lowered by {@code age} seconds (to 0 at least). */
    static Record aged(Record r, long age) {
        if (age <= 0) {
            return r;
        }
        byte[] wire = r.toWire(Section.ANSWER);
        int off = r.getName().length() + 4;
        long ttl = Math.max(0, r.getTTL() - age);
        wire[off] = (byte) (ttl >>> 24);
        wire[off + 1] = (byte) (ttl >>> 16);
        wire[off + 2] = (byte) (ttl >>> 8);
        wire[off + 3] = (byte) ttl;
        try {
            return Record.fromWire(wire, Section.ANSWER);
        } catch (IOException e) {
            return r;
        }
    }
}
