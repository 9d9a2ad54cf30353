package dev.ferry.proxy.route;

import static dev.ferry.proxy.Fixtures.addr;
import static dev.ferry.proxy.Fixtures.ep;
import static dev.ferry.proxy.Fixtures.ip;
import static dev.ferry.proxy.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.Fixtures.Ep;
import dev.ferry.proxy.Fixtures.Svc;
import dev.ferry.proxy.model.EndpointInfo;
import dev.ferry.proxy.model.NodeDirectory;
import dev.ferry.proxy.route.ServiceRoute.Kind;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Route semantics for one frontend. Addresses: node-a (this proxy's node, zone-a) has pods in 127.244.1.0/24 and
 * address 127.77.1.1; node-b (zone-b) 127.244.2.0/24 and 127.77.2.1; node-c (zone-c, no endpoints)
 * 127.244.3.0/24 and 127.77.3.1. 127.9.x.y clients are outside the cluster.
 */
class ServiceRouteTest {
    static final String A1 = "127.244.1.10:8080";
    static final String A2 = "127.244.1.11:8080";
    static final String B1 = "127.244.2.10:8080";
    static final String B2 = "127.244.2.11:8080";
    static final InetSocketAddress POD_A = addr("127.244.1.99", 40000);
    static final InetSocketAddress POD_B = addr("127.244.2.99", 40000);
    static final InetSocketAddress POD_C = addr("127.244.3.99", 40000);
    static final InetSocketAddress NODE_B = addr("127.77.2.1", 40000);
    static final InetSocketAddress OUTSIDE = addr("127.9.9.9", 40000);
    static final String MASQUERADE = "127.77.1.1";

    private final NodeDirectory nodes = NodeDirectory.of("node-a", List.of(
            node("node-a", "zone-a", "127.244.1.0/24", "127.77.1.1"),
            node("node-b", "zone-b", "127.244.2.0/24", "127.77.2.1"),
            node("node-c", "zone-c", "127.244.3.0/24", "127.77.3.1")));
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final ServicePortState state = new ServicePortState();
    private final Svc base = Svc.of("ns", "web", "127.96.0.10", 80);

    private static List<Ep> fourEndpoints() {
        return List.of(ep(A1).node("node-a"), ep(A2).node("node-a"), ep(B1).node("node-b"), ep(B2).node("node-b"));
    }

    private ServiceRoute route(Svc svc, Kind kind, List<Ep> eps, int maxCandidates) {
        List<EndpointInfo> infos = eps.stream().map(Ep::info).toList();
        return new ServiceRoute(svc.info(), kind, infos, nodes, ip(MASQUERADE), state, clock::get, maxCandidates);
    }

    private ServiceRoute route(Svc svc, Kind kind, List<Ep> eps) {
        return route(svc, kind, eps, 3);
    }

    private static String first(Pick p) {
        assertThat(p.refused()).as("refused").isFalse();
        return p.candidates().get(0).toString();
    }

    /** The first choices of {@code n} picks from {@code client}. */
    private static Set<String> firstChoices(Route r, InetSocketAddress client, int n) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < n; i++) {
            out.add(first(r.pick(client)));
        }
        return out;
    }

    @Test
    void roundRobinSpreadsExactlyEvenly() {
        ServiceRoute r = route(base, Kind.CLUSTER_IP, fourEndpoints());
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            InetSocketAddress client = addr("127.9.0." + (i % 7 + 1), 40000 + i);
            counts.merge(first(r.pick(client)), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys(A1, A2, B1, B2).allSatisfy((k, v) -> assertThat(v).isEqualTo(100));
    }

    @Test
    void concurrentPicksStillSpreadExactlyEvenly() throws Exception {
        ServiceRoute r = route(base.itpLocal(), Kind.CLUSTER_IP, fourEndpoints());
        int threads = 4;
        int perThread = 2000;
        ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        counts.computeIfAbsent(first(r.pick(POD_A)), k -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(counts).containsOnlyKeys(A1, A2);
        assertThat(counts.get(A1).get()).isEqualTo(threads * perThread / 2);
        assertThat(counts.get(A2).get()).isEqualTo(threads * perThread / 2);
    }

    @Test
    void candidatesFollowRingOrderCappedAtMaxCandidates() {
        ServiceRoute r = route(base, Kind.CLUSTER_IP, fourEndpoints(), 3);
        List<String> ring = List.of(A1, A2, B1, B2);
        String firstChoice = first(r.pick(OUTSIDE));
        int start = ring.indexOf(firstChoice);
        for (int i = 1; i <= 8; i++) {
            List<String> got = r.pick(OUTSIDE).candidates().stream().map(Backend::toString).toList();
            int at = (start + i) % 4;
            assertThat(got).containsExactly(ring.get(at), ring.get((at + 1) % 4), ring.get((at + 2) % 4));
        }
    }

    @Test
    void candidatesNeverRepeatWhenFewerEndpointsThanMaxCandidates() {
        ServiceRoute r = route(base, Kind.CLUSTER_IP, List.of(ep(A1), ep(B1)), 5);
        for (int i = 0; i < 4; i++) {
            assertThat(r.pick(OUTSIDE).candidates()).hasSize(2).doesNotHaveDuplicates();
        }
        ServiceRoute one = route(base, Kind.CLUSTER_IP, fourEndpoints(), 1);
        assertThat(one.pick(OUTSIDE).candidates()).hasSize(1);
    }

    @Test
    void roundRobinPositionIsSharedAcrossRouteReplacement() {
        // the state outlives a route: a rebuilt route continues where the old one stopped
        ServiceRoute before = route(base, Kind.CLUSTER_IP, fourEndpoints());
        String a = first(before.pick(OUTSIDE));
        ServiceRoute after = route(base, Kind.CLUSTER_IP, fourEndpoints());
        String b = first(after.pick(OUTSIDE));
        assertThat(b).isNotEqualTo(a);
    }

    @Test
    void affinityPinsClientUntilTimeoutThenRoundRobinAgain() {
        Svc svc = base.affinity(Duration.ofSeconds(10));
        ServiceRoute r = route(svc, Kind.CLUSTER_IP, fourEndpoints());
        InetSocketAddress client = addr("127.9.1.1", 40000);

        Pick p = r.pick(client);
        Backend chosen = p.candidates().get(0);
        r.connected(client, chosen);
        for (int i = 0; i < 8; i++) {
            // the same client from another source port, interleaved with other clients moving the ring
            assertThat(first(r.pick(addr("127.9.1.1", 50000 + i)))).isEqualTo(chosen.toString());
            r.pick(addr("127.9.2." + (i + 1), 40000));
        }
        assertThat(firstChoices(r, addr("127.9.3.3", 40000), 4)).as("other clients are not pinned")
                .containsExactlyInAnyOrder(A1, A2, B1, B2);

        clock.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
        assertThat(first(r.pick(client))).as("just before the timeout").isEqualTo(chosen.toString());

        clock.addAndGet(1);
        assertThat(firstChoices(r, client, 4)).as("after the timeout").containsExactlyInAnyOrder(A1, A2, B1, B2);
    }

    @Test
    void pinnedCandidatesContinueInRingOrder() {
        ServiceRoute r = route(base.affinity(Duration.ofMinutes(1)), Kind.CLUSTER_IP, fourEndpoints(), 2);
        r.connected(OUTSIDE, new Backend(addr("127.244.2.10", 8080), "node-b"));
        assertThat(r.pick(OUTSIDE).candidates()).extracting(Backend::toString).containsExactly(B1, B2);
    }

    @Test
    void connectedRefreshesThePin() {
        ServiceRoute r = route(base.affinity(Duration.ofSeconds(10)), Kind.CLUSTER_IP, fourEndpoints());
        Backend b = r.pick(OUTSIDE).candidates().get(0);
        r.connected(OUTSIDE, b);
        clock.addAndGet(Duration.ofSeconds(8).toNanos());
        r.connected(OUTSIDE, b);
        clock.addAndGet(Duration.ofSeconds(8).toNanos());
        assertThat(first(r.pick(OUTSIDE))).isEqualTo(b.toString());
    }

    @Test
    void withoutAffinityConnectedDoesNotPin() {
        ServiceRoute r = route(base, Kind.CLUSTER_IP, fourEndpoints());
        r.connected(OUTSIDE, r.pick(OUTSIDE).candidates().get(0));
        assertThat(state.pinned()).isZero();
        assertThat(firstChoices(r, OUTSIDE, 4)).hasSize(4);
    }

    @Test
    void pinnedBackendNoLongerUsableIsNotUsed() {
        Svc svc = base.affinity(Duration.ofHours(1));
        ServiceRoute r = route(svc, Kind.CLUSTER_IP, fourEndpoints());
        Backend b1 = new Backend(addr("127.244.2.10", 8080), "node-b");
        r.connected(OUTSIDE, b1);
        assertThat(first(r.pick(OUTSIDE))).isEqualTo(B1);

        // the next sync: B1 became not ready; the same state (pins) carries over
        ServiceRoute next = route(svc, Kind.CLUSTER_IP, List.of(ep(A1).node("node-a"), ep(A2).node("node-a"),
                ep(B1).node("node-b").notReady(), ep(B2).node("node-b")));
        assertThat(next.serves(b1)).isFalse();
        for (int i = 0; i < 6; i++) {
            assertThat(next.pick(OUTSIDE).candidates()).extracting(Backend::toString).doesNotContain(B1);
        }
        // gone from the slice altogether
        ServiceRoute gone = route(svc, Kind.CLUSTER_IP, List.of(ep(A1).node("node-a")));
        assertThat(gone.pick(OUTSIDE).candidates()).extracting(Backend::toString).containsExactly(A1);
    }

    @Test
    void affinityIsPerServicePortAcrossFrontendKinds() {
        Svc svc = base.affinity(Duration.ofHours(1)).nodePort(30080);
        ServiceRoute clusterIp = route(svc, Kind.CLUSTER_IP, fourEndpoints());
        ServiceRoute nodePort = route(svc, Kind.NODE_PORT, fourEndpoints());
        Backend b2 = new Backend(addr("127.244.2.11", 8080), "node-b");
        clusterIp.connected(OUTSIDE, b2);
        assertThat(first(nodePort.pick(OUTSIDE))).isEqualTo(B2);
    }

    @Test
    void expireForgetsOnlyExpiredPins() {
        ServiceRoute r = route(base.affinity(Duration.ofSeconds(10)), Kind.CLUSTER_IP, fourEndpoints());
        Backend b = r.pick(OUTSIDE).candidates().get(0);
        r.connected(OUTSIDE, b);
        clock.addAndGet(Duration.ofSeconds(5).toNanos());
        r.connected(POD_A, b);
        state.expire(clock.get());
        assertThat(state.pinned()).isEqualTo(2);
        clock.addAndGet(Duration.ofSeconds(5).toNanos());
        state.expire(clock.get());
        assertThat(state.pinned()).isEqualTo(1);
    }

    @Test
    void internalTrafficPolicyLocalSendsClientsToTheirOwnNode() {
        ServiceRoute r = route(base.itpLocal(), Kind.CLUSTER_IP, fourEndpoints());
        assertThat(firstChoices(r, POD_A, 8)).containsExactlyInAnyOrder(A1, A2);
        assertThat(r.pick(POD_A).candidates()).extracting(Backend::toString).containsExactlyInAnyOrder(A1, A2);
        assertThat(firstChoices(r, POD_B, 8)).containsExactlyInAnyOrder(B1, B2);
        assertThat(firstChoices(r, NODE_B, 8)).as("a node's own address").containsExactlyInAnyOrder(B1, B2);
        assertThat(r.pick(POD_C).refused()).as("node-c has no endpoints").isTrue();
        assertThat(firstChoices(r, OUTSIDE, 8)).as("outside: this proxy's node").containsExactlyInAnyOrder(A1, A2);
    }

    @Test
    void internalTrafficPolicyLocalFallsBackToLocalServingTerminating() {
        ServiceRoute r = route(base.itpLocal(), Kind.CLUSTER_IP, List.of(ep(A1).node("node-a").servingTerminating(),
                ep(B1).node("node-b")));
        assertThat(firstChoices(r, POD_A, 4)).containsExactly(A1);
    }

    @Test
    void externalTrafficPolicyLocalOutsideClientGetsThisNodeAndKeepsItsAddress() {
        Svc svc = base.etpLocal().nodePort(30080);
        ServiceRoute r = route(svc, Kind.NODE_PORT, fourEndpoints());
        for (int i = 0; i < 8; i++) {
            Pick p = r.pick(OUTSIDE);
            assertThat(p.candidates()).extracting(Backend::toString).containsExactlyInAnyOrder(A1, A2);
            assertThat(p.source()).isEqualTo(OUTSIDE.getAddress());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"NODE_PORT", "EXTERNAL_IP", "LOAD_BALANCER"})
    void externalTrafficPolicyLocalWithoutEndpointsOnThisNodeRefusesOutsideClients(Kind kind) {
        Svc svc = base.etpLocal().nodePort(30080).externalIps("127.77.9.1").lbIps("127.240.0.9");
        ServiceRoute r = route(svc, kind, List.of(ep(B1).node("node-b"), ep(B2).node("node-b")));
        assertThat(r.hasEndpoints()).isTrue();
        assertThat(r.pick(OUTSIDE).refused()).isTrue();
        assertThat(r.pick(POD_A).refused()).as("in-cluster clients short-circuit to the cluster set").isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"NODE_PORT", "EXTERNAL_IP", "LOAD_BALANCER"})
    void externalTrafficPolicyLocalInClusterClientShortCircuitsToClusterSet(Kind kind) {
        Svc svc = base.etpLocal().nodePort(30080).externalIps("127.77.9.1").lbIps("127.240.0.9");
        ServiceRoute r = route(svc, kind, fourEndpoints());
        assertThat(firstChoices(r, POD_B, 8)).containsExactlyInAnyOrder(A1, A2, B1, B2);
        assertThat(firstChoices(r, NODE_B, 8)).containsExactlyInAnyOrder(A1, A2, B1, B2);
        // kube-proxy: "short-circuit pod traffic" keeps the pod's address; "masquerade local traffic" for nodes
        assertThat(r.pick(POD_B).source()).as("pod client").isEqualTo(POD_B.getAddress());
        assertThat(r.pick(NODE_B).source()).as("node client").isEqualTo(ip(MASQUERADE));
    }

    @Test
    void bothPoliciesLocalInClusterClientOnNodePortShortCircuitsToClusterSet() {
        ServiceRoute r = route(base.itpLocal().etpLocal().nodePort(30080), Kind.NODE_PORT, fourEndpoints());
        assertThat(firstChoices(r, POD_C, 8)).containsExactlyInAnyOrder(A1, A2, B1, B2);
        assertThat(firstChoices(r, OUTSIDE, 8)).containsExactlyInAnyOrder(A1, A2);
        ServiceRoute clusterIp = route(base.itpLocal().etpLocal().nodePort(30080), Kind.CLUSTER_IP,
                fourEndpoints());
        assertThat(clusterIp.pick(POD_C).refused()).as("ClusterIP keeps internalTrafficPolicy Local").isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"NODE_PORT", "EXTERNAL_IP", "LOAD_BALANCER"})
    void externalTrafficPolicyClusterMasqueradesToTheNodeAddress(Kind kind) {
        Svc svc = base.nodePort(30080).externalIps("127.77.9.1").lbIps("127.240.0.9");
        ServiceRoute r = route(svc, kind, fourEndpoints());
        for (InetSocketAddress client : List.of(OUTSIDE, POD_B)) {
            Pick p = r.pick(client);
            assertThat(p.source()).isEqualTo(ip(MASQUERADE));
        }
        assertThat(firstChoices(r, OUTSIDE, 8)).containsExactlyInAnyOrder(A1, A2, B1, B2);
    }

    @Test
    void externalTrafficPolicyClusterMasqueradesAlsoWithTopologyHints() {
        List<Ep> hinted = List.of(ep(A1).node("node-a").zoneHints("zone-a"), ep(B1).node("node-b").zoneHints("zone-b"));
        ServiceRoute r = route(base.nodePort(30080), Kind.NODE_PORT, hinted);
        assertThat(r.pick(OUTSIDE).source()).isEqualTo(ip(MASQUERADE));
    }

    @Test
    void aClientAt127001NeedsNoBindTheKernelGivesThatSourceAnyway() {
        ServiceRoute r = route(base, Kind.CLUSTER_IP, fourEndpoints());
        assertThat(r.pick(addr("127.0.0.1", 40000)).source()).isNull();
        assertThat(r.pick(addr("127.0.0.2", 40000)).source()).isEqualTo(ip("127.0.0.2"));
    }

    @Test
    void clusterIpKeepsTheClientAddress() {
        ServiceRoute r = route(base, Kind.CLUSTER_IP, fourEndpoints());
        assertThat(r.pick(OUTSIDE).source()).isEqualTo(OUTSIDE.getAddress());
        assertThat(r.pick(POD_B).source()).isEqualTo(POD_B.getAddress());
        ServiceRoute local = route(base.itpLocal(), Kind.CLUSTER_IP, fourEndpoints());
        assertThat(local.pick(POD_B).source()).isEqualTo(POD_B.getAddress());
    }

    @Test
    void loadBalancerSourceRangesAdmitAndRefuseOnlyLoadBalancerTraffic() {
        Svc svc = base.nodePort(30080).lbIps("127.240.0.9").externalIps("127.77.9.1")
                .sourceRanges("127.9.0.0/16", "127.244.2.0/24");
        InetSocketAddress stranger = addr("127.8.8.8", 40000);
        ServiceRoute lb = route(svc, Kind.LOAD_BALANCER, fourEndpoints());
        assertThat(lb.pick(OUTSIDE).refused()).isFalse();
        assertThat(lb.pick(POD_B).refused()).isFalse();
        assertThat(lb.pick(stranger).refused()).isTrue();
        assertThat(lb.pick(POD_A).refused()).isTrue();
        for (Kind other : List.of(Kind.CLUSTER_IP, Kind.NODE_PORT, Kind.EXTERNAL_IP)) {
            assertThat(route(svc, other, fourEndpoints()).pick(stranger).refused()).as(other.name()).isFalse();
        }
        ServiceRoute open = route(base.lbIps("127.240.0.9"), Kind.LOAD_BALANCER, fourEndpoints());
        assertThat(open.pick(stranger).refused()).as("no ranges: any source").isFalse();
    }

    @Test
    void servingTerminatingUsedOnlyWhenNothingIsReady() {
        ServiceRoute mixed = route(base, Kind.CLUSTER_IP, List.of(ep(A1).servingTerminating(), ep(B1)));
        assertThat(firstChoices(mixed, OUTSIDE, 6)).containsExactly(B1);
        assertThat(mixed.pick(OUTSIDE).candidates()).extracting(Backend::toString).containsExactly(B1);

        ServiceRoute fallback = route(base, Kind.CLUSTER_IP, List.of(ep(A1).servingTerminating(),
                ep(B1).servingTerminating(), ep(B2).notReady(), ep(A2).terminatingNotServing()));
        assertThat(firstChoices(fallback, OUTSIDE, 6)).containsExactlyInAnyOrder(A1, B1);
    }

    @Test
    void noUsableEndpointsRefuses() {
        ServiceRoute r = route(base, Kind.CLUSTER_IP, List.of(ep(A1).notReady(), ep(B1).terminatingNotServing()));
        assertThat(r.hasEndpoints()).isFalse();
        assertThat(r.pick(OUTSIDE)).isEqualTo(Pick.REFUSE);
        ServiceRoute empty = route(base, Kind.CLUSTER_IP, List.of());
        assertThat(empty.hasEndpoints()).isFalse();
        assertThat(empty.pick(OUTSIDE).refused()).isTrue();
    }

    @Test
    void servesUsableBackendsOnly() {
        ServiceRoute r = route(base, Kind.CLUSTER_IP, List.of(ep(A1).node("node-a"),
                ep(A2).node("node-a").servingTerminating(), ep(B1).node("node-b").notReady()));
        assertThat(r.serves(new Backend(addr("127.244.1.10", 8080), "node-a"))).isTrue();
        assertThat(r.serves(new Backend(addr("127.244.1.11", 8080), "node-a"))).isTrue();
        assertThat(r.serves(new Backend(addr("127.244.2.10", 8080), "node-b"))).isFalse();
        assertThat(r.serves(new Backend(addr("127.244.1.10", 9999), "node-a"))).as("other port").isFalse();
        assertThat(r.serves(new Backend(addr("127.244.9.9", 8080), ""))).isFalse();
    }

    @Test
    void servesEveryBackendAPickCanReturn() {
        ServiceRoute r = route(base.itpLocal(), Kind.CLUSTER_IP, fourEndpoints());
        List<Backend> seen = new ArrayList<>();
        for (InetSocketAddress c : List.of(POD_A, POD_B, OUTSIDE)) {
            for (int i = 0; i < 4; i++) {
                seen.addAll(r.pick(c).candidates());
            }
        }
        assertThat(seen).isNotEmpty().allSatisfy(b -> assertThat(r.serves(b)).isTrue());
    }

    @Test
    void zoneHintsAreEvaluatedForTheClientsNode() {
        List<Ep> hinted = List.of(ep(A1).node("node-a").zoneHints("zone-a"), ep(A2).node("node-a").zoneHints("zone-a"),
                ep(B1).node("node-b").zoneHints("zone-b"), ep(B2).node("node-b").zoneHints("zone-b"));
        ServiceRoute r = route(base, Kind.CLUSTER_IP, hinted);
        assertThat(firstChoices(r, POD_B, 8)).containsExactlyInAnyOrder(B1, B2);
        assertThat(firstChoices(r, POD_A, 8)).containsExactlyInAnyOrder(A1, A2);
        assertThat(firstChoices(r, OUTSIDE, 8)).as("outside: this node's zone").containsExactlyInAnyOrder(A1, A2);
        assertThat(firstChoices(r, POD_C, 8)).as("zone-c has no hints: no filtering")
                .containsExactlyInAnyOrder(A1, A2, B1, B2);
    }

    @Test
    void nodeHintsPreferTheClientsNode() {
        List<Ep> hinted = List.of(ep(A1).node("node-a").nodeHints("node-a").zoneHints("zone-a"),
                ep(B1).node("node-b").nodeHints("node-b").zoneHints("zone-b"),
                ep(B2).node("node-b").nodeHints("node-b").zoneHints("zone-b"));
        ServiceRoute r = route(base, Kind.CLUSTER_IP, hinted);
        assertThat(firstChoices(r, POD_A, 6)).containsExactly(A1);
        assertThat(firstChoices(r, POD_B, 6)).containsExactlyInAnyOrder(B1, B2);
    }

    @Test
    void servicePortAndKind() {
        ServiceRoute r = route(base.nodePort(30080), Kind.NODE_PORT, fourEndpoints());
        assertThat(r.servicePort()).isEqualTo(new ServicePortName("ns", "web", "", Protocol.TCP));
        assertThat(r.kind()).isEqualTo(Kind.NODE_PORT);
    }
}
