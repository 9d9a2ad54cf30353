package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code ferry up} keeps its state in its data dir: a restart after SIGTERM serves the same objects. */
final class RestartPersistenceTest {
    @TempDir
    static Path dir;
    static Cluster cluster;

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aServiceSurvivesARestartWithItsClusterIp() throws Exception {
        cluster = Cluster.start(dir);
        cluster.namespace("persist");
        cluster.ok("create", "-f", Cluster.resource("my-service.yaml").toString(), "-n", "persist");
        cluster.ok("create", "service", "nodeport", "np", "--tcp=80:8080", "-n", "persist");
        JsonNode before = cluster.get("persist", "service", "my-service");
        JsonNode npBefore = cluster.get("persist", "service", "np");
        String firstApi = cluster.ferry().apiUrl();

        assertThat(cluster.ferry().stop(Duration.ofSeconds(20))).as("stopped by SIGTERM within the grace period")
                .isNotEqualTo(-1);
        assertThat(cluster.ferry().isAlive()).isFalse();

        cluster = Cluster.start(dir);
        assertThat(cluster.ferry().apiUrl()).as("a new port (--api-port 0)").isNotEqualTo(firstApi);
        JsonNode after = cluster.get("persist", "service", "my-service");
        assertThat(after.path("metadata").path("uid")).isEqualTo(before.path("metadata").path("uid"));
        assertThat(after.path("metadata").path("resourceVersion"))
                .isEqualTo(before.path("metadata").path("resourceVersion"));
        assertThat(after.path("spec")).isEqualTo(before.path("spec"));
        JsonNode npAfter = cluster.get("persist", "service", "np");
        assertThat(npAfter.path("spec").path("ports").get(0).path("nodePort"))
                .isEqualTo(npBefore.path("spec").path("ports").get(0).path("nodePort"));
        assertThat(cluster.ok("get", "namespace", "persist", "-o", "name").out()).isEqualTo("namespace/persist\n");

        // The restored allocation is still held: the same clusterIP cannot be handed out again.
        String ip = after.path("spec").path("clusterIP").asString();
        Path manifest = cluster.manifest("same-ip.yaml", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: same-ip
                spec:
                  clusterIP: %s
                  ports:
                    - port: 80
                """.formatted(ip));
        assertThat(cluster.run("create", "-f", manifest.toString(), "-n", "persist").err())
                .contains("provided IP is already allocated");
    }
}
