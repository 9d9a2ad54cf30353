package dev.ferry.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Which queries the answer cache's fast path reads, and what it reads from them. */
class QueryViewTest {
    private static byte[] wire(Message m) {
        return m.toWire();
    }

    @Test
    void readsPlainQueries() {
        byte[] plain = wire(Dns.query("a.cluster.local.", Type.AAAA, false, 0));
        QueryView v = QueryView.parse(plain, plain.length);
        assertThat(v).isEqualTo(new QueryView(12 + 17, Type.AAAA, 1, false, 0, 0, false));
        assertThat(v.udpLimit(1232)).isEqualTo(512);

        Message withDo = Dns.query("a.cluster.local.", Type.A, false, 0);
        withDo.addRecord(new OPTRecord(4096, 0, 0, 0x8000, List.<EDNSOption>of(new GenericEDNSOption(10,
                new byte[8]))), Section.ADDITIONAL);
        byte[] edns = wire(withDo);
        QueryView e = QueryView.parse(edns, edns.length);
        assertThat(e.edns()).isTrue();
        assertThat(e.dnssecOk()).isTrue();
        assertThat(e.payload()).isEqualTo(4096);
        assertThat(e.udpLimit(1232)).isEqualTo(1232);
        assertThat(new QueryView(29, 1, 1, true, 100, 0, false).udpLimit(1232)).isEqualTo(512);
        assertThat(new QueryView(29, 1, 1, true, 800, 0, false).udpLimit(1232)).isEqualTo(800);
    }

    @Test
    void leavesEverythingUnusualToTheFullPath() {
        byte[] ok = wire(Dns.query("a.cluster.local.", Type.A, true, 1232));
        List<byte[]> unusual = List.of(
                Arrays.copyOf(ok, 11), // short
                Arrays.copyOf(ok, ok.length - 1), // cut OPT
                flip(ok, 2, 0x80), // a response
                flip(ok, 2, 0x08), // opcode 1
                set(ok, 5, 2), // qdcount 2
                set(ok, 7, 1), // ancount 1
                set(ok, 11, 2), // arcount 2
                set(ok, 12, 0xC0), // a compression pointer in the question
                set(ok, 12, 64), // a label too long
                Arrays.copyOf(ok, ok.length + 1)); // trailing byte
        for (byte[] q : unusual) {
            assertThat(QueryView.parse(q, q.length)).isNull();
        }
    }

    private static byte[] flip(byte[] b, int i, int bits) {
        byte[] c = b.clone();
        c[i] ^= (byte) bits;
        return c;
    }

    private static byte[] set(byte[] b, int i, int v) {
        byte[] c = b.clone();
        c[i] = (byte) v;
        return c;
    }
}
