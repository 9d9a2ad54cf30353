package dev.ferry.dns.zone;

import static dev.ferry.dns.zone.Zones.headless;
import static dev.ferry.dns.zone.Zones.port;
import static dev.ferry.dns.zone.Zones.ready;
import static dev.ferry.dns.zone.Zones.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.dns.records.EndpointInfo;
import dev.ferry.dns.records.SliceInfo;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Readers racing a writer see each RRset whole: one version or the other, never a mix or a gap. */
class ClusterZoneConcurrencyTest {

    @Test
    void readersSeeWholeRrsets() throws Exception {
        ClusterZone zone = new ClusterZone(ZoneConfig.defaults(), Zones.fixedClock());
        zone.putService(headless("ns", "db", port("sql", "TCP", 5432)));
        SliceInfo even = slice("ns", "s", "db", List.of(port("sql", "TCP", 5432)), endpoints(0));
        SliceInfo odd = slice("ns", "s", "db", List.of(port("sql", "TCP", 5432)), endpoints(100));
        zone.putSlice(even);
        Set<List<String>> allowed = new HashSet<>();
        allowed.add(Zones.ask(zone, "db.ns.svc.cluster.local.", Type.A).answer());
        zone.putSlice(odd);
        allowed.add(Zones.ask(zone, "db.ns.svc.cluster.local.", Type.A).answer());
        assertThat(allowed).hasSize(2);

        AtomicBoolean done = new AtomicBoolean();
        Message query = Zones.query("db.ns.svc.cluster.local.", Type.A);
        CompletableFuture<Set<List<String>>> reader = CompletableFuture.supplyAsync(() -> {
            Set<List<String>> seen = new HashSet<>();
            while (!done.get()) {
                seen.add(Zones.text(zone.answer(query).getSection(Section.ANSWER)));
            }
            return seen;
        });
        for (int i = 0; i < 2_000; i++) {
            zone.putSlice(i % 2 == 0 ? even : odd);
        }
        done.set(true);

        assertThat(allowed).containsAll(reader.get());
    }

    private static EndpointInfo[] endpoints(int first) {
        EndpointInfo[] out = new EndpointInfo[10];
        for (int i = 0; i < out.length; i++) {
            out[i] = ready("172.0.1." + (first + i), "");
        }
        return out;
    }
}
