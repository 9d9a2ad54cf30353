package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every write the API acknowledged survives {@code kill -9} of the whole server: a write storm over HTTP, SIGKILL in
 * the middle of it, a restart on the same data dir, then every acknowledged Service is there with the resourceVersion
 * it was acknowledged with (or a later one), and new writes get higher resourceVersions.
 */
class CrashDurabilityTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dataDir;

    @Test
    void acknowledgedWritesSurviveSigkill() throws Exception {
        Map<String, Long> acked = new ConcurrentHashMap<>();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        try (FerryProcess ferry = FerryProcess.up(dataDir)) {
            String url = ferry.apiUrl() + "/api/v1/namespaces/default/services";
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService writers = Executors.newFixedThreadPool(8);
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                done.add(writers.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String name = "s-" + writer + "-" + i;
                        String body = "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"" + name
                                + "\"},\"spec\":{\"ports\":[{\"port\":80}]}}";
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 201) {
                                JsonNode obj = JSON.readTree(r.body());
                                acked.put(name, Long.parseLong(obj.path("metadata").path("resourceVersion")
                                        .asString()));
                            }
                        } catch (Exception e) {
                            return null;
                        }
                    }
                    return null;
                }));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= 1500);
            ferry.kill();
            stop.set(true);
            writers.shutdown();
            assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        long maxAcked = acked.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        try (FerryProcess again = FerryProcess.up(dataDir)) {
            Kubectl kubectl = new Kubectl(again.kubeconfig(), dataDir.resolve("kubectl-cache"));
            JsonNode list = JSON.readTree(kubectl.run("get", "services", "-n", "default", "-o", "json").ok().out());
            Map<String, Long> stored = new java.util.HashMap<>();
            for (JsonNode item : list.path("items")) {
                stored.put(item.path("metadata").path("name").asString(),
                        Long.parseLong(item.path("metadata").path("resourceVersion").asString()));
            }
            acked.forEach((name, rv) -> {
                assertThat(stored).as("acknowledged service %s", name).containsKey(name);
                assertThat(stored.get(name)).as("resourceVersion of %s", name).isGreaterThanOrEqualTo(rv);
            });
            String created = kubectl.run("create", "service", "clusterip", "after-crash", "--tcp=80:80", "-o",
                    "jsonpath={.metadata.resourceVersion}").ok().out().trim();
            assertThat(Long.parseLong(created)).isGreaterThan(maxAcked);
        }
    }
}
