package dev.ferry.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** The answer cache's keys, generations, patching and bound. */
class AnswerCacheTest {
    private static byte[] q(String name, int id, boolean edns) {
        var m = Dns.query(name, Type.A, edns, 1232);
        m.getHeader().setID(id);
        return m.toWire();
    }

    @Test
    void keysIgnoreCaseButNotTypeEdnsOrLimit() {
        AnswerCache c = new AnswerCache(10);
        byte[] lower = q("a.cluster.local.", 1, false);
        byte[] upper = q("A.Cluster.LOCAL.", 2, false);
        QueryView v = QueryView.parse(lower, lower.length);
        QueryView u = QueryView.parse(upper, upper.length);
        assertThat(c.key(lower, v, 512)).isEqualTo(c.key(upper, u, 512));
        assertThat(c.key(lower, v, 512)).isNotEqualTo(c.key(lower, v, 1232));
        byte[] edns = q("a.cluster.local.", 1, true);
        assertThat(c.key(edns, QueryView.parse(edns, edns.length), 512)).isNotEqualTo(c.key(lower, v, 512));
        assertThat(new AnswerCache(0).key(lower, v, 512)).isNull();
    }

    @Test
    void hitsArePatchedForTheQueryAndValidForOneGeneration() {
        AnswerCache c = new AnswerCache(10);
        byte[] first = q("a.cluster.local.", 1, false);
        QueryView v = QueryView.parse(first, first.length);
        byte[] response = first.clone();
        response[2] = (byte) 0x84; // QR AA, RD clear
        c.put(c.key(first, v, 512), response, 7);

        byte[] second = q("A.CLUSTER.LOCAL.", 0xBEEF, false);
        second[3] |= 0x10; // CD
        QueryView w = QueryView.parse(second, second.length);
        byte[] hit = c.get(c.key(second, w, 512), second, w, 7);
        assertThat(QueryView.u16(hit, 0)).isEqualTo(0xBEEF);
        assertThat(hit[2] & 0xFF).isEqualTo(0x85); // RD copied from the query
        assertThat(hit[3] & 0x10).isEqualTo(0x10);
        assertThat(new String(hit, 12, w.nameEnd() - 12)).contains("CLUSTER");
        assertThat(response[0]).isEqualTo((byte) 0); // the cached bytes are untouched
        assertThat(c.get(c.key(second, w, 512), second, w, 8)).isNull();
    }

    @Test
    void isEmptiedWhenFull() {
        AnswerCache c = new AnswerCache(3);
        for (int i = 0; i < 3; i++) {
            byte[] q = q("n" + i + ".cluster.local.", i, false);
            c.put(c.key(q, QueryView.parse(q, q.length), 512), q, 1);
        }
        assertThat(c.size()).isEqualTo(3);
        byte[] q = q("n9.cluster.local.", 9, false);
        c.put(c.key(q, QueryView.parse(q, q.length), 512), q, 1);
        assertThat(c.size()).isLessThanOrEqualTo(3);
    }
}
