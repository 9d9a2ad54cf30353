package dev.ferry.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.apiserver.testing.LocalApiServer;
import dev.ferry.client.Clients;
import dev.ferry.client.SharedInformers;
import dev.ferry.controllers.replicaset.ReplicaSetController;
import dev.ferry.controllers.workloadutil.FakeKubelet;
import dev.ferry.controllers.workloadutil.Owners;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real kubectl's rollout commands against the controllers: status, undo (client-side), restart, wait. */
@SuppressWarnings("try") // fake kubelets and watches run for the duration of a try block
class KubectlRolloutTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static LocalApiServer server;
    private static KubernetesClient client;
    private static SharedInformers informers;
    private static ReplicaSetController replicaSets;
    private static DeploymentController deployments;
    @TempDir
    static Path dir;
    private static Path kubeconfig;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(kubectlPath() != null, "kubectl is not installed");
        server = LocalApiServer.start();
        client = Clients.connect(server.url(), "test");
        informers = new SharedInformers(client);
        replicaSets = ReplicaSetController.start(informers, ReplicaSetController.Options.defaults(),
                Clock.systemUTC());
        deployments = DeploymentController.start(informers, DeploymentController.Options.defaults(),
                Clock.systemUTC());
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: ferry, cluster: {server: "%s"}}]
                users: [{name: ferry, user: {}}]
                contexts: [{name: ferry, context: {cluster: ferry, user: ferry}}]
                current-context: ferry
                """.formatted(server.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server == null) {
            return;
        }
        deployments.close();
        replicaSets.close();
        informers.close();
        client.close();
        server.close();
    }

    private static String kubectlPath() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "kubectl"))) {
                return Path.of(d, "kubectl").toString();
            }
        }
        return null;
    }

    private record Result(int exit, String output) {
    }

    private static Result kubectl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(kubectlPath(), "--kubeconfig", kubeconfig.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            p.destroy();
        }
    }

    private static List<ReplicaSet> setsOf(String ns, Deployment d) {
        return client.apps().replicaSets().inNamespace(ns).list().getItems().stream()
                .filter(rs -> Owners.isControlledBy(rs, d.getMetadata().getUid())).toList();
    }

    private static String image(ReplicaSet rs) {
        return rs.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage();
    }

    @Test
    void rolloutStatusUndoRestartAndWait() throws Exception {
        String ns = "kubectl";
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .create();
        try (FakeKubelet kubelet = new FakeKubelet(client, ns)) {
            Result created = kubectl("-n", ns, "create", "deployment", "hello", "--image=ferry/serve-hostname",
                    "--replicas=3");
            assertThat(created.exit()).as(created.output()).isZero();
            Result status = kubectl("-n", ns, "rollout", "status", "deployment/hello", "--timeout=60s");
            assertThat(status.exit()).as(status.output()).isZero();
            assertThat(status.output()).contains("successfully rolled out");
            Result wait = kubectl("-n", ns, "wait", "--for=condition=Available", "deployment/hello",
                    "--timeout=60s");
            assertThat(wait.exit()).as(wait.output()).isZero();
            Deployment d = client.apps().deployments().inNamespace(ns).withName("hello").get();

            Result set = kubectl("-n", ns, "set", "image", "deployment/hello", "serve-hostname=ferry/echo");
            assertThat(set.exit()).as(set.output()).isZero();
            status = kubectl("-n", ns, "rollout", "status", "deployment/hello", "--timeout=60s");
            assertThat(status.exit()).as(status.output()).isZero();
            Result history = kubectl("-n", ns, "rollout", "history", "deployment/hello");
            assertThat(history.output()).contains("1 ").contains("2 ");

            Result undo = kubectl("-n", ns, "rollout", "undo", "deployment/hello");
            assertThat(undo.exit()).as(undo.output()).isZero();
            status = kubectl("-n", ns, "rollout", "status", "deployment/hello", "--timeout=60s");
            assertThat(status.exit()).as(status.output()).isZero();
            await().atMost(WAIT).untilAsserted(() -> {
                ReplicaSet back = setsOf(ns, d).stream().filter(rs -> image(rs).equals("ferry/serve-hostname"))
                        .findFirst().orElseThrow();
                assertThat(back.getMetadata().getAnnotations()).containsEntry(Deployments.REVISION, "3")
                        .containsEntry(Deployments.REVISION_HISTORY, "1");
                assertThat(setsOf(ns, d)).hasSize(2);
            });

            Result restart = kubectl("-n", ns, "rollout", "restart", "deployment/hello");
            assertThat(restart.exit()).as(restart.output()).isZero();
            status = kubectl("-n", ns, "rollout", "status", "deployment/hello", "--timeout=60s");
            assertThat(status.exit()).as(status.output()).isZero();
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(setsOf(ns, d)).hasSize(3);
                Deployment cur = client.apps().deployments().inNamespace(ns).withName("hello").get();
                assertThat(cur.getMetadata().getAnnotations()).containsEntry(Deployments.REVISION, "4");
            });
        }
    }
}
