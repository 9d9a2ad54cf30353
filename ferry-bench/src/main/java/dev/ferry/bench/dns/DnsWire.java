package dev.ferry.bench.dns;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The little of the DNS wire format the benchmark's own client needs: an A query (RD off, no EDNS, as dnsperf sends by
 * default without {@code -D}/{@code -e}), and a response's ID, RCODE and A addresses. Pure.
 */
public final class DnsWire {
    static final int TYPE_A = 1;
    static final int CLASS_IN = 1;
    private static final int HEADER = 12;

    /** A parsed response: its ID, RCODE and the dotted-quad addresses of its A records in the answer section. */
    record Answer(int id, int rcode, List<String> addresses) {
    }

    private DnsWire() {
    }

    /** The query {@code id} for {@code name} (absolute or not; no trailing empty label needed), type A, class IN. */
    public static byte[] queryA(int id, String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        byte[] ascii = n.getBytes(StandardCharsets.US_ASCII);
        byte[] q = new byte[HEADER + ascii.length + 2 + 4];
        q[0] = (byte) (id >> 8);
        q[1] = (byte) id;
        q[5] = 1; // QDCOUNT
        int p = HEADER;
        int start = 0;
        for (int i = 0; i <= ascii.length; i++) {
            if (i == ascii.length || ascii[i] == '.') {
                int len = i - start;
                if (len == 0 || len > 63) {
                    throw new IllegalArgumentException("bad label in " + name);
                }
                q[p++] = (byte) len;
                System.arraycopy(ascii, start, q, p, len);
                p += len;
                start = i + 1;
            }
        }
        q[p++] = 0;
        q[p++] = 0;
        q[p++] = TYPE_A;
        q[p++] = 0;
        q[p] = CLASS_IN;
        return q;
    }

    /** Parses {@code len} bytes of a response; throws IllegalArgumentException when they are not a well-formed one. */
    static Answer parse(byte[] r, int len) {
        if (len < HEADER) {
            throw new IllegalArgumentException("short response: " + len + " bytes");
        }
        int id = u16(r, 0, len);
        int rcode = r[3] & 0x0f;
        int qd = u16(r, 4, len);
        int an = u16(r, 6, len);
        int p = HEADER;
        for (int i = 0; i < qd; i++) {
            p = skipName(r, p, len) + 4;
        }
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < an; i++) {
            p = skipName(r, p, len);
            int type = u16(r, p, len);
            int cls = u16(r, p + 2, len);
            int rdlen = u16(r, p + 8, len);
            p += 10;
            if (p + rdlen > len) {
                throw new IllegalArgumentException("record data past the end");
            }
            if (type == TYPE_A && cls == CLASS_IN && rdlen == 4) {
                addresses.add((r[p] & 0xff) + "." + (r[p + 1] & 0xff) + "." + (r[p + 2] & 0xff) + "."
                        + (r[p + 3] & 0xff));
            }
            p += rdlen;
        }
        return new Answer(id, rcode, List.copyOf(addresses));
    }

    /** The offset just after the name at {@code p} (labels, then a zero byte or a 2-byte compression pointer). */
    private static int skipName(byte[] r, int p, int len) {
        while (true) {
            if (p >= len) {
                throw new IllegalArgumentException("name past the end");
            }
            int b = r[p] & 0xff;
            if (b == 0) {
                return p + 1;
            }
            if ((b & 0xc0) == 0xc0) {
                if (p + 1 >= len) {
                    throw new IllegalArgumentException("pointer past the end");
                }
                return p + 2;
            }
            if ((b & 0xc0) != 0) {
                throw new IllegalArgumentException("bad label type " + b);
            }
            p += 1 + b;
        }
    }

    private static int u16(byte[] r, int p, int len) {
        if (p + 1 >= len) {
            throw new IllegalArgumentException("field past the end");
        }
        return ((r[p] & 0xff) << 8) | (r[p + 1] & 0xff);
    }
}
