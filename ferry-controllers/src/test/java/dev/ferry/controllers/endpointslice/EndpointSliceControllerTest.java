package dev.ferry.controllers.endpointslice;

import static dev.ferry.controllers.endpointutil.TestCluster.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.controllers.endpointutil.TestCluster;
import dev.ferry.controllers.endpointutil.WellKnown;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The EndpointSlice controller against a real in-process API server. */
class EndpointSliceControllerTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Map<String, String> APP = Map.of("app", "web");
    private static TestCluster cluster;
    private static EndpointSliceController controller;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start();
        cluster.node("node-a", "zone-1");
        controller = EndpointSliceController.start(cluster.informers, EndpointSliceController.Options.defaults(),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        controller.close();
        cluster.close();
    }

    private static List<EndpointSlice> slices(String ns, String svc) {
        return cluster.client.discovery().v1().endpointSlices().inNamespace(ns)
                .withLabel(WellKnown.LABEL_SERVICE_NAME, svc).list().getItems();
    }

    /** Pod name → "ready/serving/terminating" over all slices of the Service. */
    private static Map<String, String> conditions(String ns, String svc) {
        Map<String, String> out = new TreeMap<>();
        for (EndpointSlice s : slices(ns, svc)) {
            for (Endpoint e : s.getEndpoints()) {
                out.put(e.getTargetRef().getName(), e.getConditions().getReady() + "/" + e.getConditions().getServing()
                        + "/" + e.getConditions().getTerminating());
            }
        }
        return out;
    }

    @Test
    void slicesFollowPodReadiness() {
        String ns = cluster.namespace();
        Service svc = cluster.service(ns, "web", APP, new IntOrString(9376));
        cluster.pod(ns, "web-1", "node-a", APP);
        cluster.pod(ns, "web-2", "node-a", APP);
        cluster.status(ns, "web-1", "127.244.0.2", true);
        cluster.status(ns, "web-2", "127.244.0.3", true);

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(conditions(ns, "web"))
                .isEqualTo(Map.of("web-1", "true/true/false", "web-2", "true/true/false")));
        List<EndpointSlice> all = slices(ns, "web");
        assertThat(all).hasSize(1);
        EndpointSlice slice = all.get(0);
        assertThat(slice.getMetadata().getName()).startsWith("web-");
        assertThat(slice.getAddressType()).isEqualTo("IPv4");
        assertThat(slice.getMetadata().getLabels()).containsEntry(WellKnown.LABEL_SERVICE_NAME, "web")
                .containsEntry(WellKnown.LABEL_MANAGED_BY, "endpointslice-controller.k8s.io")
                .containsEntry("team", "blue").doesNotContainKey(WellKnown.LABEL_HEADLESS);
        OwnerReference owner = slice.getMetadata().getOwnerReferences().get(0);
        assertThat(owner.getKind()).isEqualTo("Service");
        assertThat(owner.getApiVersion()).isEqualTo("v1");
        assertThat(owner.getUid()).isEqualTo(svc.getMetadata().getUid());
        assertThat(owner.getController()).isTrue();
        assertThat(slice.getMetadata().getAnnotations()).containsKey(WellKnown.ANNOTATION_LAST_CHANGE_TRIGGER_TIME);
        assertThat(slice.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getPort()).isEqualTo(9376);
            assertThat(p.getProtocol()).isEqualTo("TCP");
        });
        Endpoint web1 = slice.getEndpoints().stream().filter(e -> e.getTargetRef().getName().equals("web-1"))
                .findFirst().orElseThrow();
        assertThat(web1.getAddresses()).containsExactly("127.244.0.2");
        assertThat(web1.getNodeName()).isEqualTo("node-a");
        assertThat(web1.getZone()).isEqualTo("zone-1");
        assertThat(web1.getTargetRef().getKind()).isEqualTo("Pod");
        assertThat(web1.getTargetRef().getNamespace()).isEqualTo(ns);

        cluster.status(ns, "web-1", "127.244.0.2", false);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(conditions(ns, "web"))
                .isEqualTo(Map.of("web-1", "false/false/false", "web-2", "true/true/false")));
        cluster.status(ns, "web-1", "127.244.0.2", true);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(conditions(ns, "web"))
                .isEqualTo(Map.of("web-1", "true/true/false", "web-2", "true/true/false")));
    }

    @Test
    void deletedPodAndRemovedLabelLeaveTheSlice() {
        String ns = cluster.namespace();
        cluster.service(ns, "web", APP, new IntOrString(9376));
        for (int i = 1; i <= 3; i++) {
            cluster.pod(ns, "web-" + i, "node-a", APP);
            cluster.status(ns, "web-" + i, "127.244.0." + (10 + i), true);
        }
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(conditions(ns, "web")).hasSize(3));

        cluster.client.pods().inNamespace(ns).withName("web-1").withGracePeriod(0).delete();
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(conditions(ns, "web").keySet())
                .containsExactlyInAnyOrder("web-2", "web-3"));

        cluster.client.pods().inNamespace(ns).withName("web-2").edit(p -> {
            p.getMetadata().getLabels().remove("app");
            return p;
        });
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(conditions(ns, "web").keySet())
                .containsExactly("web-3"));
    }

    @Test
    void terminatingPodStaysFlagged() {
        String ns = cluster.namespace();
        cluster.service(ns, "web", APP, new IntOrString(9376));
        cluster.pod(ns, "web-1", "node-a", APP);
        cluster.status(ns, "web-1", "127.244.0.21", true);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(conditions(ns, "web")).hasSize(1));

        cluster.client.pods().inNamespace(ns).withName("web-1").withGracePeriod(300).delete();
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(conditions(ns, "web"))
                .isEqualTo(Map.of("web-1", "false/true/true")));
    }

    @Test
    void namedTargetPortIsResolvedPerPod() {
        String ns = cluster.namespace();
        cluster.service(ns, "web", APP, new IntOrString("http"));
        cluster.pod(ns, "a", "node-a", APP, port("http", 8080));
        cluster.pod(ns, "b", "node-a", APP, port("http", 9090));
        cluster.pod(ns, "c", "node-a", APP, port("other", 7070));
        cluster.status(ns, "a", "127.244.0.31", true);
        cluster.status(ns, "b", "127.244.0.32", true);
        cluster.status(ns, "c", "127.244.0.33", true);

        await().atMost(DEADLINE).untilAsserted(() -> {
            Map<String, Set<String>> byPorts = new TreeMap<>();
            for (EndpointSlice s : slices(ns, "web")) {
                String ports = s.getPorts().stream().map(p -> p.getName() + ":" + p.getPort())
                        .collect(Collectors.joining(","));
                byPorts.computeIfAbsent(ports, k -> new TreeSet<>())
                        .addAll(s.getEndpoints().stream().map(e -> e.getTargetRef().getName()).toList());
            }
            assertThat(byPorts).isEqualTo(Map.of("http:8080", Set.of("a"), "http:9090", Set.of("b"), "", Set.of("c")));
        });
    }

    @Test
    void moreThanOneHundredPodsSplitIntoTwoSlices() {
        String ns = cluster.namespace();
        cluster.service(ns, "big", Map.of("app", "big"), new IntOrString(9376));
        for (int i = 0; i < 120; i++) {
            cluster.pod(ns, "big-" + i, "node-a", Map.of("app", "big"));
            cluster.status(ns, "big-" + i, "127.244.1." + (i + 2), true);
        }
        await().atMost(DEADLINE).untilAsserted(() -> {
            List<EndpointSlice> all = slices(ns, "big");
            assertThat(all).hasSize(2);
            assertThat(all).allSatisfy(s -> assertThat(s.getEndpoints().size()).isLessThanOrEqualTo(100));
            assertThat(all.stream().mapToInt(s -> s.getEndpoints().size()).sum()).isEqualTo(120);
        });
    }

    @Test
    void publishNotReadyAddressesMakesEveryEndpointReady() {
        String ns = cluster.namespace();
        Service svc = cluster.service(ns, "web", APP, new IntOrString(9376));
        cluster.client.services().inNamespace(ns).withName("web").edit(s -> {
            s.getSpec().setPublishNotReadyAddresses(true);
            return s;
        });
        cluster.pod(ns, "web-1", "node-a", APP);
        cluster.status(ns, "web-1", "127.244.0.41", false);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(conditions(ns, "web"))
                .isEqualTo(Map.of("web-1", "true/false/false")));
        assertThat(svc).isNotNull();
    }

    @Test
    void selectorChangeMovesEndpoints() {
        String ns = cluster.namespace();
        cluster.service(ns, "web", APP, new IntOrString(9376));
        cluster.pod(ns, "web-1", "node-a", APP);
        cluster.pod(ns, "api-1", "node-a", Map.of("app", "api"));
        cluster.status(ns, "web-1", "127.244.0.51", true);
        cluster.status(ns, "api-1", "127.244.0.52", true);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(conditions(ns, "web").keySet())
                .containsExactly("web-1"));

        cluster.client.services().inNamespace(ns).withName("web").edit(s -> {
            s.getSpec().setSelector(Map.of("app", "api"));
            return s;
        });
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(conditions(ns, "web").keySet())
                .containsExactly("api-1"));
    }

    @Test
    void serviceWithoutPodsGetsAPlaceholderAndDeletedServiceLosesItsSlices() {
        String ns = cluster.namespace();
        cluster.service(ns, "empty", Map.of("app", "none"), new IntOrString(9376));
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(slices(ns, "empty")).singleElement().satisfies(s -> {
            assertThat(s.getEndpoints()).isEmpty();
            assertThat(s.getPorts()).isEmpty();
        }));

        cluster.client.services().inNamespace(ns).withName("empty").delete();
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(slices(ns, "empty")).isEmpty());
    }

    @Test
    void podOnANodeNotYetKnownJoinsWhenTheNodeAppears() {
        String ns = cluster.namespace();
        cluster.service(ns, "web", APP, new IntOrString(9376));
        cluster.pod(ns, "web-1", "node-a", APP);
        cluster.pod(ns, "web-2", "node-late", APP);
        cluster.status(ns, "web-1", "127.244.0.71", true);
        cluster.status(ns, "web-2", "127.244.0.72", true);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(conditions(ns, "web").keySet())
                .containsExactly("web-1"));

        cluster.node("node-late", "zone-9");
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(slices(ns, "web").stream()
                .flatMap(s -> s.getEndpoints().stream()).filter(e -> e.getTargetRef().getName().equals("web-2"))
                .map(Endpoint::getZone).toList()).containsExactly("zone-9"));
    }

    @Test
    void noOpSyncKeepsResourceVersions() throws Exception {
        String ns = cluster.namespace();
        cluster.service(ns, "web", APP, new IntOrString(9376));
        cluster.pod(ns, "web-1", "node-a", APP);
        cluster.status(ns, "web-1", "127.244.0.61", true);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(conditions(ns, "web"))
                .isEqualTo(Map.of("web-1", "true/true/false")));
        EndpointSlice before = slices(ns, "web").get(0);
        await().atMost(DEADLINE).until(() -> {
            EndpointSlice cached = controller.cachedSlice(ns, before.getMetadata().getName());
            return cached != null && before.getMetadata().getResourceVersion()
                    .equals(cached.getMetadata().getResourceVersion());
        });

        controller.sync(ns + "/web");

        EndpointSlice after = slices(ns, "web").get(0);
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
    }

    /** Node {@code name} in {@code zone}, Ready or not, with {@code cpu} allocatable. */
    private static void workerNode(String name, String zone, String cpu, boolean ready) {
        if (cluster.client.nodes().withName(name).get() == null) {
            cluster.node(name, zone);
        }
        cluster.client.nodes().withName(name).editStatus(n -> new io.fabric8.kubernetes.api.model.NodeBuilder(n)
                .editOrNewStatus().withAllocatable(Map.of("cpu", new io.fabric8.kubernetes.api.model.Quantity(cpu)))
                .withConditions(new io.fabric8.kubernetes.api.model.NodeConditionBuilder().withType("Ready")
                        .withStatus(ready ? "True" : "False").build())
                .endStatus().build());
    }

    /** Zone hint of each endpoint, by pod name ("-" for none). */
    private static Map<String, String> zoneHints(String ns, String svc) {
        Map<String, String> out = new TreeMap<>();
        for (EndpointSlice s : slices(ns, svc)) {
            for (Endpoint e : s.getEndpoints()) {
                out.put(e.getTargetRef().getName(), e.getHints() == null ? "-"
                        : e.getHints().getForZones().stream().map(z -> z.getName()).collect(Collectors.joining(",")));
            }
        }
        return out;
    }

    /** "type reason: message" of the Service's events. */
    private static List<String> serviceEvents(String ns, String svc) {
        return cluster.client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> svc.equals(e.getInvolvedObject().getName()))
                .map(e -> e.getType() + " " + e.getReason() + ": " + e.getMessage()).toList();
    }

    @Test
    void topologyModeAutoHintsZonesOnceNodesOfTwoZonesAreReady() {
        String ns = cluster.namespace();
        workerNode("auto-x", "zone-x", "2", true);
        workerNode("auto-y", "zone-y", "2", false);
        cluster.client.services().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata().withName("web").addToAnnotations("service.kubernetes.io/topology-mode", "Auto")
                .endMetadata().withNewSpec().withSelector(APP).addNewPort().withName("http").withPort(80)
                .withTargetPort(new IntOrString(9376)).endPort().endSpec().build()).create();
        for (int i = 1; i <= 4; i++) {
            cluster.pod(ns, "web-" + i, i <= 2 ? "auto-x" : "auto-y", APP);
            cluster.status(ns, "web-" + i, "127.244.1." + (10 + i), true);
        }
        // one ready zone: no hints, and the Service says why
        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(zoneHints(ns, "web")).hasSize(4).containsValue("-").doesNotContainValue("zone-x");
            assertThat(serviceEvents(ns, "web")).contains(
                    "Warning TopologyAwareHintsDisabled: Nodes only ready in one zone, addressType: IPv4");
        });

        workerNode("auto-y", "zone-y", "2", true);
        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(zoneHints(ns, "web")).isEqualTo(Map.of("web-1", "zone-x", "web-2", "zone-x",
                    "web-3", "zone-y", "web-4", "zone-y"));
            assertThat(serviceEvents(ns, "web")).contains(
                    "Normal TopologyAwareHintsEnabled: Topology Aware Hints has been enabled, addressType: IPv4");
        });

        cluster.client.services().inNamespace(ns).withName("web").edit(s -> {
            s.getMetadata().getAnnotations().remove("service.kubernetes.io/topology-mode");
            return s;
        });
        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(zoneHints(ns, "web").values()).hasSize(4).containsOnly("-");
            assertThat(serviceEvents(ns, "web")).contains(
                    "Warning TopologyAwareHintsDisabled: Topology Aware Hints has been disabled, addressType: IPv4");
        });
        workerNode("auto-x", "zone-x", "2", false);
        workerNode("auto-y", "zone-y", "2", false);
    }
}
