package dev.ferry.dns.server;

import dev.ferry.dns.Authority;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns query bytes into response bytes, transport aside. RFC 1035/6891 choices:
 * <ul>
 * <li>fewer than 12 bytes, or QR set: dropped (no response);
 * <li>opcode other than QUERY: NOTIMP (question echoed when parseable);
 * <li>unparseable, qdcount ≠ 1, several OPT records, an OPT not at the root, qtype OPT: FORMERR echoing the ID (and
 * the question when it parses), without OPT;
 * <li>EDNS version &gt; 0: BADVERS (extended rcode 16) with an OPT;
 * <li>class other than IN or ANY: REFUSED; qtype MAILA/MAILB: NOTIMP;
 * <li>AXFR or IXFR over UDP: REFUSED; over TCP both are answered with a full transfer (RFC 1995 §4 allows an AXFR-
 * style answer to IXFR) in messages of at most 64 KiB, NOTAUTH for a zone that is not the authority's;
 * <li>names the authority does not own: forwarded, or REFUSED without a forwarder;
 * <li>an OPT in the response when the query had one (payload {@link DnsServerConfig#maxUdpPayload()}, DO echoed); UDP
 * responses are cut to min(client payload, max) but at least 512 bytes, 512 without EDNS, dropping whole RRsets and
 * setting TC; TCP responses to 65535 bytes.
 * </ul>
 * Authoritative answers of plain queries (see {@link QueryView}) with rcode NOERROR or NXDOMAIN go to the
 * {@link AnswerCache}. Thread-safe.
 */
final class Responder {
    /** Receives the responses to one query in order; {@link #end} follows the last (also when there is none). */
    interface Sink {
        void reply(byte[] wire);

        void end();
    }

    static final int TCP_LIMIT = 65535;
    /** Records of a transfer are packed into messages up to this estimate (uncompressed sizes, so the wire is less). */
    private static final int AXFR_MESSAGE_BUDGET = 60 * 1024;
    private static final int BADVERS = 16;

    private final Authority authority;
    private final Forwarder forwarder;
    private final DnsMetrics metrics;
    private final AnswerCache cache;
    private final int maxUdpPayload;

    Responder(Authority authority, Forwarder forwarder, DnsMetrics metrics, AnswerCache cache, int maxUdpPayload) {
        this.authority = authority;
        this.forwarder = forwarder;
        this.metrics = metrics;
        this.cache = cache;
        this.maxUdpPayload = maxUdpPayload;
    }

    /** The response from the answer cache, counted; null on a miss or for a query the cache does not take. */
    byte[] cached(byte[] q, int len, Transport t) {
        QueryView v = QueryView.parse(q, len);
        if (v == null || v.version() != 0) {
            return null;
        }
        AnswerCache.Key key = cache.key(q, v, t == Transport.TCP ? TCP_LIMIT : v.udpLimit(maxUdpPayload));
        if (key == null) {
            return null;
        }
        byte[] r = cache.get(key, q, v, authority.generation());
        if (r == null) {
            metrics.cacheMisses.inc();
            return null;
        }
        metrics.cacheHits.inc();
        metrics.request(t, v.qtype());
        metrics.response(r[3] & 0x0F);
        return r;
    }

    /**
     * Answers {@code q[0..len)}: calls {@code sink} now, or later from another thread for a forwarded query. Never
     * throws; an unexpected failure is counted in {@link DnsMetrics#errors()} and answered SERVFAIL.
     */
    void handle(byte[] q, int len, Transport t, Sink sink) {
        try {
            respond(q, len, t, sink);
        } catch (RuntimeException e) {
            metrics.error();
            DnsServer.LOG.debug("query failed", e);
            emit(sink, error(q, len, Rcode.SERVFAIL, true), Rcode.SERVFAIL);
            sink.end();
        }
    }

    private void respond(byte[] q, int len, Transport t, Sink sink) {
        if (len < QueryView.HEADER) {
            metrics.dropped("short");
            sink.end();
            return;
        }
        if ((q[2] & 0x80) != 0) {
            metrics.dropped("response");
            sink.end();
            return;
        }
        int opcode = (q[2] >> 3) & 0x0F;
        if (opcode != Opcode.QUERY) {
            metrics.request(t, 256);
            end(sink, error(q, len, Rcode.NOTIMP, true), Rcode.NOTIMP);
            return;
        }
        Message query;
        try {
            query = new Message(len == q.length ? q : java.util.Arrays.copyOf(q, len));
        } catch (IOException | RuntimeException e) {
            metrics.request(t, 256);
            end(sink, error(q, len, Rcode.FORMERR, true), Rcode.FORMERR);
            return;
        }
        Header h = query.getHeader();
        List<Record> additional = query.getSection(Section.ADDITIONAL);
        int opts = 0;
        for (Record r : additional) {
            if (r.getType() == Type.OPT) {
                opts++;
                if (!r.getName().equals(Name.root)) {
                    opts = 2;
                }
            }
        }
        Record question = query.getQuestion();
        if (h.getCount(Section.QUESTION) != 1 || question == null || opts > 1 || question.getType() == Type.OPT) {
            metrics.request(t, question == null ? 256 : question.getType());
            end(sink, error(q, len, Rcode.FORMERR, h.getCount(Section.QUESTION) == 1), Rcode.FORMERR);
            return;
        }
        int qtype = question.getType();
        metrics.request(t, qtype);
        OPTRecord opt = query.getOPT();
        if (opt != null && opt.getVersion() > 0) {
            Message m = reply(query, Rcode.NOERROR);
            m.addRecord(new OPTRecord(maxUdpPayload, BADVERS >> 4, 0, opt.getFlags() & 0x8000), Section.ADDITIONAL);
            end(sink, m.toWire(), BADVERS);
            return;
        }
        int qclass = question.getDClass();
        if (qclass != DClass.IN && qclass != DClass.ANY) {
            finish(sink, query, reply(query, Rcode.REFUSED), t);
            return;
        }
        if (qtype == Type.MAILA || qtype == Type.MAILB) {
            finish(sink, query, reply(query, Rcode.NOTIMP), t);
            return;
        }
        if (qtype == Type.AXFR || qtype == Type.IXFR) {
            if (t == Transport.UDP) {
                finish(sink, query, reply(query, Rcode.REFUSED), t);
            } else {
                transfer(sink, query, question.getName());
            }
            return;
        }
        long generation = authority.generation();
        Message answer = authority.answer(query);
        if (answer == null) {
            if (forwarder == null) {
                finish(sink, query, reply(query, Rcode.REFUSED), t);
            } else {
                forwarder.forward(query).whenComplete((m, e) -> {
                    try {
                        if (m == null) {
                            metrics.error();
                            end(sink, error(q, len, Rcode.SERVFAIL, true), Rcode.SERVFAIL);
                        } else {
                            finish(sink, query, m, t);
                        }
                    } catch (RuntimeException ex) {
                        metrics.error();
                        DnsServer.LOG.debug("forwarded response failed", ex);
                        sink.end();
                    }
                });
            }
            return;
        }
        // a copy: the server sets flags and EDNS, and an authority may hand out shared messages
        byte[] wire = finish(sink, query, answer.clone(), t);
        int rcode = answer.getRcode();
        if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
            QueryView v = QueryView.parse(q, len);
            if (v != null && (wire[2] & 0x02) == 0) {
                AnswerCache.Key key = cache.key(q, v, t == Transport.TCP ? TCP_LIMIT : v.udpLimit(maxUdpPayload));
                if (key != null) {
                    cache.put(key, wire, generation);
                }
            }
        }
    }

    /** Adds EDNS and the query's RD/CD bits to {@code response}, sends it within the transport's limit, ends. */
    private byte[] finish(Sink sink, Message query, Message response, Transport t) {
        Header qh = query.getHeader();
        Header rh = response.getHeader();
        rh.setID(qh.getID());
        rh.setFlag(Flags.QR);
        copyFlag(qh, rh, Flags.RD);
        copyFlag(qh, rh, Flags.CD);
        if (forwarder != null) {
            rh.setFlag(Flags.RA);
        } else {
            rh.unsetFlag(Flags.RA);
        }
        OPTRecord qopt = query.getOPT();
        int limit;
        OPTRecord ropt = response.getOPT();
        if (ropt != null) {
            response.removeRecord(ropt, Section.ADDITIONAL);
        }
        if (qopt != null) {
            response.addRecord(new OPTRecord(maxUdpPayload, 0, 0, qopt.getFlags() & 0x8000), Section.ADDITIONAL);
            limit = t == Transport.TCP ? TCP_LIMIT : Math.max(512, Math.min(qopt.getPayloadSize(), maxUdpPayload));
        } else {
            limit = t == Transport.TCP ? TCP_LIMIT : 512;
        }
        byte[] wire = response.toWire(limit);
        end(sink, wire, wire[3] & 0x0F);
        return wire;
    }

    private void transfer(Sink sink, Message query, Name zone) {
        List<Record> records = authority.transfer(zone);
        if (records == null) {
            finish(sink, query, reply(query, Rcode.NOTAUTH), Transport.TCP);
            return;
        }
        boolean edns = query.getOPT() != null;
        List<Record> batch = new ArrayList<>();
        int size = 0;
        boolean first = true;
        for (Record r : records) {
            int n = r.toWire(Section.ANSWER).length;
            if (!batch.isEmpty() && size + n > AXFR_MESSAGE_BUDGET) {
                emit(sink, transferMessage(query, batch, first && edns), Rcode.NOERROR);
                first = false;
                batch.clear();
                size = 0;
            }
            batch.add(r);
            size += n;
        }
        end(sink, transferMessage(query, batch, first && edns), Rcode.NOERROR);
    }

    private byte[] transferMessage(Message query, List<Record> records, boolean opt) {
        Message m = reply(query, Rcode.NOERROR);
        m.getHeader().setFlag(Flags.AA);
        for (Record r : records) {
            m.addRecord(r, Section.ANSWER);
        }
        if (opt) {
            m.addRecord(new OPTRecord(maxUdpPayload, 0, 0, 0), Section.ADDITIONAL);
        }
        return m.toWire(TCP_LIMIT);
    }

    /** A response to {@code query} with its ID, opcode, RD and question, and {@code rcode}. */
    private static Message reply(Message query, int rcode) {
        Message m = new Message(query.getHeader().getID());
        Header h = m.getHeader();
        h.setFlag(Flags.QR);
        copyFlag(query.getHeader(), h, Flags.RD);
        h.setRcode(rcode);
        if (query.getQuestion() != null) {
            m.addRecord(query.getQuestion(), Section.QUESTION);
        }
        return m;
    }

    /** An error response built from the raw header: ID, opcode and RD echoed, the question when it parses. */
    static byte[] error(byte[] q, int len, int rcode, boolean withQuestion) {
        Message m = new Message(QueryView.u16(q, 0));
        Header h = m.getHeader();
        h.setFlag(Flags.QR);
        h.setOpcode((q[2] >> 3) & 0x0F);
        if ((q[2] & 0x01) != 0) {
            h.setFlag(Flags.RD);
        }
        h.setRcode(rcode);
        if (withQuestion && QueryView.u16(q, 4) >= 1) {
            try {
                DNSInput in = new DNSInput(java.util.Arrays.copyOf(q, len));
                in.jump(QueryView.HEADER);
                Name name = new Name(in);
                int type = in.readU16();
                int dclass = in.readU16();
                m.addRecord(Record.newRecord(name, type, dclass), Section.QUESTION);
            } catch (IOException | RuntimeException e) {
                // no question then
            }
        }
        return m.toWire(512);
    }

    private static void copyFlag(Header from, Header to, int flag) {
        if (from.getFlag(flag)) {
            to.setFlag(flag);
        } else {
            to.unsetFlag(flag);
        }
    }

    private void emit(Sink sink, byte[] wire, int rcode) {
        metrics.response(rcode);
        sink.reply(wire);
    }

    private void end(Sink sink, byte[] wire, int rcode) {
        emit(sink, wire, rcode);
        sink.end();
    }
}
