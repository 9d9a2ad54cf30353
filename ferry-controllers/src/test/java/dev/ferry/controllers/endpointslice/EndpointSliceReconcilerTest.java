package dev.ferry.controllers.endpointslice;

import static dev.ferry.controllers.endpointutil.Fixtures.node;
import static dev.ferry.controllers.endpointutil.Fixtures.pod;
import static dev.ferry.controllers.endpointutil.Fixtures.port;
import static dev.ferry.controllers.endpointutil.Fixtures.ready;
import static dev.ferry.controllers.endpointutil.Fixtures.service;
import static dev.ferry.controllers.endpointutil.Fixtures.svc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.controllers.endpointutil.WellKnown;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EndpointSliceReconcilerTest {
    private static final Instant T1 = Instant.parse("2026-01-01T00:00:10Z");
    private static final Instant T2 = Instant.parse("2026-01-01T00:00:20.5Z");
    private static final Map<String, Node> NODES = Map.of("node-a", node("node-a", "zone-1"), "node-b",
            node("node-b", "zone-2"));
    private static final Function<String, Node> NODE = NODES::get;
    private final EndpointSliceReconciler reconciler = new EndpointSliceReconciler(100);
    private final AtomicInteger names = new AtomicInteger();

    /** Plays the API server: gives planned creates a name, UID and resourceVersion, bumps updates' versions. */
    private List<EndpointSlice> apply(List<EndpointSlice> existing, EndpointSlicePlan plan) {
        Map<String, EndpointSlice> byName = new java.util.LinkedHashMap<>();
        existing.forEach(s -> byName.put(s.getMetadata().getName(), s));
        for (EndpointSlice s : plan.delete()) {
            byName.remove(s.getMetadata().getName());
        }
        for (EndpointSlice s : plan.update()) {
            assertThat(byName).containsKey(s.getMetadata().getName());
            assertThat(s.getMetadata().getResourceVersion())
                    .isEqualTo(byName.get(s.getMetadata().getName()).getMetadata().getResourceVersion());
            EndpointSlice copy = new EndpointSliceBuilder(s).editMetadata()
                    .withResourceVersion(String.valueOf(Long.parseLong(s.getMetadata().getResourceVersion()) + 1))
                    .endMetadata().build();
            byName.put(s.getMetadata().getName(), copy);
        }
        for (EndpointSlice s : plan.create()) {
            assertThat(s.getMetadata().getName()).isNull();
            int n = names.incrementAndGet();
            EndpointSlice copy = new EndpointSliceBuilder(s).editMetadata()
                    .withName(s.getMetadata().getGenerateName() + "s" + n).withUid("slice-uid-" + n)
                    .withResourceVersion("1").endMetadata().build();
            byName.put(copy.getMetadata().getName(), copy);
        }
        return new ArrayList<>(byName.values());
    }

    private static Map<String, String> conditions(List<EndpointSlice> slices) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (EndpointSlice s : slices) {
            for (Endpoint e : s.getEndpoints()) {
                out.put(e.getTargetRef().getName(), e.getConditions().getReady() + "/"
                        + e.getConditions().getServing() + "/" + e.getConditions().getTerminating());
            }
        }
        return out;
    }

    private static List<Pod> pods(int from, int to) {
        List<Pod> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(ready(String.format("p%03d", i), "127.244." + (i / 200) + "." + (i % 200 + 2)));
        }
        return out;
    }

    @Test
    void serviceWithoutPodsGetsOnePlaceholderAndKeepsIt() {
        EndpointSlicePlan plan = reconciler.reconcile(svc(), List.of(), NODE, List.of(), T1);
        assertThat(plan.update()).isEmpty();
        assertThat(plan.delete()).isEmpty();
        EndpointSlice placeholder = plan.create().get(0);
        assertThat(plan.create()).hasSize(1);
        assertThat(placeholder.getEndpoints()).isEmpty();
        assertThat(placeholder.getPorts()).isEmpty();
        assertThat(placeholder.getAddressType()).isEqualTo("IPv4");
        assertThat(placeholder.getMetadata().getGenerateName()).isEqualTo("web-");
        assertThat(placeholder.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(placeholder.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getApiVersion()).isEqualTo("v1");
            assertThat(o.getKind()).isEqualTo("Service");
            assertThat(o.getName()).isEqualTo("web");
            assertThat(o.getUid()).isEqualTo("svc-uid");
            assertThat(o.getController()).isTrue();
            assertThat(o.getBlockOwnerDeletion()).isTrue();
        });
        assertThat(placeholder.getMetadata().getAnnotations())
                .containsEntry(WellKnown.ANNOTATION_LAST_CHANGE_TRIGGER_TIME, "2026-01-01T00:00:10Z");

        List<EndpointSlice> world = apply(List.of(), plan);
        assertThat(reconciler.reconcile(svc(), List.of(), NODE, world, T2).isEmpty()).isTrue();
    }

    @Test
    void readyPodsMakeOneSliceWithEverythingUpstreamWrites() {
        Service service = service().editMetadata().addToLabels("team", "blue")
                .addToLabels(WellKnown.LABEL_MANAGED_BY, "someone-else").endMetadata().build();
        Pod withHost = pod("p1", true, "127.244.0.2").editSpec().withHostname("h1").withSubdomain("web").endSpec()
                .build();
        Pod otherSubdomain = pod("p2", true, "127.244.0.3").editSpec().withHostname("h2").withSubdomain("db")
                .endSpec().build();
        EndpointSlicePlan plan = reconciler.reconcile(service, List.of(withHost, otherSubdomain), NODE, List.of(), T1);

        assertThat(plan.create()).hasSize(1);
        EndpointSlice s = plan.create().get(0);
        assertThat(s.getMetadata().getLabels()).isEqualTo(Map.of("team", "blue", WellKnown.LABEL_SERVICE_NAME, "web",
                WellKnown.LABEL_MANAGED_BY, "endpointslice-controller.k8s.io"));
        assertThat(s.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getPort()).isEqualTo(9376);
            assertThat(p.getProtocol()).isEqualTo("TCP");
        });
        Endpoint e1 = s.getEndpoints().get(0);
        assertThat(e1.getAddresses()).containsExactly("127.244.0.2");
        assertThat(e1.getHostname()).isEqualTo("h1");
        assertThat(e1.getNodeName()).isEqualTo("node-a");
        assertThat(e1.getZone()).isEqualTo("zone-1");
        assertThat(e1.getTargetRef().getKind()).isEqualTo("Pod");
        assertThat(e1.getTargetRef().getNamespace()).isEqualTo("ns");
        assertThat(e1.getTargetRef().getName()).isEqualTo("p1");
        assertThat(e1.getTargetRef().getUid()).isEqualTo("uid-p1");
        assertThat(e1.getHints()).isNull();
        assertThat(s.getEndpoints().get(1).getHostname()).isNull();
    }

    static Stream<Arguments> conditionCases() {
        // pod ready, terminating, publishNotReadyAddresses → ready/serving/terminating
        return Stream.of(Arguments.of(true, false, false, "true/true/false"),
                Arguments.of(false, false, false, "false/false/false"),
                Arguments.of(true, true, false, "false/true/true"),
                Arguments.of(false, true, false, "false/false/true"),
                Arguments.of(false, false, true, "true/false/false"),
                Arguments.of(true, true, true, "true/true/true"));
    }

    @ParameterizedTest
    @MethodSource("conditionCases")
    void conditions(boolean podReady, boolean terminating, boolean publish, String expected) {
        Service service = service().editSpec().withPublishNotReadyAddresses(publish).endSpec().build();
        var b = pod("p1", podReady, "127.244.0.2");
        if (terminating) {
            b.editMetadata().withDeletionTimestamp("2026-01-01T00:01:00Z").endMetadata();
        }
        EndpointSlicePlan plan = reconciler.reconcile(service, List.of(b.build()), NODE, List.of(), T1);
        assertThat(conditions(plan.create())).isEqualTo(Map.of("p1", expected));
    }

    @Test
    void terminalPodsAndPodsWithoutIpAreLeftOut() {
        Pod succeeded = pod("done", true, "127.244.0.2").editStatus().withPhase("Succeeded").endStatus().build();
        Pod failed = pod("failed", true, "127.244.0.3").editStatus().withPhase("Failed").endStatus().build();
        Pod noIp = pod("pending", false).build();
        Pod ok = ready("ok", "127.244.0.4");
        EndpointSlicePlan plan = reconciler.reconcile(svc(), List.of(succeeded, failed, noIp, ok), NODE, List.of(), T1);
        assertThat(conditions(plan.create()).keySet()).containsExactly("ok");
    }

    @Test
    void unchangedWorldGivesAnEmptyPlanWhateverTheTriggerTime() {
        List<Pod> pods = pods(0, 5);
        List<EndpointSlice> world = apply(List.of(), reconciler.reconcile(svc(), pods, NODE, List.of(), T1));
        EndpointSlicePlan again = reconciler.reconcile(svc(), pods, NODE, world, T2);
        assertThat(again.isEmpty()).isTrue();
        assertThat(again.problems()).isEmpty();
    }

    @Test
    void readinessChangeUpdatesTheEndpointInPlace() {
        List<Pod> pods = pods(0, 3);
        List<EndpointSlice> world = apply(List.of(), reconciler.reconcile(svc(), pods, NODE, List.of(), T1));
        String before = world.get(0).getEndpoints().stream().map(e -> e.getTargetRef().getName())
                .collect(Collectors.joining(","));
        List<Pod> changed = new ArrayList<>(pods);
        changed.set(1, pod("p001", false, "127.244.0.3").build());

        EndpointSlicePlan plan = reconciler.reconcile(svc(), changed, NODE, world, T2);

        assertThat(plan.create()).isEmpty();
        assertThat(plan.delete()).isEmpty();
        assertThat(plan.update()).singleElement().satisfies(s -> {
            assertThat(s.getMetadata().getName()).isEqualTo(world.get(0).getMetadata().getName());
            assertThat(s.getEndpoints().stream().map(e -> e.getTargetRef().getName()).collect(Collectors.joining(",")))
                    .isEqualTo(before);
            assertThat(s.getMetadata().getAnnotations())
                    .containsEntry(WellKnown.ANNOTATION_LAST_CHANGE_TRIGGER_TIME, "2026-01-01T00:00:20.5Z");
        });
        assertThat(conditions(plan.update())).containsEntry("p001", "false/false/false");
        // the cached input is untouched
        assertThat(conditions(world)).containsEntry("p001", "true/true/false");
    }

    @Test
    void endpointsArePackedByMaxPerSliceAndNewOnesFillTheSliceClosestToFull() {
        List<EndpointSlice> world = apply(List.of(), reconciler.reconcile(svc(), pods(0, 250), NODE, List.of(), T1));
        assertThat(world).extracting(s -> s.getEndpoints().size()).containsExactlyInAnyOrder(100, 100, 50);

        EndpointSlicePlan plan = reconciler.reconcile(svc(), pods(0, 280), NODE, world, T2);
        assertThat(plan.create()).isEmpty();
        assertThat(plan.delete()).isEmpty();
        assertThat(plan.update()).singleElement().satisfies(s -> assertThat(s.getEndpoints()).hasSize(80));
        world = apply(world, plan);

        // 30 more do not fit the 80 slice: a new slice
        plan = reconciler.reconcile(svc(), pods(0, 310), NODE, world, T2);
        assertThat(plan.update()).isEmpty();
        assertThat(plan.create()).singleElement().satisfies(s -> assertThat(s.getEndpoints()).hasSize(30));
    }

    @Test
    void sliceLeftEmptyIsDeletedAndOthersAreUntouched() {
        List<EndpointSlice> world = apply(List.of(), reconciler.reconcile(svc(), pods(0, 150), NODE, List.of(), T1));
        EndpointSlice small = world.stream().filter(s -> s.getEndpoints().size() == 50).findFirst().orElseThrow();
        List<String> inSmall = small.getEndpoints().stream().map(e -> e.getTargetRef().getName()).toList();
        List<Pod> rest = pods(0, 150).stream().filter(p -> !inSmall.contains(p.getMetadata().getName())).toList();

        EndpointSlicePlan plan = reconciler.reconcile(svc(), rest, NODE, world, T2);

        assertThat(plan.create()).isEmpty();
        assertThat(plan.update()).isEmpty();
        assertThat(plan.delete()).extracting(s -> s.getMetadata().getName())
                .containsExactly(small.getMetadata().getName());
    }

    @Test
    void placeholderIsReusedForTheFirstEndpoints() {
        List<EndpointSlice> world = apply(List.of(), reconciler.reconcile(svc(), List.of(), NODE, List.of(), T1));
        EndpointSlicePlan plan = reconciler.reconcile(svc(), pods(0, 2), NODE, world, T2);
        assertThat(plan.create()).isEmpty();
        assertThat(plan.delete()).isEmpty();
        assertThat(plan.update()).singleElement().satisfies(s -> {
            assertThat(s.getMetadata().getName()).isEqualTo(world.get(0).getMetadata().getName());
            assertThat(s.getMetadata().getResourceVersion()).isEqualTo("1");
            assertThat(s.getEndpoints()).hasSize(2);
            assertThat(s.getPorts()).hasSize(1);
        });

        // and when the pods go, the slice becomes the placeholder again
        List<EndpointSlice> after = apply(world, plan);
        EndpointSlicePlan back = reconciler.reconcile(svc(), List.of(), NODE, after, T2);
        assertThat(back.create()).isEmpty();
        assertThat(back.delete()).isEmpty();
        assertThat(back.update()).singleElement().satisfies(s -> {
            assertThat(s.getEndpoints()).isEmpty();
            assertThat(s.getPorts()).isEmpty();
        });
    }

    @Test
    void namedTargetPortGroupsPodsByResolvedPorts() {
        Service service = service().editSpec().editFirstPort().withTargetPort(new IntOrString("http")).endPort()
                .addNewPort().withName("metrics").withPort(9090).withProtocol("TCP")
                .withTargetPort(new IntOrString("metrics")).endPort().endSpec().build();
        Pod a = pod("a", true, "127.244.0.2").editSpec().editFirstContainer().withPorts(port("http", 8080),
                port("metrics", 9100)).endContainer().endSpec().build();
        Pod b = pod("b", true, "127.244.0.3").editSpec().editFirstContainer().withPorts(port("http", 8080))
                .endContainer().endSpec().build();
        Pod sidecar = pod("c", true, "127.244.0.4").editSpec().addNewInitContainer().withName("side")
                .withRestartPolicy("Always").withPorts(port("http", 8081)).endInitContainer().endSpec().build();
        Pod plainInit = pod("d", true, "127.244.0.5").editSpec().addNewInitContainer().withName("init")
                .withPorts(port("http", 8082)).endInitContainer().endSpec().build();
        Pod udpOnly = pod("e", true, "127.244.0.6").editSpec().editFirstContainer().withPorts(
                new io.fabric8.kubernetes.api.model.ContainerPortBuilder().withName("http").withContainerPort(53)
                        .withProtocol("UDP").build()).endContainer().endSpec().build();

        EndpointSlicePlan plan = reconciler.reconcile(service, List.of(a, b, sidecar, plainInit, udpOnly), NODE,
                List.of(), T1);

        Map<String, String> byPorts = new java.util.TreeMap<>();
        for (EndpointSlice s : plan.create()) {
            byPorts.put(s.getPorts().stream().map(p -> p.getName() + ":" + p.getPort())
                    .collect(Collectors.joining(",")), s.getEndpoints().stream()
                    .map(e -> e.getTargetRef().getName()).collect(Collectors.joining(",")));
        }
        assertThat(byPorts).isEqualTo(Map.of("http:8080,metrics:9100", "a", "http:8080", "b", "http:8081", "c",
                "", "d,e"));
    }

    @Test
    void dualStackServiceGetsOneSliceSetPerFamilyWithCanonicalAddresses() {
        Service service = service().editSpec().withIpFamilies("IPv4", "IPv6").endSpec().build();
        Pod p = pod("p1", true, "127.244.0.2", "FD00:0:0:0:0:0:0:0A").build();
        EndpointSlicePlan plan = reconciler.reconcile(service, List.of(p), NODE, List.of(), T1);
        assertThat(plan.create()).extracting(EndpointSlice::getAddressType).containsExactly("IPv4", "IPv6");
        assertThat(plan.create().get(1).getEndpoints().get(0).getAddresses()).containsExactly("fd00::a");

        // a family the Service no longer has loses its slices
        List<EndpointSlice> world = apply(List.of(), plan);
        EndpointSlicePlan single = reconciler.reconcile(svc(), List.of(p), NODE, world, T2);
        assertThat(single.create()).isEmpty();
        assertThat(single.update()).isEmpty();
        assertThat(single.delete()).singleElement().satisfies(s -> assertThat(s.getAddressType()).isEqualTo("IPv6"));
    }

    @Test
    void slicesOwnedByAnotherServiceObjectAreReplaced() {
        List<EndpointSlice> world = apply(List.of(), reconciler.reconcile(svc(), pods(0, 2), NODE, List.of(), T1));
        Service recreated = service().editMetadata().withUid("new-uid").endMetadata().build();
        EndpointSlicePlan plan = reconciler.reconcile(recreated, pods(0, 2), NODE, world, T2);
        assertThat(plan.update()).isEmpty();
        assertThat(plan.create()).singleElement().satisfies(s -> assertThat(s.getMetadata().getOwnerReferences()
                .get(0).getUid()).isEqualTo("new-uid"));
        assertThat(plan.delete()).hasSize(1);
    }

    @Test
    void serviceLabelChangesRelabelSlicesAndHeadlessServicesAreMarked() {
        List<EndpointSlice> world = apply(List.of(), reconciler.reconcile(svc(), pods(0, 2), NODE, List.of(), T1));
        Service labelled = service().editMetadata().addToLabels("tier", "front").endMetadata().build();
        EndpointSlicePlan plan = reconciler.reconcile(labelled, pods(0, 2), NODE, world, T2);
        assertThat(plan.update()).singleElement().satisfies(s -> {
            assertThat(s.getMetadata().getLabels()).containsEntry("tier", "front");
            assertThat(s.getEndpoints()).hasSize(2);
        });

        Service headless = service().editSpec().withClusterIP("None").endSpec().build();
        EndpointSlicePlan h = reconciler.reconcile(headless, pods(0, 1), NODE, List.of(), T1);
        assertThat(h.create().get(0).getMetadata().getLabels()).containsEntry(WellKnown.LABEL_HEADLESS, "");
    }

    @Test
    void headlessServiceWithoutPortsGetsSlicesWithoutPorts() {
        Service headless = service().editSpec().withClusterIP("None").withPorts(List.of()).endSpec().build();
        EndpointSlicePlan plan = reconciler.reconcile(headless, pods(0, 2), NODE, List.of(), T1);
        assertThat(plan.create()).singleElement().satisfies(s -> {
            assertThat(s.getPorts()).isEmpty();
            assertThat(s.getEndpoints()).hasSize(2);
        });
    }

    static Stream<Arguments> hintCases() {
        return Stream.of(Arguments.of("PreferClose", "zone-1", null), Arguments.of("PreferSameZone", "zone-1", null),
                Arguments.of("PreferSameNode", "zone-1", "node-a"), Arguments.of(null, null, null),
                Arguments.of("SomethingNew", null, null));
    }

    @ParameterizedTest
    @MethodSource("hintCases")
    void hintsFollowTrafficDistribution(String distribution, String zoneHint, String nodeHint) {
        Service service = service().editSpec().withTrafficDistribution(distribution).endSpec().build();
        Pod notReady = pod("p9", false, "127.244.0.9").build();
        EndpointSlicePlan plan = reconciler.reconcile(service, List.of(ready("p1", "127.244.0.2"), notReady), NODE,
                List.of(), T1);
        Endpoint ready = plan.create().get(0).getEndpoints().get(0);
        if (zoneHint == null && nodeHint == null) {
            assertThat(ready.getHints()).isNull();
        } else {
            assertThat(ready.getHints().getForZones()).extracting(z -> z.getName()).containsExactly(zoneHint);
            if (nodeHint == null) {
                assertThat(ready.getHints().getForNodes()).isNullOrEmpty();
            } else {
                assertThat(ready.getHints().getForNodes()).extracting(n -> n.getName()).containsExactly(nodeHint);
            }
        }
        assertThat(plan.create().get(0).getEndpoints().get(1).getHints()).isNull();
    }

    @Test
    void changingTrafficDistributionRewritesHintsOfUnchangedSlices() {
        Service close = service().editSpec().withTrafficDistribution("PreferClose").endSpec().build();
        List<EndpointSlice> world = apply(List.of(), reconciler.reconcile(close, pods(0, 2), NODE, List.of(), T1));
        assertThat(reconciler.reconcile(close, pods(0, 2), NODE, world, T2).isEmpty()).isTrue();

        EndpointSlicePlan plan = reconciler.reconcile(svc(), pods(0, 2), NODE, world, T2);
        assertThat(plan.update()).singleElement().satisfies(s -> assertThat(s.getEndpoints())
                .allSatisfy(e -> assertThat(e.getHints()).isNull()));
        assertThat(world.get(0).getEndpoints().get(0).getHints()).isNotNull();
    }

    @Test
    void topologyModeAutoHintsZonesWithoutChurnAndReportsItsOutcome() {
        Service auto = service().editMetadata().addToAnnotations("service.kubernetes.io/topology-mode", "Auto")
                .endMetadata().editSpec().withTrafficDistribution("PreferSameNode").endSpec().build();
        List<Pod> pods = new ArrayList<>(pods(0, 2));
        for (Pod p : pods(2, 4)) {
            p.getSpec().setNodeName("node-b");
            pods.add(p);
        }
        ZoneShares half = new ZoneShares(new java.util.TreeMap<>(Map.of("zone-1", 0.5, "zone-2", 0.5)), null);
        EndpointSlicePlan plan = reconciler.reconcile(auto, pods, NODE, List.of(), T1, half);
        assertThat(plan.autoHints()).containsOnlyKeys("IPv4");
        assertThat(plan.autoHints().get("IPv4").hintsByZone()).isEqualTo(Map.of("zone-1", 2, "zone-2", 2));
        // the annotation wins over trafficDistribution: zone hints only
        assertThat(plan.create().get(0).getEndpoints()).allSatisfy(e -> {
            assertThat(e.getHints().getForZones()).extracting(z -> z.getName()).containsExactly(e.getZone());
            assertThat(e.getHints().getForNodes()).isNullOrEmpty();
        });
        List<EndpointSlice> world = apply(List.of(), plan);
        EndpointSlicePlan again = reconciler.reconcile(auto, pods, NODE, world, T2, half);
        assertThat(again.isEmpty()).isTrue();
        assertThat(again.autoHints().get("IPv4").enabled()).isTrue();

        EndpointSlicePlan oneZone = reconciler.reconcile(auto, pods, NODE, world, T2,
                new ZoneShares(new java.util.TreeMap<>(), ZoneShares.ONE_ZONE));
        assertThat(oneZone.autoHints().get("IPv4").problem()).isEqualTo(ZoneShares.ONE_ZONE);
        assertThat(oneZone.update()).singleElement().satisfies(s -> assertThat(s.getEndpoints())
                .allSatisfy(e -> assertThat(e.getHints()).isNull()));
        assertThat(reconciler.reconcile(svc(), pods, NODE, world, T2, half).autoHints()).isEmpty();
    }

    @Test
    void podOnUnknownNodeIsSkippedAndReportedUnlessNotReadyAddressesArePublished() {
        Pod lost = pod("lost", true, "127.244.0.7").editSpec().withNodeName("node-x").endSpec().build();
        EndpointSlicePlan plan = reconciler.reconcile(svc(), List.of(lost, ready("ok", "127.244.0.2")), NODE,
                List.of(), T1);
        assertThat(conditions(plan.create()).keySet()).containsExactly("ok");
        assertThat(plan.problems()).singleElement().asString().contains("node-x");

        Service publish = service().editSpec().withPublishNotReadyAddresses(true).endSpec().build();
        EndpointSlicePlan p2 = reconciler.reconcile(publish, List.of(lost), NODE, List.of(), T1);
        assertThat(p2.problems()).isEmpty();
        assertThat(p2.create().get(0).getEndpoints().get(0).getZone()).isNull();
        assertThat(p2.create().get(0).getEndpoints().get(0).getNodeName()).isEqualTo("node-x");
    }

    @Test
    void deletingServiceGetsNoNewSlicesAndNullTriggerTimeClearsTheAnnotation() {
        Service deleting = service().editMetadata().withDeletionTimestamp("2026-01-01T00:05:00Z").endMetadata()
                .build();
        assertThat(reconciler.reconcile(deleting, pods(0, 2), NODE, List.of(), T1).create()).isEmpty();

        List<EndpointSlice> world = apply(List.of(), reconciler.reconcile(svc(), pods(0, 2), NODE, List.of(), T1));
        EndpointSlicePlan plan = reconciler.reconcile(svc(), pods(0, 1), NODE, world, null);
        assertThat(plan.update()).singleElement().satisfies(s -> assertThat(s.getMetadata().getAnnotations())
                .doesNotContainKey(WellKnown.ANNOTATION_LAST_CHANGE_TRIGGER_TIME));
    }

    @Test
    void duplicateEndpointAcrossSlicesIsKeptOnce() {
        List<EndpointSlice> world = apply(List.of(), reconciler.reconcile(svc(), pods(0, 2), NODE, List.of(), T1));
        EndpointSlice dup = new EndpointSliceBuilder(world.get(0)).editMetadata().withName("web-zdup")
                .withUid("dup-uid").endMetadata().build();
        List<EndpointSlice> withDup = new ArrayList<>(world);
        withDup.add(dup);
        EndpointSlicePlan plan = reconciler.reconcile(svc(), pods(0, 2), NODE, withDup, T2);
        assertThat(plan.create()).isEmpty();
        assertThat(plan.update()).isEmpty();
        assertThat(plan.delete()).singleElement().satisfies(s -> assertThat(s.getMetadata().getName())
                .isEqualTo("web-zdup"));
    }

    @Test
    void selectorlessAndExternalNameServicesAreLeftAlone() {
        Service selectorless = service().editSpec().withSelector(null).endSpec().build();
        Service externalName = service().editSpec().withType("ExternalName").withExternalName("example.com")
                .endSpec().build();
        assertThat(reconciler.reconcile(selectorless, pods(0, 1), NODE, List.of(), T1).isEmpty()).isTrue();
        assertThat(reconciler.reconcile(externalName, pods(0, 1), NODE, List.of(), T1).isEmpty()).isTrue();
    }

    @Test
    void maxEndpointsPerSliceIsValidated() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new EndpointSliceReconciler(0))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new EndpointSliceReconciler(1001))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
