package dev.ferry.controllers.endpoints;

import static dev.ferry.controllers.endpointutil.Fixtures.pod;
import static dev.ferry.controllers.endpointutil.Fixtures.port;
import static dev.ferry.controllers.endpointutil.Fixtures.ready;
import static dev.ferry.controllers.endpointutil.Fixtures.service;
import static dev.ferry.controllers.endpointutil.Fixtures.svc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.controllers.endpointutil.WellKnown;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EndpointsReconcilerTest {
    private static final Instant T1 = Instant.parse("2026-01-01T00:00:10Z");
    private static final Instant T2 = Instant.parse("2026-01-01T00:00:20Z");
    private final EndpointsReconciler reconciler = new EndpointsReconciler();

    /** "ports" → "ready IPs | not-ready IPs" per subset. */
    private static Map<String, String> subsets(Endpoints e) {
        Map<String, String> out = new TreeMap<>();
        for (EndpointSubset s : e.getSubsets()) {
            String ports = s.getPorts().stream().map(p -> p.getName() + ":" + p.getPort() + "/" + p.getProtocol())
                    .collect(Collectors.joining(","));
            out.put(ports, ips(s.getAddresses()) + "|" + ips(s.getNotReadyAddresses()));
        }
        return out;
    }

    private static String ips(List<EndpointAddress> a) {
        return a.stream().map(EndpointAddress::getIp).collect(Collectors.joining(","));
    }

    /** The object as the API server would store it after the plan. */
    private static Endpoints stored(EndpointsPlan plan, String rv) {
        return new EndpointsBuilder(plan.endpoints()).editMetadata().withResourceVersion(rv).endMetadata().build();
    }

    @Test
    void createsEndpointsWithReadyAndNotReadyAddresses() {
        Service service = service().editMetadata().addToLabels("team", "blue").endMetadata().build();
        List<Pod> pods = List.of(ready("b", "127.244.0.10"), ready("a", "127.244.0.9"),
                pod("c", false, "127.244.0.11").build());
        EndpointsPlan plan = reconciler.reconcile(service, pods, null, T1);

        assertThat(plan.action()).isEqualTo(EndpointsPlan.Action.CREATE);
        Endpoints e = plan.endpoints();
        assertThat(e.getMetadata().getName()).isEqualTo("web");
        assertThat(e.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(e.getMetadata().getLabels()).isEqualTo(Map.of("team", "blue"));
        assertThat(e.getMetadata().getAnnotations()).isEqualTo(Map.of(
                WellKnown.ANNOTATION_LAST_CHANGE_TRIGGER_TIME, "2026-01-01T00:00:10Z"));
        // addresses sort by IP text, as upstream
        assertThat(subsets(e)).isEqualTo(Map.of("http:9376/TCP", "127.244.0.10,127.244.0.9|127.244.0.11"));
        EndpointAddress a = e.getSubsets().get(0).getAddresses().get(1);
        assertThat(a.getNodeName()).isEqualTo("node-a");
        assertThat(a.getTargetRef().getKind()).isEqualTo("Pod");
        assertThat(a.getTargetRef().getName()).isEqualTo("a");
        assertThat(a.getTargetRef().getNamespace()).isEqualTo("ns");
        assertThat(a.getTargetRef().getUid()).isEqualTo("uid-a");
    }

    @Test
    void unchangedEndpointsAreNotWrittenWhateverTheTriggerTime() {
        List<Pod> pods = List.of(ready("a", "127.244.0.2"), pod("b", false, "127.244.0.3").build());
        Endpoints current = stored(reconciler.reconcile(svc(), pods, null, T1), "5");
        assertThat(reconciler.reconcile(svc(), pods, current, T2)).isEqualTo(EndpointsPlan.NONE);
    }

    @Test
    void changesUpdateTheCachedObject() {
        List<Pod> pods = List.of(ready("a", "127.244.0.2"));
        Endpoints current = stored(reconciler.reconcile(svc(), pods, null, T1), "5");
        EndpointsPlan plan = reconciler.reconcile(svc(), List.of(pod("a", false, "127.244.0.2").build()), current, T2);
        assertThat(plan.action()).isEqualTo(EndpointsPlan.Action.UPDATE);
        assertThat(plan.endpoints().getMetadata().getResourceVersion()).isEqualTo("5");
        assertThat(plan.endpoints().getMetadata().getAnnotations())
                .containsEntry(WellKnown.ANNOTATION_LAST_CHANGE_TRIGGER_TIME, "2026-01-01T00:00:20Z");
        assertThat(subsets(plan.endpoints())).isEqualTo(Map.of("http:9376/TCP", "|127.244.0.2"));

        Service relabelled = service().editMetadata().addToLabels("x", "y").endMetadata().build();
        assertThat(reconciler.reconcile(relabelled, pods, current, T2).action())
                .isEqualTo(EndpointsPlan.Action.UPDATE);
    }

    @Test
    void terminatingPodsAreDroppedUnlessNotReadyAddressesArePublished() {
        Pod terminating = pod("t", true, "127.244.0.4").editMetadata().withDeletionTimestamp("2026-01-01T00:01:00Z")
                .endMetadata().build();
        List<Pod> pods = List.of(ready("a", "127.244.0.2"), terminating, pod("n", false, "127.244.0.5").build());
        assertThat(subsets(reconciler.reconcile(svc(), pods, null, T1).endpoints()))
                .isEqualTo(Map.of("http:9376/TCP", "127.244.0.2|127.244.0.5"));

        Service publish = service().editSpec().withPublishNotReadyAddresses(true).endSpec().build();
        assertThat(subsets(reconciler.reconcile(publish, pods, null, T1).endpoints()))
                .isEqualTo(Map.of("http:9376/TCP", "127.244.0.2,127.244.0.4,127.244.0.5|"));
    }

    @Test
    void portsResolvePerPodAndRepackIntoSubsets() {
        Service service = service().editSpec().editFirstPort().withTargetPort(new IntOrString("http")).endPort()
                .addNewPort().withName("dns").withPort(53).withProtocol("UDP").withTargetPort(new IntOrString(5353))
                .endPort().endSpec().build();
        Pod a = pod("a", true, "127.244.0.2").editSpec().editFirstContainer().withPorts(port("http", 8080))
                .endContainer().endSpec().build();
        Pod b = pod("b", true, "127.244.0.3").editSpec().editFirstContainer().withPorts(port("http", 8080))
                .endContainer().endSpec().build();
        Pod c = pod("c", true, "127.244.0.4").build();
        EndpointsPlan plan = reconciler.reconcile(service, List.of(a, b, c), null, T1);
        // each port goes with the exact set of addresses offering it
        assertThat(subsets(plan.endpoints())).isEqualTo(Map.of(
                "http:8080/TCP", "127.244.0.2,127.244.0.3|",
                "dns:5353/UDP", "127.244.0.2,127.244.0.3,127.244.0.4|"));
    }

    @Test
    void headlessServiceIsLabelledAndWithoutPortsGetsAddressOnlySubsets() {
        Service headless = service().editSpec().withClusterIP("None").withPorts(List.of()).endSpec().build();
        EndpointsPlan plan = reconciler.reconcile(headless, List.of(ready("a", "127.244.0.2")), null, T1);
        assertThat(plan.endpoints().getMetadata().getLabels()).containsEntry(WellKnown.LABEL_HEADLESS, "");
        assertThat(subsets(plan.endpoints())).isEqualTo(Map.of("", "127.244.0.2|"));

        Service noPorts = service().editSpec().withPorts(List.of()).endSpec().build();
        assertThat(reconciler.reconcile(noPorts, List.of(ready("a", "127.244.0.2")), null, T1).endpoints()
                .getSubsets()).isEmpty();
    }

    @Test
    void hostnameIsSetOnlyForPodsInTheServiceSubdomain() {
        Pod in = pod("a", true, "127.244.0.2").editSpec().withHostname("a").withSubdomain("web").endSpec().build();
        Pod out = pod("b", true, "127.244.0.3").editSpec().withHostname("b").withSubdomain("other").endSpec().build();
        List<EndpointAddress> addrs = reconciler.reconcile(svc(), List.of(in, out), null, T1).endpoints().getSubsets()
                .get(0).getAddresses();
        assertThat(addrs).extracting(EndpointAddress::getHostname).containsExactly("a", null);
    }

    @Test
    void overCapacityIsTruncatedAndAnnotatedUntilBackUnder() {
        List<Pod> many = new ArrayList<>();
        for (int i = 0; i < 1005; i++) {
            many.add(ready(String.format("p%04d", i), "127.244." + (i / 250) + "." + (i % 250 + 1)));
        }
        EndpointsPlan plan = reconciler.reconcile(svc(), many, null, T1);
        assertThat(Subsets.addressCount(plan.endpoints().getSubsets())).isEqualTo(1000);
        assertThat(plan.endpoints().getMetadata().getAnnotations())
                .containsEntry(WellKnown.ANNOTATION_OVER_CAPACITY, "truncated");
        Endpoints current = stored(plan, "7");
        assertThat(reconciler.reconcile(svc(), many, current, T2)).isEqualTo(EndpointsPlan.NONE);

        EndpointsPlan under = reconciler.reconcile(svc(), many.subList(0, 10), current, T2);
        assertThat(under.action()).isEqualTo(EndpointsPlan.Action.UPDATE);
        assertThat(under.endpoints().getMetadata().getAnnotations())
                .doesNotContainKey(WellKnown.ANNOTATION_OVER_CAPACITY);
    }

    @Test
    void unmanagedAndDeletedServices() {
        Endpoints user = new EndpointsBuilder().withNewMetadata().withName("web").withNamespace("ns")
                .withResourceVersion("3").endMetadata().build();
        Service selectorless = service().editSpec().withSelector(null).endSpec().build();
        Service externalName = service().editSpec().withType("ExternalName").withExternalName("example.com")
                .endSpec().build();
        assertThat(reconciler.reconcile(selectorless, List.of(), user, T1)).isEqualTo(EndpointsPlan.NONE);
        assertThat(reconciler.reconcile(externalName, List.of(), null, T1)).isEqualTo(EndpointsPlan.NONE);
        assertThat(reconciler.reconcile(null, List.of(), user, T1))
                .isEqualTo(new EndpointsPlan(EndpointsPlan.Action.DELETE, user));
        assertThat(reconciler.reconcile(null, List.of(), null, T1)).isEqualTo(EndpointsPlan.NONE);
    }

    @Test
    void noEndpointsStillCreatesAnEmptyObject() {
        EndpointsPlan plan = reconciler.reconcile(svc(), List.of(), null, T1);
        assertThat(plan.action()).isEqualTo(EndpointsPlan.Action.CREATE);
        assertThat(plan.endpoints().getSubsets()).isEmpty();
        assertThat(reconciler.reconcile(svc(), List.of(), stored(plan, "2"), T2)).isEqualTo(EndpointsPlan.NONE);
    }
}
