package dev.ferry.dns.server;

/**
 * A plain query read straight from its wire bytes, without dnsjava: the header, one question whose name has no
 * compression pointer, and nothing else but an optional OPT record that ends the message. Anything else (or anything
 * malformed) yields {@code null}, and the query takes the full path. Pure.
 *
 * @param nameEnd offset just past the question name (the name spans 12..nameEnd)
 * @param edns whether the query has an OPT record
 * @param payload the OPT record's UDP payload size (0 without EDNS)
 * @param version the OPT record's EDNS version
 * @param dnssecOk the OPT record's DO bit
 */
record QueryView(int nameEnd, int qtype, int qclass, boolean edns, int payload, int version, boolean dnssecOk) {
    static final int HEADER = 12;
    /** An OPT record with an empty root name: name(1) type(2) class(2) ttl(4) rdlength(2). */
    private static final int OPT_FIXED = 11;

    static QueryView parse(byte[] q, int len) {
        if (len < HEADER + 5 || (q[2] & 0xF8) != 0 // QR clear, opcode QUERY
                || u16(q, 4) != 1 || u16(q, 6) != 0 || u16(q, 8) != 0) {
            return null;
        }
        int arcount = u16(q, 10);
        if (arcount > 1) {
            return null;
        }
        int p = HEADER;
        int total = 1;
        while (true) {
            if (p >= len) {
                return null;
            }
            int l = q[p] & 0xFF;
            if (l == 0) {
                p++;
                break;
            }
            if (l > 63) {
                return null; // a pointer or a reserved label type
            }
            total += l + 1;
            if (total > 255) {
                return null;
            }
            p += l + 1;
        }
        if (p + 4 > len) {
            return null;
        }
        int nameEnd = p;
        int qtype = u16(q, p);
        int qclass = u16(q, p + 2);
        p += 4;
        if (arcount == 0) {
            return p == len ? new QueryView(nameEnd, qtype, qclass, false, 0, 0, false) : null;
        }
        if (p + OPT_FIXED > len || q[p] != 0 || u16(q, p + 1) != 41) {
            return null;
        }
        int payload = u16(q, p + 3);
        int version = q[p + 6] & 0xFF;
        boolean dnssecOk = (q[p + 7] & 0x80) != 0;
        int rdlength = u16(q, p + 9);
        if (p + OPT_FIXED + rdlength != len) {
            return null;
        }
        return new QueryView(nameEnd, qtype, qclass, true, payload, version, dnssecOk);
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    /** The largest response for this query over UDP: the client's payload within 512..{@code max}, else 512. */
    int udpLimit(int max) {
        return edns ? Math.max(512, Math.min(payload, max)) : 512;
    }
}
