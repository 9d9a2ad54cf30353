package dev.ferry.bench.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DnsWireTest {
    @Test
    void encodesAnAQueryWithoutRecursionDesired() {
        byte[] q = DnsWire.queryA(0x1234, "svc-7.default.svc.cluster.local.");

        assertThat(HexFormat.of().formatHex(q)).isEqualTo("123400000001000000000000"
                + "057376632d370764656661756c74037376630763" + "6c7573746572056c6f63616c00" + "00010001");
        assertThat(DnsWire.queryA(1, "a.b")).hasSize(12 + 5 + 4);
    }

    @Test
    void rejectsEmptyAndLongLabels() {
        assertThatThrownBy(() -> DnsWire.queryA(1, "a..b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsWire.queryA(1, "x".repeat(64))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsIdRcodeAndTheAddressesOfCompressedAnswers() {
        byte[] q = DnsWire.queryA(0xbeef, "a.b");
        // header: id, QR|AA, RCODE 0, 1 question, 3 answers (A, AAAA, A), question, answers named by pointer 0xc00c
        String hex = "beef" + "8400" + "0001" + "0003" + "0000" + "0000"
                + HexFormat.of().formatHex(q, 12, q.length)
                + "c00c" + "0001" + "0001" + "00000005" + "0004" + "7f520001"
                + "c00c" + "001c" + "0001" + "00000005" + "0010" + "00".repeat(16)
                + "c00c" + "0001" + "0001" + "00000005" + "0004" + "0a600008";
        byte[] r = HexFormat.of().parseHex(hex);

        DnsWire.Answer a = DnsWire.parse(r, r.length);

        assertThat(a.id()).isEqualTo(0xbeef);
        assertThat(a.rcode()).isZero();
        assertThat(a.addresses()).containsExactly("127.82.0.1", "10.96.0.8");
    }

    @Test
    void readsNxdomainAndRejectsTruncatedResponses() {
        byte[] q = DnsWire.queryA(7, "a.b");
        q[2] = (byte) 0x84;
        q[3] = 0x03;

        assertThat(DnsWire.parse(q, q.length).rcode()).isEqualTo(3);
        assertThat(DnsWire.parse(q, q.length).addresses()).isEmpty();
        assertThatThrownBy(() -> DnsWire.parse(q, 11)).isInstanceOf(IllegalArgumentException.class);
        q[7] = 1; // one answer that is not there
        assertThatThrownBy(() -> DnsWire.parse(q, q.length)).isInstanceOf(IllegalArgumentException.class);
    }
}
