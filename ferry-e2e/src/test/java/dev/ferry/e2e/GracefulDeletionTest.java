package dev.ferry.e2e;

import static dev.ferry.e2e.PodJson.condition;
import static dev.ferry.e2e.PodJson.events;
import static dev.ferry.e2e.PodJson.podIp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Graceful pod deletion through real kubectl: SIGTERM first, the pod Terminating (and its endpoint terminating) until
 * its process exits, logs readable meanwhile; SIGKILL after terminationGracePeriodSeconds for a process that ignores
 * SIGTERM; then the pod object is gone.
 */
final class GracefulDeletionTest extends ClusterTest {

    private static boolean exists(String ns, String name) throws Exception {
        return !cluster.ok("get", "pod", name, "-n", ns, "--ignore-not-found", "-o", "name").out().isBlank();
    }

    /** The single endpoint of the Service's slices. */
    private static JsonNode onlyEndpoint(String ns, String service) throws Exception {
        JsonNode slices = Cluster.JSON.readTree(cluster.ok("get", "endpointslices", "-n", ns, "-l",
                "kubernetes.io/service-name=" + service, "-o", "json").out());
        assertThat(slices.path("items")).hasSize(1);
        JsonNode endpoints = slices.path("items").get(0).path("endpoints");
        assertThat(endpoints).hasSize(1);
        return endpoints.get(0);
    }

    @Test
    void aPodThatTrapsSigtermStaysTerminatingWithATerminatingEndpointUntilItsProcessExits() throws Exception {
        String ns = "grace-trap";
        cluster.namespace(ns);
        // the handler says bye at once and takes a few seconds more to exit, so Terminating can be observed
        apply(ns, "trap.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: polite
                  labels: {app: polite}
                spec:
                  containers:
                  - name: main
                    image: ferry/host
                    command: ["sh", "-c", "trap 'echo bye; sleep 8; exit 0' TERM; echo started; while true; do sleep 0.2; done"]
                    ports:
                    - containerPort: 8080
                """);
        cluster.ok("expose", "pod", "polite", "-n", ns, "--port=80", "--target-port=8080");
        eventually().untilAsserted(() -> {
            JsonNode p = pod(ns, "polite");
            assertThat(condition(p, "Ready")).isEqualTo("True");
            JsonNode e = onlyEndpoint(ns, "polite");
            assertThat(e.path("addresses").get(0).asString()).isEqualTo(podIp(p));
            assertThat(e.path("conditions").path("ready").asBoolean()).isTrue();
            assertThat(cluster.ok("logs", "polite", "-n", ns).out()).isEqualTo("started\n");
        });
        String ip = podIp(pod(ns, "polite"));

        cluster.ok("delete", "pod", "polite", "-n", ns, "--wait=false");
        eventually().untilAsserted(() -> {
            assertThat(cluster.ok("get", "pod", "polite", "-n", ns, "--no-headers").out()).contains("Terminating");
            JsonNode e = onlyEndpoint(ns, "polite");
            assertThat(e.path("addresses").get(0).asString()).isEqualTo(ip);
            assertThat(e.path("conditions").path("terminating").asBoolean()).isTrue();
            assertThat(e.path("conditions").path("ready").asBoolean()).isFalse();
            assertThat(e.path("conditions").path("serving").asBoolean()).as("still ready while it stops").isTrue();
            // dash reports the loop's sleep, which got SIGTERM too, as "Terminated" before running the trap
            assertThat(cluster.ok("logs", "polite", "-n", ns).out()).startsWith("started\n").endsWith("bye\n");
        });
        assertThat(PodProcesses.withPodIp(ip)).as("the handler still runs while the pod is Terminating")
                .isNotEmpty();
        eventually().untilAsserted(() -> {
            assertThat(exists(ns, "polite")).isFalse();
            assertThat(PodProcesses.withPodIp(ip)).isEmpty();
        });
        assertThat(events(cluster, ns, "polite")).contains("Killing: Stopping container main");
        eventually().untilAsserted(() -> assertThat(cluster.ok("get", "endpointslices", "-n", ns, "-l",
                "kubernetes.io/service-name=polite", "-o", "jsonpath={.items[*].endpoints}").out()).isBlank());
    }

    @Test
    void aProcessIgnoringSigtermIsKilledAfterTheGracePeriodAndThePodDisappears() throws Exception {
        String ns = "grace-ignore";
        cluster.namespace(ns);
        Path marker = dir.resolve("stubborn-got-term");
        apply(ns, "stubborn.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: stubborn
                spec:
                  terminationGracePeriodSeconds: 2
                  containers:
                  - name: main
                    image: ferry/host
                    command: ["sh", "-c", "trap 'echo ignoring TERM >> %s' TERM; echo started; while true; do sleep 0.2; done"]
                """.formatted(marker));
        eventually().untilAsserted(() -> {
            assertThat(condition(pod(ns, "stubborn"), "Ready")).isEqualTo("True");
            assertThat(cluster.ok("logs", "stubborn", "-n", ns).out()).isEqualTo("started\n");
        });
        String ip = podIp(pod(ns, "stubborn"));
        List<Long> pids = PodProcesses.withPodIp(ip);
        assertThat(pids).isNotEmpty();

        cluster.ok("delete", "pod", "stubborn", "-n", ns, "--wait=false");
        eventually().untilAsserted(() -> {
            assertThat(exists(ns, "stubborn")).isFalse();
            assertThat(PodProcesses.withPodIp(ip)).isEmpty();
        });
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d", pid).isFalse();
        }
        assertThat(Files.readString(marker)).as("SIGTERM reached the process, which ignored it")
                .startsWith("ignoring TERM\n");
        assertThat(events(cluster, ns, "stubborn")).contains("Killing: Stopping container main");
    }
}
