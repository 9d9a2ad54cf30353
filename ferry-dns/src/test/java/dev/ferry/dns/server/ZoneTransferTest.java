package dev.ferry.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.dns.Authority;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** A zone too big for one message is transferred in several, each within 64 KiB, SOA first and last. */
class ZoneTransferTest {
    @Test
    void aLargeZoneIsStreamedInSeveralMessages() throws Exception {
        StaticAuthority small = new StaticAuthority();
        List<Record> zone = new ArrayList<>();
        zone.add(StaticAuthority.soa());
        for (int i = 0; i < 5000; i++) {
            zone.add(new ARecord(StaticAuthority.name("host-" + i + ".ns-" + (i % 7) + ".svc.cluster.local."),
                    DClass.IN, 30, InetAddress.getByAddress(new byte[] {127, 97, (byte) (i >> 8), (byte) i})));
        }
        zone.add(StaticAuthority.soa());
        Authority big = new Authority() {
            @Override
            public Message answer(Message query) {
                return small.answer(query);
            }

            @Override
            public List<Record> transfer(Name z) {
                return z.equals(StaticAuthority.ZONE) ? zone : null;
            }

            @Override
            public long generation() {
                return 1;
            }
        };
        DnsMetrics metrics = new DnsMetrics(new PrometheusRegistry());
        try (DnsServer server = DnsServer.start(DnsServerConfig.defaults(List.of(Dns.randomLoopback()))
                .withEventLoops(1), big, null, metrics); Socket s = new Socket()) {
            s.connect(server.tcpAddresses().getFirst());
            s.setSoTimeout(5000);
            byte[] q = Dns.query("cluster.local.", Type.AXFR, false, 0).toWire();
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeShort(q.length);
            out.write(q);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            List<Record> got = new ArrayList<>();
            int messages = 0;
            while (got.size() < 2 || got.getLast().getType() != Type.SOA) {
                byte[] b = new byte[in.readUnsignedShort()];
                in.readFully(b);
                messages++;
                got.addAll(new Message(b).getSection(Section.ANSWER));
            }
            assertThat(messages).isGreaterThan(1);
            assertThat(got).isEqualTo(zone);
            assertThat(metrics.errors()).isZero();
        }
    }
}
