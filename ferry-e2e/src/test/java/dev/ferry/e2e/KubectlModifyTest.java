package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Commands that change or remove a stored Service: label, annotate, edit, delete and wait for deletion. */
final class KubectlModifyTest extends ClusterTest {
    private static JsonNode createSeed(String ns) throws Exception {
        cluster.namespace(ns);
        cluster.ok("create", "-f", Cluster.resource("my-service.yaml").toString(), "-n", ns);
        return cluster.get(ns, "service", "my-service");
    }

    private static void createLabelled(String ns, String name, String labels) throws Exception {
        Path manifest = cluster.manifest(ns + "-" + name + ".yaml", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: %s
                  labels: {%s}
                spec:
                  ports:
                    - port: 80
                """.formatted(name, labels));
        cluster.ok("create", "-f", manifest.toString(), "-n", ns);
    }

    @Test
    void labelAddsOverwritesAndRemovesLabels() throws Exception {
        createSeed("label");

        assertThat(cluster.ok("label", "service", "my-service", "tier=frontend", "env=dev", "-n", "label").out())
                .isEqualTo("service/my-service labeled\n");
        JsonNode labels = cluster.get("label", "service", "my-service").path("metadata").path("labels");
        assertThat(labels.path("tier").asString()).isEqualTo("frontend");
        assertThat(labels.path("env").asString()).isEqualTo("dev");
        assertThat(cluster.ok("get", "services", "-n", "label", "-l", "tier=frontend", "-o", "name").out())
                .isEqualTo("service/my-service\n");

        Kubectl.Result noOverwrite = cluster.run("label", "service", "my-service", "tier=backend", "-n", "label");
        assertThat(noOverwrite.exit()).isEqualTo(1);
        assertThat(noOverwrite.err()).contains("'tier' already has a value (frontend)");

        cluster.ok("label", "service", "my-service", "tier=backend", "env-", "--overwrite", "-n", "label");
        labels = cluster.get("label", "service", "my-service").path("metadata").path("labels");
        assertThat(labels.path("tier").asString()).isEqualTo("backend");
        assertThat(labels.has("env")).isFalse();
    }

    @Test
    void annotateAddsAnAnnotation() throws Exception {
        JsonNode before = createSeed("annotate");

        assertThat(cluster.ok("annotate", "service", "my-service", "owner=team-a", "-n", "annotate").out())
                .isEqualTo("service/my-service annotated\n");
        JsonNode after = cluster.get("annotate", "service", "my-service");
        assertThat(after.path("metadata").path("annotations").path("owner").asString()).isEqualTo("team-a");
        assertThat(after.path("spec")).isEqualTo(before.path("spec"));
        assertThat(cluster.ok("describe", "service", "my-service", "-n", "annotate").out())
                .containsPattern("(?m)^Annotations:\\s+owner: team-a$");
    }

    @Test
    void editWithAScriptedEditorStoresTheChange() throws Exception {
        JsonNode before = createSeed("edit");
        Path editor = dir.resolve("editor.sh");
        Files.writeString(editor, """
                #!/bin/sh
                sed -i 's/targetPort: 9376/targetPort: 9999/' "$1"
                """);
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));

        Kubectl.Result r = cluster.kubectl().run(null,
                Map.of("EDITOR", editor.toString(), "KUBE_EDITOR", editor.toString()),
                "edit", "service", "my-service", "-n", "edit");
        assertThat(r.ok().out()).isEqualTo("service/my-service edited\n");
        JsonNode after = cluster.get("edit", "service", "my-service");
        JsonNode port = after.path("spec").path("ports").get(0);
        assertThat(port.path("targetPort").asInt()).isEqualTo(9999);
        assertThat(port.path("port").asInt()).isEqualTo(80);
        assertThat(after.path("spec").path("ports").size()).isEqualTo(1);
        assertThat(after.path("spec").path("clusterIP")).isEqualTo(before.path("spec").path("clusterIP"));
    }

    @Test
    void deleteByNameRemovesTheService() throws Exception {
        createSeed("delete-name");

        assertThat(cluster.ok("delete", "service", "my-service", "-n", "delete-name").out())
                .isEqualTo("service \"my-service\" deleted\n");
        Kubectl.Result get = cluster.run("get", "service", "my-service", "-n", "delete-name");
        assertThat(get.exit()).isEqualTo(1);
        assertThat(get.err()).isEqualTo("Error from server (NotFound): services \"my-service\" not found\n");
        Kubectl.Result again = cluster.run("delete", "service", "my-service", "-n", "delete-name");
        assertThat(again.err()).isEqualTo("Error from server (NotFound): services \"my-service\" not found\n");
    }

    @Test
    void deleteByLabelRemovesOnlyTheMatchingServices() throws Exception {
        cluster.namespace("delete-label");
        createLabelled("delete-label", "a", "tier: web");
        createLabelled("delete-label", "b", "tier: web");
        createLabelled("delete-label", "c", "tier: db");

        assertThat(cluster.ok("delete", "services", "-l", "tier=web", "-n", "delete-label").out())
                .isEqualTo("service \"a\" deleted\nservice \"b\" deleted\n");
        assertThat(cluster.ok("get", "services", "-n", "delete-label", "-o", "name").out())
                .isEqualTo("service/c\n");
    }

    @Test
    void waitForDeleteReturnsOnceTheServiceIsDeleted() throws Exception {
        createSeed("wait-delete");

        try (Background wait = Background.start(cluster.kubectl(), "wait", "--for=delete", "service/my-service",
                "-n", "wait-delete", "--timeout=60s")) {
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(wait::isAlive);

            cluster.ok("delete", "service", "my-service", "-n", "wait-delete", "--wait=false");
            await().atMost(Duration.ofSeconds(30)).until(() -> !wait.isAlive());
            assertThat(wait.exitValue()).as("stderr: %s", wait.stderr()).isZero();
            assertThat(wait.lines()).containsExactly("service/my-service condition met");
        }
    }
}
