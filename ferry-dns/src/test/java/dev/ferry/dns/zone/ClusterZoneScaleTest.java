package dev.ferry.dns.zone;

import static dev.ferry.dns.zone.Zones.ask;
import static dev.ferry.dns.zone.Zones.port;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.dns.records.EndpointInfo;
import dev.ferry.dns.records.PortInfo;
import dev.ferry.dns.records.ServiceInfo;
import dev.ferry.dns.records.SliceInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * A sanity run at the benchmark scale: 10,000 Services, one in ten headless with 10 endpoints. Checks answers
 * and prints rough build time, heap and lookup rate; asserts no timing.
 */
class ClusterZoneScaleTest {
    private static final int SERVICES = 10_000;

    @Test
    void tenThousandServices() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapBefore = rt.totalMemory() - rt.freeMemory();
        long t0 = System.nanoTime();

        ClusterZone zone = new ClusterZone(ZoneConfig.defaults(), Zones.fixedClock());
        List<PortInfo> ports = List.of(port("http", "TCP", 80));
        for (int i = 0; i < SERVICES; i++) {
            String ns = "ns" + (i % 100);
            String name = "svc" + i;
            if (i % 10 == 0) {
                zone.putService(new ServiceInfo(ns, name, ServiceInfo.Kind.HEADLESS, List.of(), "", ports, false));
                List<EndpointInfo> endpoints = new ArrayList<>();
                for (int e = 0; e < 10; e++) {
                    endpoints.add(new EndpointInfo(
                            Zones.ips("10.1." + (i / 10 / 250) + "." + ((i / 10) % 250 * 10 % 250 + e)),
                            "", true, ""));
                }
                zone.putSlice(new SliceInfo(ns, name + "-x", name, "IPv4", endpoints, ports));
            } else {
                zone.putService(new ServiceInfo(ns, name, ServiceInfo.Kind.CLUSTER_IP,
                        Zones.ips("127.96." + (i / 250) + "." + (i % 250 + 1)), "", ports, false));
            }
        }
        long built = System.nanoTime() - t0;
        System.gc();
        long heapAfter = rt.totalMemory() - rt.freeMemory();

        assertThat(ask(zone, "svc1.ns1.svc.cluster.local.", Type.A).answer())
                .containsExactly("svc1.ns1.svc.cluster.local. 5 IN A 127.96.0.2");
        assertThat(ask(zone, "svc10.ns10.svc.cluster.local.", Type.A).answer()).hasSize(10);
        assertThat(ask(zone, "_http._tcp.svc10.ns10.svc.cluster.local.", Type.SRV).answer()).hasSize(10);
        assertThat(ask(zone, "svc10.ns11.svc.cluster.local.", Type.A).rcode()).isEqualTo("NXDOMAIN");

        List<Message> queries = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            queries.add(Zones.query("svc" + (i * 7 % SERVICES) + ".ns" + (i * 7 % SERVICES % 100)
                    + ".svc.cluster.local.", Type.A));
        }
        int answered = 0;
        long t1 = System.nanoTime();
        for (int round = 0; round < 100; round++) {
            for (Message q : queries) {
                answered += zone.answer(q).getHeader().getCount(1);
            }
        }
        long asked = System.nanoTime() - t1;
        assertThat(answered).isPositive();
        System.out.printf("ClusterZoneScaleTest: built %d services in %d ms, ~%d MB retained, %.0f answers/s%n",
                SERVICES, built / 1_000_000, (heapAfter - heapBefore) >> 20, 100_000 / (asked / 1e9));
    }
}
