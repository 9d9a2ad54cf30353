package dev.ferry.dns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RFC 1035/6891 behaviour on raw packets, the answer cache, and TCP connection handling. */
class DnsServerProtocolTest {
    private StaticAuthority authority;
    private DnsMetrics metrics;
    private DnsServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        authority = new StaticAuthority();
        metrics = new DnsMetrics(new PrometheusRegistry());
        server = DnsServer.start(DnsServerConfig.defaults(List.of(Dns.randomLoopback())).withEventLoops(2)
                .withTcpIdleTimeout(Duration.ofMillis(300)).withMaxTcpConnections(2), authority, null, metrics);
        address = server.udpAddresses().getFirst();
    }

    @AfterEach
    void stop() {
        server.close();
        assertThat(metrics.errors()).isZero();
    }

    /** Sends every packet from one socket in order and returns the first response. */
    private byte[] firstResponse(byte[]... packets) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(5000);
            for (byte[] p : packets) {
                s.send(new DatagramPacket(p, p.length, address));
            }
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return Arrays.copyOf(buf, p.getLength());
        }
    }

    private static byte[] withId(Message m, int id) {
        m.getHeader().setID(id);
        return m.toWire();
    }

    @Test
    void shortPacketsAndResponsesAreDropped() throws Exception {
        byte[] valid = withId(Dns.query("a.cluster.local.", Type.A, false, 0), 7);
        byte[] response = withId(Dns.query("a.cluster.local.", Type.A, false, 0), 5);
        response[2] |= (byte) 0x80;
        byte[] r = firstResponse(new byte[11], response, valid);
        assertThat(QueryView.u16(r, 0)).isEqualTo(7);
    }

    @Test
    void datagramsLongerThanAnyQueryAreCutAndDoNotHurt() throws Exception {
        byte[] valid = withId(Dns.query("a.cluster.local.", Type.A, false, 0), 8);
        byte[] huge = Arrays.copyOf(withId(Dns.query("a.cluster.local.", Type.A, false, 0), 9), 20_000);
        byte[] r = firstResponse(huge, valid);
        assertThat(QueryView.u16(r, 0)).isIn(8, 9);
    }

    @Test
    void malformedQueriesGetFormerrWithTheirId() throws Exception {
        byte[] valid = withId(Dns.query("a.cluster.local.", Type.A, false, 0), 0x1234);
        byte[] cut = Arrays.copyOf(valid, valid.length - 3); // the question ends early
        Message formerr = new Message(firstResponse(cut));
        assertThat(formerr.getHeader().getID()).isEqualTo(0x1234);
        assertThat(formerr.getRcode()).isEqualTo(Rcode.FORMERR);

        byte[] none = valid.clone();
        none[5] = 0; // qdcount 0
        assertThat(new Message(firstResponse(Arrays.copyOf(none, 12))).getRcode()).isEqualTo(Rcode.FORMERR);
        Message two = Dns.query("a.cluster.local.", Type.A, false, 0);
        two.addRecord(Record.newRecord(StaticAuthority.name("txt.cluster.local."), Type.TXT, DClass.IN),
                Section.QUESTION);
        Message r = new Message(firstResponse(two.toWire()));
        assertThat(r.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(r.getHeader().getID()).isEqualTo(two.getHeader().getID());
    }

    @Test
    void ednsVersionAboveZeroGetsBadvers() throws Exception {
        Message q = Dns.query("a.cluster.local.", Type.A, false, 0);
        q.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);
        Message r = new Message(firstResponse(q.toWire()));
        assertThat(r.getRcode()).isEqualTo(Rcode.BADVERS);
        assertThat(r.getOPT()).isNotNull();
    }

    @Test
    void otherClassesAndUdpTransfersAreRefused() throws Exception {
        Message chaos = Message.newQuery(Record.newRecord(StaticAuthority.name("version.bind."), Type.TXT,
                DClass.CH));
        assertThat(new Message(firstResponse(chaos.toWire())).getRcode()).isEqualTo(Rcode.REFUSED);
        Message axfr = Dns.query("cluster.local.", Type.AXFR, false, 0);
        assertThat(new Message(firstResponse(axfr.toWire())).getRcode()).isEqualTo(Rcode.REFUSED);
        Message ixfr = Dns.query("cluster.local.", Type.IXFR, false, 0);
        assertThat(new Message(firstResponse(ixfr.toWire())).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void ixfrOverTcpIsAnsweredWithTheWholeZone() throws Exception {
        Message r = Dns.tcp(address, 1, Dns.query("cluster.local.", Type.IXFR, false, 0).toWire()).getFirst();
        List<Record> answer = r.getSection(Section.ANSWER);
        assertThat(answer).hasSize(106);
        assertThat(answer.getFirst().getType()).isEqualTo(Type.SOA);
        assertThat(answer.getLast().getType()).isEqualTo(Type.SOA);
    }

    @Test
    void cacheHitsEchoTheClientsCaseAndId() throws Exception {
        byte[] first = firstResponse(withId(Dns.query("a.cluster.local.", Type.A, true, 1232), 1));
        int answered = authority.answers();
        Message hit = new Message(firstResponse(withId(Dns.query("A.CLUSTER.local.", Type.A, true, 1232), 2)));
        assertThat(authority.answers()).isEqualTo(answered);
        assertThat(hit.getHeader().getID()).isEqualTo(2);
        assertThat(hit.getQuestion().getName().toString()).isEqualTo("A.CLUSTER.local.");
        assertThat(hit.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(hit.getSection(Section.ANSWER)).hasSize(1);
        assertThat(hit.toWire().length).isEqualTo(first.length);
        assertThat(metrics.cacheHits.get()).isEqualTo(1);
    }

    @Test
    void aNewGenerationIsNotAnsweredFromTheCache() throws Exception {
        Message q = Dns.query("a.cluster.local.", Type.A, false, 0);
        Message before = new Message(firstResponse(q.toWire()));
        assertThat(((ARecord) before.getSection(Section.ANSWER).getFirst()).getAddress().getHostAddress())
                .isEqualTo("127.96.0.1");
        authority.setA("127.96.0.2");
        Message after = new Message(firstResponse(q.toWire()));
        assertThat(((ARecord) after.getSection(Section.ANSWER).getFirst()).getAddress().getHostAddress())
                .isEqualTo("127.96.0.2");
    }

    @Test
    void tcpAnswersSeveralQueriesInOrder() throws Exception {
        List<Message> rs = Dns.tcp(address, 3, withId(Dns.query("a.cluster.local.", Type.A, false, 0), 11),
                withId(Dns.query("nope.cluster.local.", Type.A, false, 0), 12),
                withId(Dns.query("big.cluster.local.", Type.A, true, 1232), 13));
        assertThat(rs).extracting(m -> m.getHeader().getID()).containsExactly(11, 12, 13);
        assertThat(rs.get(1).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(rs.get(2).getSection(Section.ANSWER)).hasSize(100);
        assertThat(rs.get(2).getHeader().getFlag(Flags.TC)).isFalse();
    }

    private static boolean closedByServer(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    @Test
    void tcpConnectionsThatNeverFinishAMessageAreClosedWhenIdle() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(server.tcpAddresses().getFirst());
            s.getOutputStream().write(new byte[] {0x00, 0x40, 0x12, 0x34}); // 64 bytes announced, 2 sent
            s.getOutputStream().flush();
            assertThat(closedByServer(s)).isTrue();
        }
    }

    @Test
    void tcpLengthPrefixesShorterThanAHeaderCloseTheConnection() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(server.tcpAddresses().getFirst());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeShort(5);
            out.write(new byte[5]);
            out.flush();
            assertThat(closedByServer(s)).isTrue();
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAndTheOthersStillServed() throws Exception {
        try (Socket a = new Socket(); Socket b = new Socket(); Socket c = new Socket()) {
            a.connect(address);
            b.connect(address);
            // the two have to be registered before the third comes: ask on both
            for (Socket s : List.of(a, b)) {
                exchange(s, Dns.query("a.cluster.local.", Type.A, false, 0).toWire());
            }
            c.connect(address);
            assertThat(closedByServer(c)).isTrue();
            Message r = exchange(a, withId(Dns.query("a.cluster.local.", Type.A, false, 0), 99));
            assertThat(r.getHeader().getID()).isEqualTo(99);
            assertThat(metrics.tcpRejected.get()).isEqualTo(1);
        }
    }

    private static Message exchange(Socket s, byte[] q) throws IOException {
        s.setSoTimeout(5000);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeShort(q.length);
        out.write(q);
        out.flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] b = new byte[in.readUnsignedShort()];
        in.readFully(b);
        return new Message(b);
    }

    @Test
    void aTakenAddressFailsWithAMessageNamingItTheCauseAndTheFix() throws Exception {
        InetSocketAddress taken = Dns.randomLoopback();
        try (DatagramSocket s = new DatagramSocket(taken)) {
            InetSocketAddress bound = (InetSocketAddress) s.getLocalSocketAddress();
            assertThatThrownBy(() -> DnsServer.start(DnsServerConfig.defaults(List.of(bound)).withEventLoops(1),
                    authority, null, metrics))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(bound.getAddress().getHostAddress() + ":" + bound.getPort())
                    .hasMessageContaining("in use").hasMessageContaining("choose another address or port");
        }
    }

    @Test
    void aSecondServerOnTheSameAddressFailsInsteadOfSharingIt() {
        assertThatThrownBy(() -> DnsServer.start(DnsServerConfig.defaults(List.of(address)).withEventLoops(2),
                authority, null, metrics))
                .isInstanceOf(IOException.class).hasMessageContaining("in use");
    }

    @Test
    void aPrivilegedPortFailureSuggestsTheCapabilityOrAnotherPort() {
        IOException e = DnsServer.bindError("UDP", new InetSocketAddress(InetAddress.getLoopbackAddress(), 53),
                new java.net.SocketException("bind(..) failed with error(-13): Permission denied"));
        assertThat(e).hasMessageContaining("127.0.0.1:53").hasMessageContaining("Permission denied")
                .hasMessageContaining("CAP_NET_BIND_SERVICE").hasMessageContaining("--dns-address 127.0.0.1:1053");
        IOException missing = DnsServer.bindError("TCP", new InetSocketAddress(InetAddress.getLoopbackAddress(), 53),
                new java.net.SocketException("bind(..) failed: Cannot assign requested address"));
        assertThat(missing).hasMessageContaining("ip addr add");
    }
}
