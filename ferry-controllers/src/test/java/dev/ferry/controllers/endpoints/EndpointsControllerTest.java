package dev.ferry.controllers.endpoints;

import static dev.ferry.controllers.endpointutil.TestCluster.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.controllers.endpointutil.TestCluster;
import dev.ferry.controllers.endpointutil.WellKnown;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The legacy Endpoints controller against a real in-process API server. */
class EndpointsControllerTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Map<String, String> APP = Map.of("app", "web");
    private static TestCluster cluster;
    private static EndpointsController controller;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start();
        cluster.node("node-a", null);
        controller = EndpointsController.start(cluster.informers, EndpointsController.Options.defaults(),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        controller.close();
        cluster.close();
    }

    private static Endpoints endpoints(String ns, String name) {
        return cluster.client.endpoints().inNamespace(ns).withName(name).get();
    }

    /** "ports" → "ready IPs | not-ready IPs" per subset; empty when the object is missing. */
    private static Map<String, String> subsets(String ns, String name) {
        Endpoints e = endpoints(ns, name);
        Map<String, String> out = new TreeMap<>();
        if (e == null) {
            return out;
        }
        for (EndpointSubset s : e.getSubsets()) {
            String ports = s.getPorts().stream().map(p -> p.getName() + ":" + p.getPort())
                    .collect(Collectors.joining(","));
            out.put(ports, ips(s.getAddresses()) + "|" + ips(s.getNotReadyAddresses()));
        }
        return out;
    }

    private static String ips(List<EndpointAddress> addresses) {
        return addresses == null ? "" : addresses.stream().map(EndpointAddress::getIp).collect(Collectors.joining(","));
    }

    @Test
    void endpointsFollowPods() {
        String ns = cluster.namespace();
        cluster.service(ns, "web", APP, new IntOrString(9376));
        for (int i = 1; i <= 3; i++) {
            cluster.pod(ns, "web-" + i, "node-a", APP);
            cluster.status(ns, "web-" + i, "127.244.2." + i, true);
        }
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(subsets(ns, "web"))
                .isEqualTo(Map.of("http:9376", "127.244.2.1,127.244.2.2,127.244.2.3|")));
        Endpoints e = endpoints(ns, "web");
        assertThat(e.getMetadata().getLabels()).containsEntry("team", "blue")
                .doesNotContainKey(WellKnown.LABEL_HEADLESS);
        assertThat(e.getMetadata().getAnnotations()).containsKey(WellKnown.ANNOTATION_LAST_CHANGE_TRIGGER_TIME)
                .doesNotContainKey(WellKnown.ANNOTATION_OVER_CAPACITY);
        EndpointAddress first = e.getSubsets().get(0).getAddresses().get(0);
        assertThat(first.getNodeName()).isEqualTo("node-a");
        assertThat(first.getTargetRef().getKind()).isEqualTo("Pod");
        assertThat(first.getTargetRef().getName()).isEqualTo("web-1");

        cluster.status(ns, "web-2", "127.244.2.2", false);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(subsets(ns, "web"))
                .isEqualTo(Map.of("http:9376", "127.244.2.1,127.244.2.3|127.244.2.2")));

        cluster.client.pods().inNamespace(ns).withName("web-1").withGracePeriod(0).delete();
        cluster.client.pods().inNamespace(ns).withName("web-3").edit(p -> {
            p.getMetadata().getLabels().remove("app");
            return p;
        });
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(subsets(ns, "web"))
                .isEqualTo(Map.of("http:9376", "|127.244.2.2")));
    }

    @Test
    void namedTargetPortSplitsSubsets() {
        String ns = cluster.namespace();
        cluster.service(ns, "web", APP, new IntOrString("http"));
        cluster.pod(ns, "a", "node-a", APP, port("http", 8080));
        cluster.pod(ns, "b", "node-a", APP, port("http", 9090));
        cluster.pod(ns, "c", "node-a", APP, port("other", 7070));
        cluster.status(ns, "a", "127.244.3.1", true);
        cluster.status(ns, "b", "127.244.3.2", true);
        cluster.status(ns, "c", "127.244.3.3", true);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(subsets(ns, "web"))
                .isEqualTo(Map.of("http:8080", "127.244.3.1|", "http:9090", "127.244.3.2|")));
    }

    @Test
    void terminatingPodsAreDroppedUnlessNotReadyAddressesArePublished() {
        String ns = cluster.namespace();
        cluster.service(ns, "web", APP, new IntOrString(9376));
        cluster.pod(ns, "web-1", "node-a", APP);
        cluster.pod(ns, "web-2", "node-a", APP);
        cluster.status(ns, "web-1", "127.244.4.1", true);
        cluster.status(ns, "web-2", "127.244.4.2", false);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(subsets(ns, "web"))
                .isEqualTo(Map.of("http:9376", "127.244.4.1|127.244.4.2")));

        cluster.client.pods().inNamespace(ns).withName("web-1").withGracePeriod(300).delete();
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(subsets(ns, "web"))
                .isEqualTo(Map.of("http:9376", "|127.244.4.2")));

        cluster.client.services().inNamespace(ns).withName("web").edit(s -> {
            s.getSpec().setPublishNotReadyAddresses(true);
            return s;
        });
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(subsets(ns, "web"))
                .isEqualTo(Map.of("http:9376", "127.244.4.1,127.244.4.2|")));
    }

    @Test
    void selectorChangeAndServiceDeletion() {
        String ns = cluster.namespace();
        cluster.service(ns, "web", APP, new IntOrString(9376));
        cluster.pod(ns, "web-1", "node-a", APP);
        cluster.pod(ns, "api-1", "node-a", Map.of("app", "api"));
        cluster.status(ns, "web-1", "127.244.5.1", true);
        cluster.status(ns, "api-1", "127.244.5.2", true);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(subsets(ns, "web"))
                .isEqualTo(Map.of("http:9376", "127.244.5.1|")));

        cluster.client.services().inNamespace(ns).withName("web").edit(s -> {
            s.getSpec().setSelector(Map.of("app", "api"));
            return s;
        });
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(subsets(ns, "web"))
                .isEqualTo(Map.of("http:9376", "127.244.5.2|")));

        cluster.client.services().inNamespace(ns).withName("web").delete();
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(endpoints(ns, "web")).isNull());
    }

    @Test
    void selectorlessServiceKeepsUserEndpointsAndOrphansAreDeletedOnStart() throws Exception {
        String ns = cluster.namespace();
        cluster.client.services().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata().withName("manual").endMetadata().withNewSpec().addNewPort().withPort(80).endPort()
                .endSpec().build()).create();
        Endpoints manual = new EndpointsBuilder().withNewMetadata().withName("manual").endMetadata().addNewSubset()
                .addNewAddress().withIp("127.244.6.1").endAddress().addNewPort().withPort(80).endPort().endSubset()
                .build();
        cluster.client.endpoints().inNamespace(ns).resource(manual).create();
        Endpoints orphan = new EndpointsBuilder(manual).editMetadata().withName("orphan").endMetadata().build();
        cluster.client.endpoints().inNamespace(ns).resource(orphan).create();
        await().atMost(DEADLINE).until(() -> controllerCacheHas(ns, "orphan"));

        try (EndpointsController second = EndpointsController.start(cluster.informers,
                EndpointsController.Options.defaults(), Clock.systemUTC())) {
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(endpoints(ns, "orphan")).isNull());
            second.sync(ns + "/manual");
        }
        assertThat(subsets(ns, "manual")).isEqualTo(Map.of("null:80", "127.244.6.1|"));
    }

    private static boolean controllerCacheHas(String ns, String name) {
        return cluster.informers.get(Endpoints.class).getIndexer().getByKey(ns + "/" + name) != null;
    }

    @Test
    void noOpSyncKeepsTheResourceVersion() {
        String ns = cluster.namespace();
        cluster.service(ns, "web", APP, new IntOrString(9376));
        cluster.pod(ns, "web-1", "node-a", APP);
        cluster.status(ns, "web-1", "127.244.7.1", true);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(subsets(ns, "web"))
                .isEqualTo(Map.of("http:9376", "127.244.7.1|")));
        String rv = endpoints(ns, "web").getMetadata().getResourceVersion();
        await().atMost(DEADLINE).until(() -> {
            Endpoints cached = cluster.informers.get(Endpoints.class).getIndexer().getByKey(ns + "/web");
            return cached != null && rv.equals(cached.getMetadata().getResourceVersion());
        });

        controller.sync(ns + "/web");

        assertThat(endpoints(ns, "web").getMetadata().getResourceVersion()).isEqualTo(rv);
    }
}
