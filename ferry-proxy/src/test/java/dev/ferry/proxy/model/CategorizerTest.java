package dev.ferry.proxy.model;

import static dev.ferry.proxy.Fixtures.ep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.Fixtures.Ep;
import dev.ferry.proxy.Fixtures.Svc;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kube-proxy's TestCategorizeEndpoints (pkg/proxy/topology_test.go) as a table, plus the PreferSameNode cases of
 * topologyModeFromHints. The node under test is {@value #SELF}; upstream's {@code isLocal: true} is an endpoint on
 * it. Upstream tells "does not use this kind of endpoints" (nil) from "uses it but has none" (empty); Categories has
 * only empty lists, so both expect an empty list here. {@code all} is upstream's allReachableEndpoints, from which
 * hasAnyEndpoints is derived exactly as upstream does.
 */
class CategorizerTest {
    static final String SELF = "self";

    record Case(String name, String zone, Svc svc, List<Ep> endpoints, Set<String> cluster, Set<String> local,
            Set<String> all, boolean onlyRemote) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Svc CLUSTER = Svc.of("ns", "svc", "127.96.0.10", 80);
    private static final Set<String> NIL = null;

    private static Set<String> set(String... s) {
        return Set.of(s);
    }

    private static Case c(String name, String zone, Svc svc, List<Ep> eps, Set<String> cluster, Set<String> local) {
        return new Case(name, zone, svc, eps, cluster, local, null, false);
    }

    private static Case c(String name, String zone, Svc svc, List<Ep> eps, Set<String> cluster, Set<String> local,
            Set<String> all) {
        return new Case(name, zone, svc, eps, cluster, local, all, false);
    }

    private static Case remote(String name, Svc svc, List<Ep> eps, Set<String> cluster, Set<String> local,
            Set<String> all) {
        return new Case(name, "", svc, eps, cluster, local, all, true);
    }

    static Stream<Case> cases() {
        List<Ep> fourZones = List.of(
                ep("10.1.2.3:80").zoneHints("zone-a"),
                ep("10.1.2.4:80").zoneHints("zone-b"),
                ep("10.1.2.5:80").zoneHints("zone-c"),
                ep("10.1.2.6:80").zoneHints("zone-a"));
        List<Ep> fourZonesTwoLocal = List.of(
                ep("10.1.2.3:80").zoneHints("zone-a").node(SELF),
                ep("10.1.2.4:80").zoneHints("zone-b").node(SELF),
                ep("10.1.2.5:80").zoneHints("zone-c").node("other"),
                ep("10.1.2.6:80").zoneHints("zone-a").node("other"));
        List<Ep> oneLocalOneRemote = List.of(
                ep("10.0.0.0:80").node(SELF),
                ep("10.0.0.1:80").node("other"));
        List<Ep> twoRemote = List.of(
                ep("10.0.0.0:80").node("other"),
                ep("10.0.0.1:80").node("other"));
        List<Ep> twoRemoteTerminating = List.of(
                ep("10.0.0.0:80").node("other").servingTerminating(),
                ep("10.0.0.1:80").node("other").servingTerminating());
        return Stream.of(
                c("should use topology since all endpoints have hints, node has a zone label and there are "
                        + "endpoints for the node's zone", "zone-a", CLUSTER, fourZones,
                        set("10.1.2.3:80", "10.1.2.6:80"), NIL),
                c("externalTrafficPolicy: Local, topology ignored for Local endpoints", "zone-a",
                        CLUSTER.etpLocal().nodePort(30080), fourZonesTwoLocal,
                        set("10.1.2.3:80", "10.1.2.6:80"), set("10.1.2.3:80", "10.1.2.4:80"),
                        set("10.1.2.3:80", "10.1.2.4:80", "10.1.2.6:80")),
                c("internalTrafficPolicy: Local, topology ignored for Local endpoints", "zone-a",
                        CLUSTER.itpLocal().nodePort(30080), fourZonesTwoLocal,
                        set("10.1.2.3:80", "10.1.2.6:80"), set("10.1.2.3:80", "10.1.2.4:80"),
                        set("10.1.2.3:80", "10.1.2.4:80", "10.1.2.6:80")),
                c("empty zone label", "", CLUSTER, List.of(ep("10.1.2.3:80").zoneHints("zone-a")),
                        set("10.1.2.3:80"), NIL),
                c("node in different zone, no endpoint filtering", "zone-b", CLUSTER,
                        List.of(ep("10.1.2.3:80").zoneHints("zone-a")), set("10.1.2.3:80"), NIL),
                c("unready endpoint", "zone-a", CLUSTER, List.of(
                        ep("10.1.2.3:80").zoneHints("zone-a"),
                        ep("10.1.2.4:80").zoneHints("zone-b"),
                        ep("10.1.2.5:80").zoneHints("zone-c"),
                        ep("10.1.2.6:80").zoneHints("zone-a").notReady()),
                        set("10.1.2.3:80"), NIL),
                c("only unready endpoints in same zone (should not filter)", "zone-a", CLUSTER, List.of(
                        ep("10.1.2.3:80").zoneHints("zone-a").notReady(),
                        ep("10.1.2.4:80").zoneHints("zone-b"),
                        ep("10.1.2.5:80").zoneHints("zone-c"),
                        ep("10.1.2.6:80").zoneHints("zone-a").notReady()),
                        set("10.1.2.4:80", "10.1.2.5:80"), NIL),
                c("missing hints, no filtering applied", "zone-a", CLUSTER, List.of(
                        ep("10.1.2.3:80").zoneHints("zone-a"),
                        ep("10.1.2.4:80").zoneHints("zone-b"),
                        ep("10.1.2.5:80"),
                        ep("10.1.2.6:80").zoneHints("zone-a")),
                        set("10.1.2.3:80", "10.1.2.4:80", "10.1.2.5:80", "10.1.2.6:80"), NIL),
                c("multiple hints per endpoint, filtering includes any endpoint with zone included", "zone-c",
                        CLUSTER, List.of(
                        ep("10.1.2.3:80").zoneHints("zone-a", "zone-b", "zone-c"),
                        ep("10.1.2.4:80").zoneHints("zone-b", "zone-c"),
                        ep("10.1.2.5:80").zoneHints("zone-b", "zone-d"),
                        ep("10.1.2.6:80").zoneHints("zone-c")),
                        set("10.1.2.3:80", "10.1.2.4:80", "10.1.2.6:80"), NIL),
                c("conflicting topology and localness require merging allEndpoints", "zone-a",
                        CLUSTER.etpLocal().nodePort(30080), List.of(
                        ep("10.0.0.0:80").zoneHints("zone-a").node(SELF),
                        ep("10.0.0.1:80").zoneHints("zone-b").node(SELF),
                        ep("10.0.0.2:80").zoneHints("zone-a").node("other"),
                        ep("10.0.0.3:80").zoneHints("zone-b").node("other")),
                        set("10.0.0.0:80", "10.0.0.2:80"), set("10.0.0.0:80", "10.0.0.1:80"),
                        set("10.0.0.0:80", "10.0.0.1:80", "10.0.0.2:80")),
                c("internalTrafficPolicy: Local, with empty endpoints", "", CLUSTER.itpLocal(), List.of(),
                        NIL, set()),
                remote("internalTrafficPolicy: Local, but all endpoints are remote", CLUSTER.itpLocal(), twoRemote,
                        NIL, set(), null),
                c("internalTrafficPolicy: Local, all endpoints are local", "", CLUSTER.itpLocal(), List.of(
                        ep("10.0.0.0:80").node(SELF),
                        ep("10.0.0.1:80").node(SELF)),
                        NIL, set("10.0.0.0:80", "10.0.0.1:80")),
                c("internalTrafficPolicy: Local, some endpoints are local", "", CLUSTER.itpLocal(),
                        oneLocalOneRemote, NIL, set("10.0.0.0:80")),
                c("Cluster traffic policy, endpoints not Ready", "", CLUSTER, List.of(
                        ep("10.0.0.0:80").notReady(),
                        ep("10.0.0.1:80").notReady()),
                        set(), NIL),
                c("Cluster traffic policy, some endpoints are Ready", "", CLUSTER, List.of(
                        ep("10.0.0.0:80").notReady(),
                        ep("10.0.0.1:80")),
                        set("10.0.0.1:80"), NIL),
                c("Cluster traffic policy, all endpoints are terminating", "", CLUSTER, List.of(
                        ep("10.0.0.0:80").node(SELF).servingTerminating(),
                        ep("10.0.0.1:80").node("other").servingTerminating()),
                        set("10.0.0.0:80", "10.0.0.1:80"), NIL),
                c("iTP: Local, eTP: Cluster, some endpoints local", "", CLUSTER.itpLocal().nodePort(30080),
                        oneLocalOneRemote, set("10.0.0.0:80", "10.0.0.1:80"), set("10.0.0.0:80"),
                        set("10.0.0.0:80", "10.0.0.1:80")),
                c("iTP: Cluster, eTP: Local, some endpoints local", "", CLUSTER.etpLocal().nodePort(30080),
                        oneLocalOneRemote, set("10.0.0.0:80", "10.0.0.1:80"), set("10.0.0.0:80"),
                        set("10.0.0.0:80", "10.0.0.1:80")),
                c("iTP: Local, eTP: Local, some endpoints local", "", CLUSTER.itpLocal().etpLocal().nodePort(30080),
                        oneLocalOneRemote, set("10.0.0.0:80", "10.0.0.1:80"), set("10.0.0.0:80"),
                        set("10.0.0.0:80", "10.0.0.1:80")),
                c("iTP: Local, eTP: Local, all endpoints remote", "",
                        CLUSTER.itpLocal().etpLocal().nodePort(30080), twoRemote,
                        set("10.0.0.0:80", "10.0.0.1:80"), set(), set("10.0.0.0:80", "10.0.0.1:80")),
                remote("iTP: Local, eTP: Local, all endpoints remote and terminating",
                        CLUSTER.itpLocal().etpLocal().nodePort(30080), twoRemoteTerminating,
                        set("10.0.0.0:80", "10.0.0.1:80"), set(), set("10.0.0.0:80", "10.0.0.1:80")),
                c("iTP: Cluster, eTP: Local, with terminating endpoints", "", CLUSTER.etpLocal().nodePort(30080),
                        List.of(
                        ep("10.0.0.0:80").node("other"),
                        ep("10.0.0.1:80").node(SELF).notReady(),
                        ep("10.0.0.2:80").node(SELF).servingTerminating(),
                        ep("10.0.0.3:80").node("other").servingTerminating()),
                        set("10.0.0.0:80"), set("10.0.0.2:80"), set("10.0.0.0:80", "10.0.0.2:80")),
                c("externalTrafficPolicy ignored if not externally accessible", "", CLUSTER.etpLocal(),
                        List.of(ep("10.0.0.0:80").node("other"), ep("10.0.0.1:80").node(SELF)),
                        set("10.0.0.0:80", "10.0.0.1:80"), NIL),
                c("no cluster endpoints for iTP:Local internal-only service", "", CLUSTER.itpLocal(),
                        List.of(ep("10.0.0.0:80").node("other"), ep("10.0.0.1:80").node(SELF)),
                        NIL, set("10.0.0.1:80")),
                // externally accessible through externalIPs or load-balancer addresses, not only a NodePort
                c("iTP: Local, eTP: Local, externalIPs only: cluster endpoints for short-circuiting", "",
                        CLUSTER.itpLocal().etpLocal().externalIps("127.77.9.9"), oneLocalOneRemote,
                        set("10.0.0.0:80", "10.0.0.1:80"), set("10.0.0.0:80"), set("10.0.0.0:80", "10.0.0.1:80")),
                c("eTP: Local, load-balancer IP only", "", CLUSTER.etpLocal().lbIps("127.240.0.9"), twoRemote,
                        set("10.0.0.0:80", "10.0.0.1:80"), set(), set("10.0.0.0:80", "10.0.0.1:80")),
                // PreferSameNode (topologyModeFromHints): node hints first, then zone hints, then nothing
                c("PreferSameNode: every ready endpoint has a node hint and one is for this node", "zone-a",
                        CLUSTER, List.of(
                        ep("10.1.2.3:80").zoneHints("zone-a").nodeHints(SELF),
                        ep("10.1.2.4:80").zoneHints("zone-b").nodeHints("node-2"),
                        ep("10.1.2.5:80").zoneHints("zone-c").nodeHints("node-3"),
                        ep("10.1.2.6:80").zoneHints("zone-a").nodeHints("node-4")),
                        set("10.1.2.3:80"), NIL),
                c("PreferSameNode: an endpoint without node hint falls back to same-zone", "zone-a", CLUSTER,
                        List.of(
                        ep("10.1.2.3:80").zoneHints("zone-a").nodeHints(SELF),
                        ep("10.1.2.4:80").zoneHints("zone-b"),
                        ep("10.1.2.5:80").zoneHints("zone-c").nodeHints("node-3"),
                        ep("10.1.2.6:80").zoneHints("zone-a").nodeHints("node-4")),
                        set("10.1.2.3:80", "10.1.2.6:80"), NIL),
                c("PreferSameNode: no endpoint for this node falls back to same-zone", "zone-a", CLUSTER, List.of(
                        ep("10.1.2.3:80").zoneHints("zone-a").nodeHints("node-1"),
                        ep("10.1.2.4:80").zoneHints("zone-b").nodeHints("node-2"),
                        ep("10.1.2.5:80").zoneHints("zone-c").nodeHints("node-3"),
                        ep("10.1.2.6:80").zoneHints("zone-a").nodeHints("node-4")),
                        set("10.1.2.3:80", "10.1.2.6:80"), NIL),
                c("PreferSameNode: no node match and no zone match means no filtering", "zone-z", CLUSTER,
                        List.of(
                        ep("10.1.2.3:80").zoneHints("zone-a").nodeHints("node-1"),
                        ep("10.1.2.4:80").zoneHints("zone-b").nodeHints("node-2")),
                        set("10.1.2.3:80", "10.1.2.4:80"), NIL),
                c("PreferSameNode: not-ready endpoints without hints do not disable node filtering", "zone-a",
                        CLUSTER, List.of(
                        ep("10.1.2.3:80").zoneHints("zone-a").nodeHints(SELF),
                        ep("10.1.2.4:80").zoneHints("zone-b").nodeHints("node-2"),
                        ep("10.1.2.5:80").notReady()),
                        set("10.1.2.3:80"), NIL),
                c("serving-terminating fallback ignores topology hints", "zone-a", CLUSTER, List.of(
                        ep("10.1.2.3:80").zoneHints("zone-b").servingTerminating(),
                        ep("10.1.2.4:80").zoneHints("zone-c").servingTerminating(),
                        ep("10.1.2.5:80").notReady()),
                        set("10.1.2.3:80", "10.1.2.4:80"), NIL),
                c("not ready and terminating but not serving: never used", "", CLUSTER.etpLocal().nodePort(30080),
                        List.of(ep("10.0.0.0:80").node(SELF).terminatingNotServing(),
                                ep("10.0.0.1:80").node("other").notReady()),
                        set(), set(), set()),
                c("ready endpoints win over serving-terminating ones, also for the local set", "",
                        CLUSTER.etpLocal().nodePort(30080), List.of(
                        ep("10.0.0.0:80").node(SELF),
                        ep("10.0.0.1:80").node(SELF).servingTerminating(),
                        ep("10.0.0.2:80").node("other").servingTerminating()),
                        set("10.0.0.0:80"), set("10.0.0.0:80"), set("10.0.0.0:80")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void categorizesLikeKubeProxy(Case tc) {
        Categories got = Categorizer.categorize(tc.svc().info(), tc.endpoints().stream().map(Ep::info).toList(),
                SELF, tc.zone());

        assertThat(names(got.cluster())).as("cluster endpoints")
                .isEqualTo(tc.cluster() == null ? Set.of() : tc.cluster());
        assertThat(names(got.local())).as("local endpoints").isEqualTo(tc.local() == null ? Set.of() : tc.local());
        Set<String> all;
        if (tc.cluster() != null && tc.local() == null) {
            all = tc.cluster();
        } else if (tc.local() != null && tc.cluster() == null) {
            all = tc.local();
        } else {
            all = tc.all();
        }
        Set<String> reachable = new HashSet<>(names(got.cluster()));
        reachable.addAll(names(got.local()));
        assertThat(reachable).as("all reachable endpoints").isEqualTo(all);
        assertThat(got.hasAny()).as("hasAnyEndpoints").isEqualTo(!all.isEmpty() || tc.onlyRemote());
    }

    private static Set<String> names(List<EndpointInfo> eps) {
        assertThat(eps).doesNotHaveDuplicates();
        return eps.stream().map(e -> e.ip().getHostAddress() + ":" + e.port()).collect(Collectors.toSet());
    }
}
