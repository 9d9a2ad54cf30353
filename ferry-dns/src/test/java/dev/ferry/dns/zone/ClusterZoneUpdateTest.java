package dev.ferry.dns.zone;

import static dev.ferry.dns.zone.Zones.ask;
import static dev.ferry.dns.zone.Zones.clusterIp;
import static dev.ferry.dns.zone.Zones.external;
import static dev.ferry.dns.zone.Zones.headless;
import static dev.ferry.dns.zone.Zones.notReady;
import static dev.ferry.dns.zone.Zones.pod;
import static dev.ferry.dns.zone.Zones.port;
import static dev.ferry.dns.zone.Zones.ready;
import static dev.ferry.dns.zone.Zones.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.dns.records.SliceInfo;
import dev.ferry.testing.ManualClock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** Incremental updates: each mutator changes answers before it returns, and only when they really change. */
class ClusterZoneUpdateTest {
    private final ManualClock clock = new ManualClock(Instant.ofEpochSecond(Zones.EPOCH));
    private final ClusterZone zone = new ClusterZone(ZoneConfig.defaults(), clock);

    private String rcode(String name, int type) {
        return ask(zone, name, type).rcode();
    }

    private List<String> answer(String name, int type) {
        return ask(zone, name, type).answer();
    }

    @Test
    void serviceChangeMovesItsAddressAndPtr() {
        zone.putService(clusterIp("ns", "web", List.of("10.0.0.1"), port("http", "TCP", 80)));
        zone.putService(clusterIp("ns", "web", List.of("10.0.0.2"), port("http", "TCP", 80)));

        assertThat(answer("web.ns.svc.cluster.local.", Type.A)).containsExactly("web.ns.svc.cluster.local. 5 IN A 10.0.0.2");
        assertThat(ask(zone, "1.0.0.10.in-addr.arpa.", Type.PTR)).isNull();
        assertThat(answer("2.0.0.10.in-addr.arpa.", Type.PTR))
                .containsExactly("2.0.0.10.in-addr.arpa. 5 IN PTR web.ns.svc.cluster.local.");
    }

    @Test
    void portRenameReplacesItsSrvName() {
        zone.putService(clusterIp("ns", "web", List.of("10.0.0.1"), port("http", "TCP", 80)));
        zone.putService(clusterIp("ns", "web", List.of("10.0.0.1"), port("web", "UDP", 81)));

        assertThat(rcode("_http._tcp.web.ns.svc.cluster.local.", Type.SRV)).isEqualTo("NXDOMAIN");
        assertThat(rcode("_tcp.web.ns.svc.cluster.local.", Type.SRV)).isEqualTo("NXDOMAIN");
        assertThat(answer("_web._udp.web.ns.svc.cluster.local.", Type.SRV))
                .containsExactly("_web._udp.web.ns.svc.cluster.local. 5 IN SRV 0 100 81 web.ns.svc.cluster.local.");
    }

    @Test
    void serviceTypeChangeFromClusterIpToExternalName() {
        zone.putService(clusterIp("ns", "web", List.of("10.0.0.1"), port("http", "TCP", 80)));
        zone.putService(external("ns", "web", "example.org"));

        assertThat(answer("web.ns.svc.cluster.local.", Type.A))
                .containsExactly("web.ns.svc.cluster.local. 5 IN CNAME example.org.");
        assertThat(rcode("_http._tcp.web.ns.svc.cluster.local.", Type.SRV)).isEqualTo("NXDOMAIN");
        assertThat(ask(zone, "1.0.0.10.in-addr.arpa.", Type.PTR)).isNull();
    }

    @Test
    void slicesMayArriveBeforeTheirService() {
        zone.putSlice(slice("ns", "db-1", "db", List.of(), ready("172.0.0.1", "")));
        assertThat(rcode("db.ns.svc.cluster.local.", Type.A)).isEqualTo("NXDOMAIN");

        zone.putService(headless("ns", "db"));
        assertThat(answer("db.ns.svc.cluster.local.", Type.A)).containsExactly("db.ns.svc.cluster.local. 5 IN A 172.0.0.1");
    }

    @Test
    void sliceMovingBetweenServicesMovesItsEndpoints() {
        zone.putService(headless("ns", "a"));
        zone.putService(headless("ns", "b"));
        zone.putSlice(slice("ns", "s", "a", List.of(), ready("172.0.0.1", "")));

        zone.putSlice(slice("ns", "s", "b", List.of(), ready("172.0.0.1", "")));

        assertThat(rcode("a.ns.svc.cluster.local.", Type.A)).isEqualTo("NXDOMAIN");
        assertThat(answer("b.ns.svc.cluster.local.", Type.A)).containsExactly("b.ns.svc.cluster.local. 5 IN A 172.0.0.1");
        assertThat(answer("1.0.0.172.in-addr.arpa.", Type.PTR))
                .containsExactly("1.0.0.172.in-addr.arpa. 5 IN PTR 172-0-0-1.b.ns.svc.cluster.local.");
    }

    @Test
    void sliceLosingItsServiceLabelCountsForNone() {
        zone.putService(headless("ns", "a"));
        zone.putSlice(slice("ns", "s", "a", List.of(), ready("172.0.0.1", "")));

        zone.putSlice(slice("ns", "s", null, List.of(), ready("172.0.0.1", "")));

        assertThat(rcode("a.ns.svc.cluster.local.", Type.A)).isEqualTo("NXDOMAIN");
    }

    @Test
    void endpointTurningReadyAndBack() {
        zone.putService(headless("ns", "db", port("sql", "TCP", 5432)));
        zone.putSlice(slice("ns", "s", "db", List.of(port("sql", "TCP", 5432)), notReady("172.0.0.1", "db-0")));
        assertThat(rcode("db.ns.svc.cluster.local.", Type.A)).isEqualTo("NXDOMAIN");

        zone.putSlice(slice("ns", "s", "db", List.of(port("sql", "TCP", 5432)), ready("172.0.0.1", "db-0")));
        assertThat(answer("db-0.db.ns.svc.cluster.local.", Type.A))
                .containsExactly("db-0.db.ns.svc.cluster.local. 5 IN A 172.0.0.1");
        assertThat(answer("_sql._tcp.db.ns.svc.cluster.local.", Type.SRV))
                .containsExactly("_sql._tcp.db.ns.svc.cluster.local. 5 IN SRV 0 100 5432 db-0.db.ns.svc.cluster.local.");

        zone.putSlice(slice("ns", "s", "db", List.of(port("sql", "TCP", 5432)), notReady("172.0.0.1", "db-0")));
        assertThat(rcode("db-0.db.ns.svc.cluster.local.", Type.A)).isEqualTo("NXDOMAIN");
        assertThat(rcode("_sql._tcp.db.ns.svc.cluster.local.", Type.SRV)).isEqualTo("NXDOMAIN");
        assertThat(ask(zone, "1.0.0.172.in-addr.arpa.", Type.PTR)).isNull();
    }

    @Test
    void podSharingAnIpKeepsTheNameUntilTheLastGoes() {
        zone.putPod(pod("ns", "p1", "10.1.0.1"));
        zone.putPod(pod("ns", "p2", "10.1.0.1"));

        zone.removePod("ns", "p1");
        assertThat(rcode("10-1-0-1.ns.pod.cluster.local.", Type.A)).isEqualTo("NOERROR");

        zone.removePod("ns", "p2");
        assertThat(rcode("10-1-0-1.ns.pod.cluster.local.", Type.A)).isEqualTo("NXDOMAIN");
        assertThat(rcode("ns.pod.cluster.local.", Type.A)).isEqualTo("NXDOMAIN");
        assertThat(rcode("pod.cluster.local.", Type.A)).isEqualTo("NOERROR");
    }

    @Test
    void podLosingItsIpLosesItsName() {
        zone.putPod(pod("ns", "p1", "10.1.0.1"));
        zone.putPod(pod("ns", "p1"));

        assertThat(rcode("10-1-0-1.ns.pod.cluster.local.", Type.A)).isEqualTo("NXDOMAIN");
    }

    @Test
    void emptiedNamespaceVanishes() {
        zone.putService(clusterIp("ns", "web", List.of("10.0.0.1"), port("http", "TCP", 80)));
        zone.putService(headless("ns", "db", port("sql", "TCP", 5432)));
        zone.putSlice(slice("ns", "db-1", "db", List.of(port("sql", "TCP", 5432)), ready("172.0.0.1", "db-0")));
        zone.putService(clusterIp("other", "web", List.of("10.0.0.2"), port("http", "TCP", 80)));
        assertThat(rcode("ns.svc.cluster.local.", Type.A)).isEqualTo("NOERROR");

        zone.removeService("ns", "web");
        assertThat(rcode("ns.svc.cluster.local.", Type.A)).isEqualTo("NOERROR");
        zone.removeService("ns", "db");

        assertThat(rcode("ns.svc.cluster.local.", Type.A)).isEqualTo("NXDOMAIN");
        assertThat(rcode("db-0.db.ns.svc.cluster.local.", Type.A)).isEqualTo("NXDOMAIN");
        assertThat(rcode("_tcp.web.ns.svc.cluster.local.", Type.SRV)).isEqualTo("NXDOMAIN");
        assertThat(rcode("other.svc.cluster.local.", Type.A)).isEqualTo("NOERROR");
        assertThat(rcode("svc.cluster.local.", Type.A)).isEqualTo("NOERROR");
        assertThat(ask(zone, "1.0.0.10.in-addr.arpa.", Type.PTR)).isNull();
        assertThat(ask(zone, "1.0.0.172.in-addr.arpa.", Type.PTR)).isNull();

        // the slice is still known: the Service coming back brings its endpoints back
        zone.putService(headless("ns", "db", port("sql", "TCP", 5432)));
        assertThat(rcode("db-0.db.ns.svc.cluster.local.", Type.A)).isEqualTo("NOERROR");
        zone.removeSlice("ns", "db-1");
        assertThat(rcode("db.ns.svc.cluster.local.", Type.A)).isEqualTo("NXDOMAIN");
    }

    @Test
    void ptrOfAPodBehindTwoServicesNamesBothUntilOneGoes() {
        zone.putService(headless("ns", "a"));
        zone.putService(headless("ns", "b"));
        zone.putSlice(slice("ns", "a-1", "a", List.of(), ready("172.0.0.1", "")));
        zone.putSlice(slice("ns", "b-1", "b", List.of(), ready("172.0.0.1", "")));
        assertThat(answer("1.0.0.172.in-addr.arpa.", Type.PTR)).containsExactly(
                "1.0.0.172.in-addr.arpa. 5 IN PTR 172-0-0-1.a.ns.svc.cluster.local.",
                "1.0.0.172.in-addr.arpa. 5 IN PTR 172-0-0-1.b.ns.svc.cluster.local.");

        zone.removeService("ns", "a");

        assertThat(answer("1.0.0.172.in-addr.arpa.", Type.PTR))
                .containsExactly("1.0.0.172.in-addr.arpa. 5 IN PTR 172-0-0-1.b.ns.svc.cluster.local.");
    }

    @Test
    void clusterIpClaimWinsOverEndpointClaims() {
        zone.putService(headless("ns", "a"));
        zone.putSlice(slice("ns", "a-1", "a", List.of(), ready("10.0.0.1", "")));
        zone.putService(clusterIp("ns", "web", List.of("10.0.0.1"), port("http", "TCP", 80)));

        assertThat(answer("1.0.0.10.in-addr.arpa.", Type.PTR))
                .containsExactly("1.0.0.10.in-addr.arpa. 5 IN PTR web.ns.svc.cluster.local.");
        zone.removeService("ns", "web");
        assertThat(answer("1.0.0.10.in-addr.arpa.", Type.PTR))
                .containsExactly("1.0.0.10.in-addr.arpa. 5 IN PTR 10-0-0-1.a.ns.svc.cluster.local.");
    }

    @Test
    void generationAndSerialMoveOnlyOnRealChange() {
        long g0 = zone.generation();
        long s0 = zone.serial();
        assertThat(s0).isEqualTo(Zones.EPOCH);

        clock.advanceSeconds(10);
        assertThat(zone.putService(clusterIp("ns", "web", List.of("10.0.0.1"), port("http", "TCP", 80)))).isTrue();
        assertThat(zone.generation()).isEqualTo(g0 + 1);
        assertThat(zone.serial()).isEqualTo(Zones.EPOCH + 10);
        assertThat(ask(zone, "nope.cluster.local.", Type.A).authority().getFirst()).contains(" " + (Zones.EPOCH + 10) + " ");

        clock.advanceSeconds(10);
        assertThat(zone.putService(clusterIp("ns", "web", List.of("10.0.0.1"), port("http", "TCP", 80)))).isFalse();
        SliceInfo orphan = slice("ns", "x", null, List.of(), ready("172.0.0.1", ""));
        assertThat(zone.putSlice(orphan)).isFalse();
        assertThat(zone.putSlice(orphan)).isFalse();
        assertThat(zone.putSlice(slice("ns", "web-1", "web", List.of(), notReady("172.0.0.1", "")))).isFalse();
        assertThat(zone.removeSlice("ns", "nope")).isFalse();
        assertThat(zone.removeService("ns", "nope")).isFalse();
        assertThat(zone.removePod("ns", "nope")).isFalse();
        assertThat(zone.putPod(pod("ns", "pending"))).isFalse();
        assertThat(zone.putService(clusterIp("ns", "pending", List.of(), port("http", "TCP", 80)))).isFalse();
        assertThat(zone.generation()).isEqualTo(g0 + 1);
        assertThat(zone.serial()).isEqualTo(Zones.EPOCH + 10);

        assertThat(zone.putSlice(slice("ns", "web-1", "web", List.of(), ready("172.0.0.1", "")))).isTrue();
        assertThat(zone.generation()).isEqualTo(g0 + 2);
        assertThat(zone.serial()).isEqualTo(Zones.EPOCH + 20);
    }

    @Test
    void serialNeverGoesBackWhenTheClockDoes() {
        clock.advanceSeconds(100);
        zone.putPod(pod("ns", "p", "10.1.0.1"));
        clock.advanceSeconds(-50);
        zone.removePod("ns", "p");

        assertThat(zone.serial()).isEqualTo(Zones.EPOCH + 100);
    }
}
