package dev.ferry.dns.zone;

import static dev.ferry.dns.zone.Zones.clusterIp;
import static dev.ferry.dns.zone.Zones.external;
import static dev.ferry.dns.zone.Zones.headless;
import static dev.ferry.dns.zone.Zones.name;
import static dev.ferry.dns.zone.Zones.pod;
import static dev.ferry.dns.zone.Zones.port;
import static dev.ferry.dns.zone.Zones.ready;
import static dev.ferry.dns.zone.Zones.slice;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** AXFR content as CoreDNS xfr.go: SOA, NS + glue, every record by owner name, SOA. */
class ClusterZoneTransferTest {
    private static final String SOA =
            "cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1700000000 7200 1800 86400 5";

    @Test
    void transfersEveryRecordInNameOrder() {
        ClusterZone zone = new ClusterZone(ZoneConfig.defaults(), Zones.fixedClock());
        zone.putService(clusterIp("ns", "web", List.of("10.0.0.1"), port("http", "TCP", 80)));
        zone.putService(headless("ns", "db"));
        zone.putSlice(slice("ns", "db-1", "db", List.of(), ready("172.0.0.1", "db-0")));
        zone.putService(external("ns", "ext", "example.org"));
        zone.putPod(pod("ns", "p", "172.0.0.1"));

        assertThat(Zones.text(zone.transfer(name("Cluster.Local.")))).containsExactly(
                SOA,
                "cluster.local. 5 IN NS ns.dns.cluster.local.",
                "ns.dns.cluster.local. 5 IN A 127.96.0.10",
                "dns-version.cluster.local. 5 IN TXT \"1.1.0\"",
                "172-0-0-1.ns.pod.cluster.local. 5 IN A 172.0.0.1",
                "db.ns.svc.cluster.local. 5 IN A 172.0.0.1",
                "db-0.db.ns.svc.cluster.local. 5 IN A 172.0.0.1",
                "ext.ns.svc.cluster.local. 5 IN CNAME example.org.",
                "web.ns.svc.cluster.local. 5 IN A 10.0.0.1",
                "web.ns.svc.cluster.local. 5 IN SRV 0 100 80 web.ns.svc.cluster.local.",
                "_http._tcp.web.ns.svc.cluster.local. 5 IN SRV 0 100 80 web.ns.svc.cluster.local.",
                SOA);
    }

    @Test
    void onlyTheClusterZoneTransfers() {
        ClusterZone zone = new ClusterZone(ZoneConfig.defaults(), Zones.fixedClock());

        assertThat(zone.transfer(name("local."))).isNull();
        assertThat(zone.transfer(name("svc.cluster.local."))).isNull();
        assertThat(zone.transfer(name("in-addr.arpa."))).isNull();
    }

    @Test
    void configuredZoneTtlAndNameservers() {
        ZoneConfig config = new ZoneConfig(name("k8s.example."), 30, Zones.ips("127.96.0.10", "fd00::10"));
        ClusterZone zone = new ClusterZone(config, Zones.fixedClock());

        assertThat(Zones.text(zone.transfer(name("k8s.example.")))).containsExactly(
                "k8s.example. 30 IN SOA ns.dns.k8s.example. hostmaster.k8s.example. 1700000000 7200 1800 86400 30",
                "k8s.example. 30 IN NS ns.dns.k8s.example.",
                "ns.dns.k8s.example. 30 IN A 127.96.0.10",
                "ns.dns.k8s.example. 30 IN AAAA fd00::10",
                "dns-version.k8s.example. 30 IN TXT \"1.1.0\"",
                "k8s.example. 30 IN SOA ns.dns.k8s.example. hostmaster.k8s.example. 1700000000 7200 1800 86400 30");
    }
}
