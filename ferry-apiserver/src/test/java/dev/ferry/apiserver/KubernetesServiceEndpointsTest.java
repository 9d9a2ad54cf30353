package dev.ferry.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.api.Json;
import dev.ferry.apiserver.ApiClient.Resp;
import dev.ferry.apiserver.controlplane.EndpointReconciler;
import dev.ferry.apiserver.testing.LocalApiServer;
import dev.ferry.store.MemoryStore;
import dev.ferry.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API server publishes itself as the endpoints of {@code default/kubernetes} (Endpoints and EndpointSlice), with
 * its real port, puts them back when they are deleted or edited, and merges several servers sharing a store.
 */
class KubernetesServiceEndpointsTest {
    private static final String ENDPOINTS = "/api/v1/namespaces/default/endpoints/kubernetes";
    private static final String SLICES = "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices";
    private static final String SERVICE = "/api/v1/namespaces/default/services/kubernetes";
    private static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases";
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final EndpointReconciler.Timing FAST =
            new EndpointReconciler.Timing(Duration.ofMillis(200), Duration.ofSeconds(15));

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private ApiServer start(MemoryStore store, EndpointReconciler.Timing timing, Clock clock, boolean shared)
            throws Exception {
        ApiServer server = ApiServer.start(ApiServer.Config.defaults("127.0.0.1", 0).withEndpointTiming(timing)
                .withSharedStore(shared), store, clock);
        open.add(server);
        return server;
    }

    private MemoryStore store() {
        MemoryStore store = new MemoryStore();
        open.add(store);
        return store;
    }

    /** "ip:port" of every address in every subset. */
    private static Set<String> endpointsOf(ApiClient api) {
        Resp r = api.get(ENDPOINTS);
        if (r.status() != 200) {
            return Set.of();
        }
        Set<String> out = new java.util.TreeSet<>();
        for (JsonNode subset : r.json().path("subsets")) {
            for (JsonNode a : subset.path("addresses")) {
                out.add(a.path("ip").asString() + ":" + subset.at("/ports/0/port").asInt());
            }
        }
        return out;
    }

    /** "ip:port" of every endpoint of every slice of the kubernetes Service. */
    private static Set<String> slicesOf(ApiClient api) {
        Resp r = api.get(SLICES + "?labelSelector=kubernetes.io/service-name%3Dkubernetes");
        Set<String> out = new java.util.TreeSet<>();
        for (JsonNode slice : r.json().path("items")) {
            for (JsonNode e : slice.path("endpoints")) {
                out.add(e.at("/addresses/0").asString() + ":" + slice.at("/ports/0/port").asInt());
            }
        }
        return out;
    }

    private static int targetPort(ApiClient api) {
        return api.get(SERVICE).json().at("/spec/ports/0/targetPort").asInt();
    }

    @Test
    void publishesItsAddressAndRealPort() throws Exception {
        try (LocalApiServer local = LocalApiServer.start()) {
            int port = Integer.parseInt(local.url().substring(local.url().lastIndexOf(':') + 1));
            ApiClient api = new ApiClient(port);
            await().atMost(DEADLINE).until(() -> api.get(ENDPOINTS).status() == 200
                    && api.get(SLICES + "/kubernetes").status() == 200 && targetPort(api) == port);
            ObjectNode endpoints = api.get(ENDPOINTS).json();
            assertThat(endpoints.at("/metadata/labels")).isEqualTo(
                    Json.MAPPER.readTree("{\"endpointslice.kubernetes.io/skip-mirror\":\"true\"}"));
            assertThat(endpoints.get("subsets")).isEqualTo(Json.MAPPER.readTree(
                    "[{\"addresses\":[{\"ip\":\"127.0.0.1\"}],"
                            + "\"ports\":[{\"name\":\"https\",\"port\":" + port + ",\"protocol\":\"TCP\"}]}]"));
            ObjectNode slice = api.get(SLICES + "/kubernetes").json();
            assertThat(slice.at("/metadata/labels")).isEqualTo(
                    Json.MAPPER.readTree("{\"kubernetes.io/service-name\":\"kubernetes\"}"));
            assertThat(slice.get("addressType").asString()).isEqualTo("IPv4");
            assertThat(slice.get("endpoints")).isEqualTo(Json.MAPPER.readTree(
                    "[{\"addresses\":[\"127.0.0.1\"],\"conditions\":{\"ready\":true}}]"));
            assertThat(slice.get("ports")).isEqualTo(Json.MAPPER.readTree(
                    "[{\"name\":\"https\",\"port\":" + port + ",\"protocol\":\"TCP\"}]"));
            ObjectNode service = api.get(SERVICE).json();
            assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(443);
            assertThat(service.at("/spec/clusterIP").asString()).isEqualTo("127.96.0.1");
            assertThat(api.get(LEASES + "/ferry-apiserver-127.0.0.1-" + port).json().at("/spec/holderIdentity")
                    .asString()).isEqualTo("127.0.0.1:" + port);
        }
    }

    @Test
    void aPassWithNothingToChangeWritesNothing() throws Exception {
        ApiServer server = start(store(), new EndpointReconciler.Timing(Duration.ofHours(1), Duration.ofSeconds(15)),
                Clock.systemUTC(), false);
        ApiClient api = new ApiClient(server.port());
        await().atMost(DEADLINE).until(() -> slicesOf(api).equals(Set.of("127.0.0.1:" + server.port()))
                && endpointsOf(api).equals(Set.of("127.0.0.1:" + server.port())) && targetPort(api) == server.port());
        List<String> before = List.of(api.get(ENDPOINTS).resourceVersion(),
                api.get(SLICES + "/kubernetes").resourceVersion(), api.get(SERVICE).resourceVersion());
        server.endpointReconciler().reconcile();
        server.endpointReconciler().reconcile();
        assertThat(List.of(api.get(ENDPOINTS).resourceVersion(), api.get(SLICES + "/kubernetes").resourceVersion(),
                api.get(SERVICE).resourceVersion())).isEqualTo(before);
    }

    @Test
    void deletedOrEditedObjectsComeBack() throws Exception {
        ApiServer server = start(store(), FAST, Clock.systemUTC(), false);
        ApiClient api = new ApiClient(server.port());
        String self = "127.0.0.1:" + server.port();
        await().atMost(DEADLINE).until(() -> endpointsOf(api).equals(Set.of(self))
                && slicesOf(api).equals(Set.of(self)));

        assertThat(api.delete(ENDPOINTS).status()).isEqualTo(200);
        assertThat(api.delete(SLICES + "/kubernetes").status()).isEqualTo(200);
        await().atMost(DEADLINE).until(() -> endpointsOf(api).equals(Set.of(self))
                && slicesOf(api).equals(Set.of(self)));

        ObjectNode edited = api.get(ENDPOINTS).json();
        ((ObjectNode) edited.at("/subsets/0/addresses/0")).put("ip", "127.96.0.9");
        assertThat(api.put(ENDPOINTS, edited).status()).isEqualTo(200);
        ObjectNode editedSlice = api.get(SLICES + "/kubernetes").json();
        ((ObjectNode) editedSlice.at("/ports/0")).put("port", 1);
        assertThat(api.put(SLICES + "/kubernetes", editedSlice).status()).isEqualTo(200);
        await().atMost(DEADLINE).until(() -> endpointsOf(api).equals(Set.of(self))
                && slicesOf(api).equals(Set.of(self)));

        ObjectNode service = api.get(SERVICE).json();
        ((ObjectNode) service.at("/spec/ports/0")).put("targetPort", 8443);
        assertThat(api.put(SERVICE, service).status()).isEqualTo(200);
        await().atMost(DEADLINE).until(() -> targetPort(api) == server.port());
        assertThat(api.delete(SERVICE).status()).isEqualTo(200);
        await().atMost(DEADLINE).until(() -> api.get(SERVICE).status() == 200 && targetPort(api) == server.port());
    }

    @Test
    void serversSharingAStoreAreAllListedAndAStoppedOneLeaves() throws Exception {
        MemoryStore store = store();
        ApiServer one = start(store, FAST, Clock.systemUTC(), true);
        ApiServer two = start(store, FAST, Clock.systemUTC(), true);
        ApiClient api = new ApiClient(two.port());
        Set<String> both = Set.of("127.0.0.1:" + one.port(), "127.0.0.1:" + two.port());
        await().atMost(DEADLINE).until(() -> endpointsOf(api).equals(both) && slicesOf(api).equals(both));
        assertThat(api.get(ENDPOINTS).json().get("subsets")).as("a subset per port").hasSize(2);
        int lower = Math.min(one.port(), two.port());
        assertThat(targetPort(api)).as("a tie goes to the lower port").isEqualTo(lower);

        one.close();
        open.remove(one);
        Set<String> onlyTwo = Set.of("127.0.0.1:" + two.port());
        // the clean stop removed its lease and itself at once: no waiting for a TTL
        assertThat(api.get(LEASES + "/ferry-apiserver-127.0.0.1-" + one.port()).status()).isEqualTo(404);
        await().atMost(DEADLINE).until(() -> endpointsOf(api).equals(onlyTwo) && slicesOf(api).equals(onlyTwo)
                && targetPort(api) == two.port());
        assertThat(api.get(SLICES + "?labelSelector=kubernetes.io/service-name%3Dkubernetes").json().path("items")
                .valueStream().map(s -> s.at("/metadata/name").asString()).collect(Collectors.toList()))
                .containsExactly("kubernetes");
    }

    @Test
    void aServerWhoseLeaseExpiresDropsOut() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-26T18:00:00Z"));
        ApiServer server = start(store(), new EndpointReconciler.Timing(Duration.ofHours(1), Duration.ofSeconds(15)),
                clock, false);
        ApiClient api = new ApiClient(server.port());
        String self = "127.0.0.1:" + server.port();
        await().atMost(DEADLINE).until(() -> endpointsOf(api).equals(Set.of(self)));

        // another server's lease, renewed now, that is never renewed again (it crashed)
        ObjectNode lease = (ObjectNode) Json.MAPPER.readTree("""
                {"apiVersion":"coordination.k8s.io/v1","kind":"Lease",
                 "metadata":{"name":"ferry-apiserver-127.0.0.9-7000","labels":{"ferry.dev/apiserver-endpoint":"true"}},
                 "spec":{"holderIdentity":"127.0.0.9:7000","leaseDurationSeconds":15,"renewTime":"%s"}}"""
                .formatted(clock.instant()));
        assertThat(api.post(LEASES, lease).status()).isEqualTo(201);
        server.endpointReconciler().reconcile();
        assertThat(endpointsOf(api)).containsExactlyInAnyOrder(self, "127.0.0.9:7000");
        assertThat(slicesOf(api)).containsExactlyInAnyOrder(self, "127.0.0.9:7000");

        clock.advance(Duration.ofSeconds(14));
        server.endpointReconciler().reconcile();
        assertThat(endpointsOf(api)).containsExactlyInAnyOrder(self, "127.0.0.9:7000");

        clock.advance(Duration.ofSeconds(1));
        server.endpointReconciler().reconcile();
        assertThat(endpointsOf(api)).containsExactly(self);
        assertThat(slicesOf(api)).containsExactly(self);
        assertThat(api.get(LEASES + "/ferry-apiserver-127.0.0.9-7000").status()).as("kept one more TTL").isEqualTo(200);

        clock.advance(Duration.ofSeconds(16));
        server.endpointReconciler().reconcile();
        assertThat(api.get(LEASES + "/ferry-apiserver-127.0.0.9-7000").status()).as("collected").isEqualTo(404);
        assertThat(api.get(LEASES + "/ferry-apiserver-127.0.0.1-" + server.port()).status()).isEqualTo(200);
        assertThat(endpointsOf(api)).containsExactly(self);
    }
}
