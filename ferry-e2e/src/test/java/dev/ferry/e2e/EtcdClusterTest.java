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

    private static JsonNode get(Kubectl kubectl) throws Exception {
        return JSON.readTree(kubectl.run("get", "service", "my-service", "-o", "json").ok().out());
    }
}
