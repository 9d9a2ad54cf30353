package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.store.etcd.EtcdProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code ferry up --store etcd} against a real etcd: kubectl works, and the state outlives the Ferry process. */
class EtcdClusterTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void servicesLiveInEtcdAcrossRestarts() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start()) {
            String[] store = {"--store", "etcd", "--etcd-endpoint", etcd.clientUrl().toString(), "--etcd-prefix",
                "/e2e-" + ProcessHandle.current().pid()};
            String clusterIp;
            try (FerryProcess ferry = FerryProcess.up(dir.resolve("first"), store)) {
                Kubectl kubectl = new Kubectl(ferry.kubeconfig(), dir.resolve("cache-1"));
                assertThat(kubectl.run("apply", "-f", Cluster.resource("my-service.yaml").toString()).ok().out())
                        .isEqualTo("service/my-service created\n");
                clusterIp = get(kubectl).path("spec").path("clusterIP").asString();
                Cluster.assertServiceIp(clusterIp);
                assertThat(ferry.stop(Duration.ofSeconds(20))).isNotEqualTo(-1);
            }
            try (FerryProcess again = FerryProcess.up(dir.resolve("second"), store)) {
                Kubectl kubectl = new Kubectl(again.kubeconfig(), dir.resolve("cache-2"));
                assertThat(get(kubectl).path("spec").path("clusterIP").asString()).isEqualTo(clusterIp);
                assertThat(kubectl.run("get", "services", "-o", "name").ok().out())
                        .contains("service/kubernetes", "service/my-service");
            }
        }
    }

    @Test
    void twoApiServersOnOneEtcdNeverHandOutTheSameAddress() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start()) {
            // Small ranges, so two servers allocating independently would collide many times over.
            String[] store = {"--store", "etcd", "--etcd-endpoint", etcd.clientUrl().toString(), "--etcd-prefix",
                "/pair-" + ProcessHandle.current().pid(), "--service-cluster-ip-range", "127.97.0.0/25",
                "--service-node-port-range", "31000-31079"};
            try (FerryProcess a = FerryProcess.up(dir.resolve("a"), store);
                    FerryProcess b = FerryProcess.up(dir.resolve("b"), store)) {
                java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
                java.util.List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    String server = (i % 2 == 0 ? a : b).apiUrl();
                    String body = "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"s" + i
                            + "\"},\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":80}]}}";
                    results.add(pool.submit(() -> http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(server + "/api/v1/namespaces/default/services"))
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()));
                }
                for (var r : results) {
                    assertThat(r.get()).isEqualTo(201);
                }
                pool.shutdown();
                JsonNode list = JSON.readTree(new Kubectl(b.kubeconfig(), dir.resolve("cache-b"))
                        .run("get", "services", "-o", "json").ok().out());
                java.util.Set<String> ips = new java.util.HashSet<>();
                java.util.Set<Integer> ports = new java.util.HashSet<>();
                int services = 0;
                for (JsonNode svc : list.path("items")) {
                    services++;
                    assertThat(ips.add(svc.path("spec").path("clusterIP").asString())).as("unique clusterIP").isTrue();
                    for (JsonNode port : svc.path("spec").path("ports")) {
                        if (port.has("nodePort")) {
                            assertThat(ports.add(port.path("nodePort").asInt())).as("unique nodePort").isTrue();
                        }
                    }
                }
                assertThat(services).isEqualTo(61);
                assertThat(ports).hasSize(60);
            }
        }
    }

    private static JsonNode get(Kubectl kubectl) throws Exception {
        return JSON.readTree(kubectl.run("get", "service", "my-service", "-o", "json").ok().out());
    }
}
