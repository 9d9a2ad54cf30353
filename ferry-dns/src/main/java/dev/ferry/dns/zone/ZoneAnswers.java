package dev.ferry.dns.zone;

import java.util.List;
import java.util.function.Supplier;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers a query from the indexes: one map lookup, then the RRset of the query type copied into a response. No
 * wildcards. A miss is NXDOMAIN, a name without the type NOERROR/NODATA, both with the zone SOA in the authority
 * section. A CNAME answers every type but CNAME and ANY, followed inside the zone (up to {@value #MAX_CHAIN} links; the
 * rcode and SOA then describe the chain's last name, RFC 6604) and never outside it. ANY returns every RRset of the
 * name (no RFC 8482 minimisation; the data is small). Record owners are lower case; the question is echoed as sent.
 */
final class ZoneAnswers {
    static final int MAX_CHAIN = 8;

    private final ZoneNames zone;
    private final NameIndex index;
    private final ReverseIndex reverse;
    private final Supplier<Soas> soas;

    ZoneAnswers(ZoneNames zone, NameIndex index, ReverseIndex reverse, Supplier<Soas> soas) {
        this.zone = zone;
        this.index = index;
        this.reverse = reverse;
        this.soas = soas;
    }

    Message answer(Message query) {
        Record question = query.getQuestion();
        if (question == null) {
            return null;
        }
        Name qname = question.getName();
        if (qname.subdomain(zone.zone)) {
            return forward(query, question);
        }
        boolean v4 = qname.subdomain(Soas.IN_ADDR_ARPA);
        if (v4 || qname.subdomain(Soas.IP6_ARPA)) {
            Node node = reverse.get(qname);
            if (node == null) {
                return null;
            }
            Message response = response(query, question);
            int qtype = question.getType();
            if (qtype == Type.PTR || qtype == Type.ANY) {
                addAll(response, Section.ANSWER, node.records());
                return response;
            }
            Soas s = soas.get();
            response.addRecord(v4 ? s.inAddrArpa() : s.ip6Arpa(), Section.AUTHORITY);
            return response;
        }
        return null;
    }

    private Message forward(Message query, Record question) {
        Message response = response(query, question);
        SOARecord soa = soas.get().zone();
        int qtype = question.getType();
        Name name = question.getName();
        for (int link = 0; link <= MAX_CHAIN; link++) {
            Node node = index.get(name);
            if (node == null) {
                response.getHeader().setRcode(Rcode.NXDOMAIN);
                response.addRecord(soa, Section.AUTHORITY);
                return response;
            }
            List<Record> cname = node.rrset(Type.CNAME);
            if (!cname.isEmpty() && qtype != Type.CNAME && qtype != Type.ANY) {
                addAll(response, Section.ANSWER, cname);
                name = ((CNAMERecord) cname.get(0)).getTarget();
                if (!name.subdomain(zone.zone)) {
                    return response;
                }
                continue;
            }
            boolean apex = name.equals(zone.zone);
            if (qtype == Type.ANY) {
                if (apex) {
                    response.addRecord(soa, Section.ANSWER);
                } else if (node.emptyNonTerminal()) {
                    response.addRecord(soa, Section.AUTHORITY);
                }
                addAll(response, Section.ANSWER, node.records());
                return response;
            }
            List<Record> set = apex && qtype == Type.SOA ? List.of(soa) : node.rrset(qtype);
            if (set.isEmpty()) {
                response.addRecord(soa, Section.AUTHORITY);
                return response;
            }
            addAll(response, Section.ANSWER, set);
            if (qtype == Type.SRV || qtype == Type.NS) {
                addAll(response, Section.ADDITIONAL, node.additional());
            }
            return response;
        }
        return response;
    }

    private static Message response(Message query, Record question) {
        Header q = query.getHeader();
        Message response = new Message(q.getID());
        Header h = response.getHeader();
        h.setFlag(Flags.QR);
        h.setFlag(Flags.AA);
        if (q.getFlag(Flags.RD)) {
            h.setFlag(Flags.RD);
        }
        h.setOpcode(q.getOpcode());
        response.addRecord(question, Section.QUESTION);
        return response;
    }

    private static void addAll(Message message, int section, List<Record> records) {
        for (Record r : records) {
            message.addRecord(r, section);
        }
    }
}
