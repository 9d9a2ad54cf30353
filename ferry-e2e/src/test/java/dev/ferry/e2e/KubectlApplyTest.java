package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code kubectl apply}, client-side and server-side, with the seed Service manifest. */
final class KubectlApplyTest extends ClusterTest {
    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private static Path seedWith(String fileName, String from, String to) {
        String seed = Cluster.resourceText("my-service.yaml");
        assertThat(seed).contains(from);
        return cluster.manifest(fileName, seed.replace(from, to));
    }

    @Test
    void applyTwiceIsUnchangedThenAPortChangeIsStored() throws Exception {
        cluster.namespace("apply-csa");
        Path seed = Cluster.resource("my-service.yaml");

        assertThat(cluster.ok("apply", "-f", seed.toString(), "-n", "apply-csa").out())
                .isEqualTo("service/my-service created\n");
        JsonNode created = cluster.get("apply-csa", "service", "my-service");
        String clusterIp = created.path("spec").path("clusterIP").asString();
        Cluster.assertServiceIp(clusterIp);
        assertThat(created.path("metadata").path("annotations").path(LAST_APPLIED).asString())
                .contains("\"port\":80", "\"targetPort\":9376");

        assertThat(cluster.ok("apply", "-f", seed.toString(), "-n", "apply-csa").out())
                .isEqualTo("service/my-service unchanged\n");
        assertThat(cluster.get("apply-csa", "service", "my-service").path("metadata").path("resourceVersion"))
                .isEqualTo(created.path("metadata").path("resourceVersion"));

        Path changed = seedWith("my-service-8080.yaml", "port: 80\n", "port: 8080\n");
        assertThat(cluster.ok("apply", "-f", changed.toString(), "-n", "apply-csa").out())
                .isEqualTo("service/my-service configured\n");
        JsonNode stored = cluster.get("apply-csa", "service", "my-service");
        JsonNode ports = stored.path("spec").path("ports");
        assertThat(ports.size()).as("ports after the change: %s", ports).isEqualTo(1);
        assertThat(ports.get(0).path("port").asInt()).isEqualTo(8080);
        assertThat(ports.get(0).path("targetPort").asInt()).isEqualTo(9376);
        assertThat(ports.get(0).path("protocol").asString()).isEqualTo("TCP");
        assertThat(stored.path("spec").path("clusterIP").asString()).isEqualTo(clusterIp);
        assertThat(stored.path("metadata").path("uid")).isEqualTo(created.path("metadata").path("uid"));
        assertThat(stored.path("metadata").path("annotations").path(LAST_APPLIED).asString())
                .contains("\"port\":8080").doesNotContain("\"port\":80,");
    }

    @Test
    void serverSideApplyCreatesThenChangesAField() throws Exception {
        cluster.namespace("apply-ssa");
        Path seed = Cluster.resource("my-service.yaml");

        assertThat(cluster.ok("apply", "--server-side", "-f", seed.toString(), "-n", "apply-ssa").out())
                .isEqualTo("service/my-service serverside-applied\n");
        JsonNode created = cluster.get("apply-ssa", "service", "my-service");
        String clusterIp = created.path("spec").path("clusterIP").asString();
        Cluster.assertServiceIp(clusterIp);
        assertThat(created.path("spec").path("selector").path("app").asString()).isEqualTo("MyApp");
        assertThat(created.path("spec").path("ports").get(0).path("targetPort").asInt()).isEqualTo(9376);
        assertThat(created.path("metadata").path("annotations").has(LAST_APPLIED)).isFalse();

        Path changed = seedWith("my-service-ssa.yaml", "targetPort: 9376", "targetPort: 9377");
        assertThat(cluster.ok("apply", "--server-side", "-f", changed.toString(), "-n", "apply-ssa").out())
                .isEqualTo("service/my-service serverside-applied\n");
        JsonNode stored = cluster.get("apply-ssa", "service", "my-service");
        JsonNode ports = stored.path("spec").path("ports");
        assertThat(ports.size()).as("ports: %s", ports).isEqualTo(1);
        assertThat(ports.get(0).path("port").asInt()).isEqualTo(80);
        assertThat(ports.get(0).path("targetPort").asInt()).isEqualTo(9377);
        assertThat(stored.path("spec").path("clusterIP").asString()).isEqualTo(clusterIp);
        assertThat(stored.path("spec").path("selector").path("app").asString()).isEqualTo("MyApp");
        assertThat(stored.path("metadata").path("uid")).isEqualTo(created.path("metadata").path("uid"));
    }

    @Test
    void serverSideApplyOverAClientSideAppliedObjectKeepsItsSpec() throws Exception {
        cluster.namespace("apply-mixed");
        Path seed = Cluster.resource("my-service.yaml");
        assertThat(cluster.ok("apply", "-f", seed.toString(), "-n", "apply-mixed").out())
                .isEqualTo("service/my-service created\n");
        JsonNode before = cluster.get("apply-mixed", "service", "my-service");

        // kubectl follows the apply with a second one (fieldManager kubectl-last-applied) carrying only metadata.
        assertThat(cluster.ok("apply", "--server-side", "-f", seed.toString(), "-n", "apply-mixed").out())
                .isEqualTo("service/my-service serverside-applied\n");
        JsonNode after = cluster.get("apply-mixed", "service", "my-service");
        assertThat(after.path("spec").path("selector")).isEqualTo(before.path("spec").path("selector"));
        assertThat(after.path("spec").path("ports")).isEqualTo(before.path("spec").path("ports"));
        assertThat(after.path("spec").path("clusterIP").asString())
                .isEqualTo(before.path("spec").path("clusterIP").asString());
        assertThat(after.path("spec").path("type").asString()).isEqualTo("ClusterIP");
        assertThat(after.path("metadata").path("annotations").path(LAST_APPLIED).asString())
                .contains("\"selector\":{\"app\":\"MyApp\"}");
    }

    @Test
    void serverSideApplyConflictsWithAnotherManagerUnlessForced() throws Exception {
        cluster.namespace("apply-conflict");
        cluster.ok("apply", "--server-side", "-f", Cluster.resource("my-service.yaml").toString(),
                "-n", "apply-conflict");
        Path other = seedWith("my-service-other.yaml", "targetPort: 9376", "targetPort: 9999");

        Kubectl.Result conflict = cluster.run("apply", "--server-side", "--field-manager=other",
                "-f", other.toString(), "-n", "apply-conflict");
        assertThat(conflict.exit()).isEqualTo(1);
        assertThat(conflict.err()).startsWith("error: Apply failed with 1 conflict: conflict with \"kubectl\": "
                + ".spec.ports[port=80,protocol=\"TCP\"].targetPort\n");
        assertThat(cluster.get("apply-conflict", "service", "my-service")
                .path("spec").path("ports").get(0).path("targetPort").asInt()).isEqualTo(9376);

        assertThat(cluster.ok("apply", "--server-side", "--field-manager=other", "--force-conflicts",
                "-f", other.toString(), "-n", "apply-conflict").out())
                .isEqualTo("service/my-service serverside-applied\n");
        JsonNode stored = Cluster.JSON.readTree(cluster.ok("get", "service", "my-service", "-n", "apply-conflict",
                "-o", "json", "--show-managed-fields").out());
        assertThat(stored.path("spec").path("ports").get(0).path("targetPort").asInt()).isEqualTo(9999);
        JsonNode managed = stored.path("metadata").path("managedFields");
        assertThat(managed.valueStream().map(m -> m.path("manager").asString() + "/" + m.path("operation").asString())
                .toList()).containsExactlyInAnyOrder("kubectl/Apply", "other/Apply");
        String port = "k:{\"port\":80,\"protocol\":\"TCP\"}";
        for (JsonNode m : managed) {
            boolean ownsTargetPort = m.path("fieldsV1").path("f:spec").path("f:ports").path(port).has("f:targetPort");
            assertThat(ownsTargetPort).as("%s owns targetPort", m.path("manager"))
                    .isEqualTo(m.path("manager").asString().equals("other"));
        }
    }
}
