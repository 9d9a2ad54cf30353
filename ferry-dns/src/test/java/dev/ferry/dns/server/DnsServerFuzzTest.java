package dev.ferry.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Random and mutated packets (bit flips, truncations, compression-pointer loops, huge section counts, bad OPT records,
 * oversized TCP length prefixes, garbage on TCP) against the running server and against the responder directly;
 * afterwards the server answers a valid query correctly and no exception escaped ({@link DnsMetrics#errors()}).
 */
class DnsServerFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());

    private static List<byte[]> seeds() {
        List<byte[]> s = new ArrayList<>();
        s.add(Dns.query("a.cluster.local.", Type.A, false, 0).toWire());
        s.add(Dns.query("big.cluster.local.", Type.A, true, 4096).toWire());
        s.add(Dns.query("nope.cluster.local.", Type.AAAA, true, 512).toWire());
        s.add(Dns.query("cluster.local.", Type.ANY, true, 1232).toWire());
        s.add(Dns.query("cluster.local.", Type.AXFR, false, 0).toWire());
        s.add(Dns.query("www.example.org.", Type.A, true, 1232).toWire());
        Message withOption = Dns.query("txt.cluster.local.", Type.TXT, false, 0);
        withOption.addRecord(new OPTRecord(1232, 0, 0, 0, List.<EDNSOption>of(new GenericEDNSOption(10,
                new byte[8]))), Section.ADDITIONAL);
        s.add(withOption.toWire());
        return s;
    }

    /** One fuzzed packet made from a valid query (or pure noise). */
    private static byte[] mutate(Random r, List<byte[]> seeds) {
        byte[] p = seeds.get(r.nextInt(seeds.size())).clone();
        switch (r.nextInt(9)) {
            case 0 -> { // bit flips
                for (int i = r.nextInt(1, 9); i > 0; i--) {
                    int bit = r.nextInt(p.length * 8);
                    p[bit / 8] ^= (byte) (1 << (bit % 8));
                }
            }
            case 1 -> p = Arrays.copyOf(p, r.nextInt(p.length)); // truncation
            case 2 -> { // a compression pointer to itself, or anywhere
                int at = 12 + r.nextInt(Math.max(1, p.length - 13));
                p[at] = (byte) (0xC0 | r.nextInt(4));
                p[at + 1] = r.nextBoolean() ? (byte) at : (byte) r.nextInt(256);
            }
            case 3 -> { // huge section counts
                int section = 4 + 2 * r.nextInt(4);
                p[section] = (byte) 0xFF;
                p[section + 1] = (byte) r.nextInt(256);
            }
            case 4 -> { // random bytes
                p = new byte[r.nextInt(600)];
                r.nextBytes(p);
            }
            case 5 -> { // random header over a valid body
                byte[] h = new byte[12];
                r.nextBytes(h);
                System.arraycopy(h, 2, p, 2, 10);
            }
            case 6 -> { // a bad OPT: other version, wrong rdlength, several OPTs
                p = Arrays.copyOf(p, p.length + 11);
                p[11]++;
                int o = p.length - 11;
                p[o + 2] = 41;
                p[o + 6] = (byte) r.nextInt(3);
                p[o + 10] = (byte) r.nextInt(20);
            }
            case 7 -> { // overlong labels
                p[12] = (byte) r.nextInt(64, 256);
            }
            default -> { // trailing garbage
                byte[] tail = new byte[r.nextInt(1, 64)];
                r.nextBytes(tail);
                byte[] q = Arrays.copyOf(p, p.length + tail.length);
                System.arraycopy(tail, 0, q, p.length, tail.length);
                p = q;
            }
        }
        return p;
    }

    @Test
    void theResponderSurvivesHundredsOfThousandsOfMutations() throws Exception {
        DnsMetrics metrics = new DnsMetrics(new PrometheusRegistry());
        Responder responder = new Responder(new StaticAuthority(), null, metrics, new AnswerCache(1000), 1232);
        Random r = new Random(SEED);
        List<byte[]> seeds = seeds();
        int[] replies = new int[1];
        Responder.Sink sink = new Responder.Sink() {
            @Override
            public void reply(byte[] wire) {
                replies[0]++;
            }

            @Override
            public void end() {
            }
        };
        for (int i = 0; i < 200_000; i++) {
            byte[] p = mutate(r, seeds);
            Transport t = r.nextBoolean() ? Transport.UDP : Transport.TCP;
            byte[] hit = responder.cached(p, p.length, t);
            if (hit == null) {
                responder.handle(p, p.length, t, sink);
            }
        }
        assertThat(metrics.errors()).as("seed %d", SEED).isZero();
        assertThat(replies[0]).isPositive();
    }

    private static Message udpOrNull(InetSocketAddress address, Message q) {
        try {
            return Dns.udp(address, q);
        } catch (IOException e) {
            return null;
        }
    }

    @Test
    void theServerSurvivesFuzzOverUdpAndTcp() throws Exception {
        DnsMetrics metrics = new DnsMetrics(new PrometheusRegistry());
        try (TinyUpstream upstream = new TinyUpstream();
                Forwarder forwarder = Forwarder.start(ForwarderConfig.defaults(List.of(upstream.address())),
                        java.time.Clock.systemUTC(), metrics);
                DnsServer server = DnsServer.start(DnsServerConfig.defaults(List.of(Dns.randomLoopback()))
                        .withEventLoops(2).withTcpIdleTimeout(Duration.ofMillis(500)), new StaticAuthority(),
                        forwarder, metrics)) {
            upstream.records.put("www.example.org.", List.of(new ARecord(StaticAuthority.name("www.example.org."),
                    1, 60, InetAddress.getByName("192.0.2.1"))));
            InetSocketAddress address = server.udpAddresses().getFirst();
            Random r = new Random(SEED);
            List<byte[]> seeds = seeds();
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                for (int i = 0; i < 5000; i++) {
                    byte[] p = mutate(r, seeds);
                    s.send(new DatagramPacket(p, p.length, address));
                }
            }
            for (int c = 0; c < 200; c++) {
                try (Socket s = new Socket()) {
                    s.connect(address, 2000);
                    OutputStream out = s.getOutputStream();
                    switch (c % 4) {
                        case 0 -> out.write(new byte[] {(byte) 0xFF, (byte) 0xFF, 1, 2, 3}); // oversized prefix
                        case 1 -> { // garbage
                            byte[] g = new byte[r.nextInt(1, 3000)];
                            r.nextBytes(g);
                            out.write(g);
                        }
                        default -> { // framed mutations
                            for (int i = 0; i < 20; i++) {
                                byte[] p = mutate(r, seeds);
                                out.write(new byte[] {(byte) (p.length >> 8), (byte) p.length});
                                out.write(p);
                            }
                        }
                    }
                    out.flush();
                } catch (IOException e) {
                    // the server may close first
                }
            }
            Message q = Dns.query("a.cluster.local.", Type.A, true, 1232);
            // UDP may lose a query while the socket's buffer is still full of the fuzz: ask until answered
            AtomicReference<Message> answered = new AtomicReference<>();
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
                    .until(() -> answered.updateAndGet(m -> m != null ? m : udpOrNull(address, q)) != null);
            Message udp = answered.get();
            assertThat(udp.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(udp.getHeader().getID()).isEqualTo(q.getHeader().getID());
            assertThat(((ARecord) udp.getSection(Section.ANSWER).getFirst()).getAddress().getHostAddress())
                    .isEqualTo("127.96.0.1");
            Message tcp = Dns.tcp(address, 1, q.toWire()).getFirst();
            assertThat(tcp.getSection(Section.ANSWER)).hasSize(1);
            assertThat(metrics.errors()).as("seed %d", SEED).isZero();
        }
    }
}
