package dev.ferry.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.apiserver.ApiClient.Resp;
import dev.ferry.apiserver.allocation.AllocationLedger;
import dev.ferry.apiserver.allocation.StoreLedger;
import dev.ferry.apiserver.service.ServiceNetworkConfig;
import dev.ferry.apiserver.service.SpecialIpValidator;
import dev.ferry.store.MemoryStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two API servers on one store (as two Ferry processes on one etcd), configured as sharing it: Services created on
 * both at once never share a cluster IP or node port. Small ranges make the two servers' candidates collide often.
 */
class SharedStoreAllocationTest {
    private static final int THREADS_PER_SERVER = 8;
    private static final int SERVICES_PER_THREAD = 10;
    private static final ServiceNetworkConfig NETWORK = new ServiceNetworkConfig("127.96.0.0/24", 30000, 30199,
            SpecialIpValidator.FERRY_ALLOWED_CIDRS);

    private final MemoryStore store = new MemoryStore();
    private final List<ApiServer> servers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        ApiServer.Config config = ApiServer.Config.defaults("127.0.0.1", 0).withNetwork(NETWORK).withSharedStore(true);
        servers.add(ApiServer.start(config, store, Clock.systemUTC()));
        servers.add(ApiServer.start(config, store, Clock.systemUTC()));
    }

    @AfterEach
    void stop() {
        servers.forEach(ApiServer::close);
        store.close();
    }

    private static ObjectNode service(String name, boolean nodePort) {
        ObjectNode svc = Fixtures.service(name, Map.of("app", name));
        if (nodePort) {
            ObjectNode spec = (ObjectNode) svc.get("spec");
            spec.put("type", "NodePort");
            spec.withArray("ports").addObject().put("name", "https").put("port", 443).put("protocol", "TCP")
                    .put("targetPort", 8443);
        }
        return svc;
    }

    @Test
    void servicesCreatedOnBothServersGetUniqueIpsAndPorts() throws Exception {
        ApiClient one = new ApiClient(servers.get(0).port());
        ApiClient two = new ApiClient(servers.get(1).port());
        one.createNamespace("shared");
        await().atMost(Duration.ofSeconds(10)).until(() -> two.get("/api/v1/namespaces/shared").status() == 200);

        List<ApiClient> clients = List.of(one, two);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS_PER_SERVER * clients.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Resp>>> futures = new ArrayList<>();
        try {
            for (int s = 0; s < clients.size(); s++) {
                for (int t = 0; t < THREADS_PER_SERVER; t++) {
                    ApiClient client = clients.get(s);
                    String prefix = "s" + s + "-t" + t + "-";
                    futures.add(pool.submit(() -> {
                        go.await();
                        List<Resp> out = new ArrayList<>();
                        for (int i = 0; i < SERVICES_PER_THREAD; i++) {
                            out.add(client.post(Fixtures.SERVICES.collection("shared"),
                                    service(prefix + i, i % 2 == 1)));
                        }
                        return out;
                    }));
                }
            }
            go.countDown();
            for (Future<List<Resp>> f : futures) {
                for (Resp r : f.get(120, TimeUnit.SECONDS)) {
                    assertThat(r.status()).as("create: %s", r.body()).isEqualTo(201);
                }
            }
        } finally {
            pool.shutdownNow();
        }

        int total = clients.size() * THREADS_PER_SERVER * SERVICES_PER_THREAD;
        List<ObjectNode> services = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            services.clear();
            one.get("/api/v1/services").json().withArray("items")
                    .forEach(item -> services.add((ObjectNode) item));
            assertThat(services).hasSize(total + 1);
        });
        List<String> ips = new ArrayList<>();
        List<Integer> nodePorts = new ArrayList<>();
        for (ObjectNode svc : services) {
            svc.at("/spec/clusterIPs").forEach(ip -> ips.add(ip.asString()));
            for (JsonNode port : svc.at("/spec/ports")) {
                if (port.path("nodePort").asInt() != 0) {
                    nodePorts.add(port.path("nodePort").asInt());
                }
            }
        }
        assertThat(ips).hasSize(total + 1);
        assertThat(new HashSet<>(ips)).as("every cluster IP is unique").hasSize(ips.size());
        assertThat(nodePorts).hasSize(total);
        assertThat(new HashSet<>(nodePorts)).as("every node port is unique").hasSize(nodePorts.size());

        Set<String> claimed = new HashSet<>();
        new StoreLedger(store).claims().forEach(c -> claimed.add(c.kind() + "/" + c.value()));
        Set<String> expected = new HashSet<>();
        ips.forEach(ip -> expected.add(AllocationLedger.SERVICE_IPS + "/" + ip));
        nodePorts.forEach(p -> expected.add(AllocationLedger.NODE_PORTS + "/" + p));
        assertThat(claimed).as("one claim per value in use, none left over").isEqualTo(expected);
    }

    @Test
    void aValueDeletedOnOneServerCanBeTakenOnTheOther() {
        ApiClient one = new ApiClient(servers.get(0).port());
        ApiClient two = new ApiClient(servers.get(1).port());
        ObjectNode svc = service("first", true);
        ((ObjectNode) svc.get("spec")).put("clusterIP", "127.96.0.77");
        assertThat(one.post(Fixtures.SERVICES.collection("default"), svc).status()).isEqualTo(201);

        ObjectNode clash = service("second", false);
        ((ObjectNode) clash.get("spec")).put("clusterIP", "127.96.0.77");
        Fixtures.assertStatus(two.post(Fixtures.SERVICES.collection("default"), clash), 422, "Invalid",
                "Service \"second\" is invalid: spec.clusterIPs: Invalid value: [\"127.96.0.77\"]: failed to "
                        + "allocate IP 127.96.0.77: provided IP is already allocated");

        assertThat(one.delete(Fixtures.SERVICES.item("default", "first")).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> two.get(Fixtures.SERVICES.item("default", "first")).status() == 404);
        // two still marks the address locally (it was held elsewhere) until its repair sweep; run one now
        servers.get(1).allocationRepair().sweep();
        Resp r = two.post(Fixtures.SERVICES.collection("default"), clash);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().at("/spec/clusterIP").asString()).isEqualTo("127.96.0.77");
    }
}
