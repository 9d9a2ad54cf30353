package dev.ferry.e2e;

import static dev.ferry.e2e.PodJson.containerStatus;
import static dev.ferry.e2e.PodJson.events;
import static dev.ferry.e2e.PodJson.phase;
import static dev.ferry.e2e.PodJson.restarts;
import static dev.ferry.e2e.PodJson.statusColumn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Bad input and ended containers, through real kubectl: an unknown image, a missing command, a crash loop, a port two
 * containers want, restart policies and init containers. Each pod reports why, as Kubernetes does, and nothing else
 * in the namespace is disturbed.
 */
final class PodFailuresTest extends ClusterTest {

    /** Starts a serve-hostname pod and waits until it answers on its IP. */
    private static void awaitHealthyNeighbour(String ns, String name) throws Exception {
        eventually().untilAsserted(() -> {
            JsonNode p = pod(ns, name);
            assertThat(PodJson.condition(p, "Ready")).isEqualTo("True");
            assertThat(PodJson.hostnameAt(PodJson.podIp(p), 9376)).isEqualTo(name);
            assertThat(restarts(p, name)).as("restarts of %s (IP %s, cluster pod CIDR %s), previous log: %s", name,
                    PodJson.podIp(p), cluster.ferry().podCidr(),
                    cluster.run("logs", name, "-n", ns, "--previous").out()).isZero();
        });
    }

    @Test
    void anUnknownImageWaitsWithErrImagePullAndAClearMessageWhileItsNeighbourRuns() throws Exception {
        String ns = "bad-image";
        cluster.namespace(ns);
        cluster.ok("run", "nowhere", "-n", ns, "--image=example.com/no-such/image:1.0");
        cluster.ok("run", "neighbour", "-n", ns, "--image=ferry/serve-hostname");

        eventually().untilAsserted(() -> {
            JsonNode p = pod(ns, "nowhere");
            JsonNode waiting = containerStatus(p, "nowhere").path("state").path("waiting");
            assertThat(waiting.path("reason").asString()).isIn("ErrImagePull", "ImagePullBackOff");
            assertThat(waiting.path("message").asString()).contains("example.com/no-such/image:1.0");
            assertThat(phase(p)).isEqualTo("Pending");
            assertThat(PodJson.condition(p, "Ready")).isEqualTo("False");
            assertThat(statusColumn(cluster, ns, "nowhere")).isIn("ErrImagePull", "ImagePullBackOff");
        });
        eventually().untilAsserted(() -> assertThat(cluster.ok("describe", "pod", "nowhere", "-n", ns).out())
                .containsPattern("Warning\\s+Failed\\s+.*example.com/no-such/image:1.0"));
        Kubectl.Result logs = cluster.run("logs", "nowhere", "-n", ns);
        assertThat(logs.exit()).isNotZero();
        assertThat(logs.err()).contains("container \"nowhere\" in pod \"nowhere\" is waiting to start");
        awaitHealthyNeighbour(ns, "neighbour");
        assertThat(cluster.ok("get", "nodes", "--no-headers").out()).containsPattern("\\sReady\\s");
    }

    @Test
    void aMissingExecutableWaitsWithRunContainerErrorAndSaysWhichFile() throws Exception {
        String ns = "bad-command";
        cluster.namespace(ns);
        cluster.ok("run", "nocmd", "-n", ns, "--image=ferry/host", "--command", "--", "/no/such/binary");
        cluster.ok("run", "neighbour", "-n", ns, "--image=ferry/serve-hostname");

        eventually().untilAsserted(() -> {
            JsonNode cs = containerStatus(pod(ns, "nocmd"), "nocmd");
            JsonNode waiting = cs.path("state").path("waiting");
            assertThat(waiting.path("reason").asString()).isIn("RunContainerError", "StartError",
                    "CrashLoopBackOff");
            assertThat(waiting.path("reason").asString().equals("CrashLoopBackOff")
                    ? cs.path("lastState").path("terminated").path("message").asString()
                    : waiting.path("message").asString()).contains("/no/such/binary")
                    .contains("no such file or directory");
        });
        eventually().untilAsserted(() -> assertThat(events(cluster, ns, "nocmd"))
                .anyMatch(e -> e.startsWith("Failed: Error: ") && e.contains("/no/such/binary")));
        assertThat(cluster.ok("describe", "pod", "nocmd", "-n", ns).out()).contains("/no/such/binary");
        assertThat(phase(pod(ns, "nocmd"))).isEqualTo("Pending");
        awaitHealthyNeighbour(ns, "neighbour");
    }

    @Test
    void aContainerThatKeepsExitingOneIsInCrashLoopBackOffWithAGrowingRestartCount() throws Exception {
        String ns = "bad-crash";
        cluster.namespace(ns);
        cluster.ok("run", "crasher", "-n", ns, "--image=ferry/host", "--command", "--",
                "sh", "-c", "echo about to fail; exit 1");
        cluster.ok("run", "neighbour", "-n", ns, "--image=ferry/serve-hostname");

        AtomicReference<String> uid = new AtomicReference<>();
        AtomicReference<Integer> seen = new AtomicReference<>();
        eventually().untilAsserted(() -> {
            JsonNode p = pod(ns, "crasher");
            uid.set(p.path("metadata").path("uid").asString());
            JsonNode cs = containerStatus(p, "crasher");
            assertThat(cs.path("restartCount").asInt()).isGreaterThanOrEqualTo(1);
            JsonNode waiting = cs.path("state").path("waiting");
            assertThat(waiting.path("reason").asString()).isEqualTo("CrashLoopBackOff");
            assertThat(waiting.path("message").asString()).matches(
                    "back-off \\d+[ms0-9]* restarting failed container=crasher pod=crasher_" + ns + "\\("
                            + uid.get() + "\\)");
            JsonNode last = cs.path("lastState").path("terminated");
            assertThat(last.path("exitCode").asInt()).isEqualTo(1);
            assertThat(last.path("reason").asString()).isEqualTo("Error");
            assertThat(cs.path("ready").asBoolean()).isFalse();
            assertThat(phase(p)).isEqualTo("Running");
            assertThat(statusColumn(cluster, ns, "crasher")).isEqualTo("CrashLoopBackOff");
            seen.set(cs.path("restartCount").asInt());
        });
        eventually().untilAsserted(() -> assertThat(restarts(pod(ns, "crasher"), "crasher"))
                .as("the restart count keeps growing").isGreaterThan(seen.get()));
        eventually().untilAsserted(() -> assertThat(events(cluster, ns, "crasher")).contains(
                "BackOff: Back-off restarting failed container crasher in pod crasher_" + ns + "(" + uid.get()
                        + ")"));
        assertThat(cluster.ok("describe", "pod", "crasher", "-n", ns).out()).contains("CrashLoopBackOff")
                .contains("Back-off restarting failed container crasher");
        assertThat(cluster.ok("logs", "crasher", "-n", ns, "--previous").out()).isEqualTo("about to fail\n");
        awaitHealthyNeighbour(ns, "neighbour");
    }

    @Test
    void twoContainersBindingOnePortLeaveOneServingAndTheOtherCrashLoopingWithTheReasonInItsLog() throws Exception {
        String ns = "bad-port";
        cluster.namespace(ns);
        cluster.ok("apply", "-n", ns, "-f", cluster.manifest("two-on-one-port.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: clash
                spec:
                  containers:
                  - name: first
                    image: ferry/serve-hostname
                  - name: second
                    image: ferry/serve-hostname
                """).toString());

        AtomicReference<String> loser = new AtomicReference<>();
        eventually().untilAsserted(() -> {
            JsonNode p = pod(ns, "clash");
            JsonNode first = containerStatus(p, "first");
            JsonNode second = containerStatus(p, "second");
            assertThat(first.path("restartCount").asInt() + second.path("restartCount").asInt())
                    .isGreaterThanOrEqualTo(1);
            JsonNode winner = first.path("ready").asBoolean() ? first : second;
            JsonNode lost = winner == first ? second : first;
            assertThat(winner.path("ready").asBoolean()).isTrue();
            assertThat(winner.path("restartCount").asInt()).isZero();
            assertThat(lost.path("state").path("waiting").path("reason").asString()).isEqualTo("CrashLoopBackOff");
            assertThat(lost.path("lastState").path("terminated").path("exitCode").asInt()).isEqualTo(1);
            assertThat(PodJson.hostnameAt(PodJson.podIp(p), 9376)).isEqualTo("clash");
            loser.set(lost.path("name").asString());
        });
        String previous = cluster.ok("logs", "clash", "-n", ns, "-c", loser.get(), "--previous").out();
        assertThat(previous).contains("cannot bind").contains(":9376/tcp").containsIgnoringCase("address already in use");
        assertThat(statusColumn(cluster, ns, "clash")).isEqualTo("CrashLoopBackOff");
    }

    @Test
    void restartPolicyNeverWithExitThreeFailsThePod() throws Exception {
        String ns = "bad-never";
        cluster.namespace(ns);
        cluster.ok("run", "three", "-n", ns, "--image=ferry/host", "--restart=Never", "--command", "--",
                "sh", "-c", "echo exiting with 3; exit 3");
        eventually().untilAsserted(() -> {
            JsonNode p = pod(ns, "three");
            assertThat(phase(p)).isEqualTo("Failed");
            JsonNode terminated = containerStatus(p, "three").path("state").path("terminated");
            assertThat(terminated.path("exitCode").asInt()).isEqualTo(3);
            assertThat(terminated.path("reason").asString()).isEqualTo("Error");
            assertThat(restarts(p, "three")).isZero();
        });
        assertThat(statusColumn(cluster, ns, "three")).isEqualTo("Error");
        assertThat(cluster.ok("logs", "three", "-n", ns).out()).isEqualTo("exiting with 3\n");
    }

    @Test
    void restartPolicyOnFailureWithExitZeroSucceeds() throws Exception {
        String ns = "bad-onfailure";
        cluster.namespace(ns);
        cluster.ok("run", "done", "-n", ns, "--image=ferry/host", "--restart=OnFailure", "--command", "--",
                "sh", "-c", "echo all good");
        eventually().untilAsserted(() -> {
            JsonNode p = pod(ns, "done");
            assertThat(phase(p)).isEqualTo("Succeeded");
            JsonNode terminated = containerStatus(p, "done").path("state").path("terminated");
            assertThat(terminated.path("exitCode").asInt()).isZero();
            assertThat(terminated.path("reason").asString()).isEqualTo("Completed");
            assertThat(restarts(p, "done")).isZero();
        });
        assertThat(statusColumn(cluster, ns, "done")).isEqualTo("Completed");
    }

    @Test
    void initContainersRunToCompletionBeforeTheContainers() throws Exception {
        String ns = "bad-init";
        cluster.namespace(ns);
        Path shared = Files.createDirectories(dir.resolve("init-shared"));
        cluster.ok("apply", "-n", ns, "-f", cluster.manifest("init.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: initialized
                spec:
                  initContainers:
                  - name: prepare
                    image: ferry/host
                    command: ["sh", "-c", "sleep 1; echo prepared by init > %1$s/greeting"]
                  - name: check
                    image: ferry/host
                    command: ["test", "-f", "%1$s/greeting"]
                  containers:
                  - name: main
                    image: ferry/host
                    command: ["sh", "-c", "cat %1$s/greeting; exec sleep 600"]
                """.formatted(shared)).toString());
        eventually().untilAsserted(() -> {
            JsonNode p = pod(ns, "initialized");
            assertThat(phase(p)).isEqualTo("Running");
            assertThat(PodJson.condition(p, "Initialized")).isEqualTo("True");
            assertThat(PodJson.condition(p, "Ready")).isEqualTo("True");
            for (String init : List.of("prepare", "check")) {
                JsonNode t = containerStatus(p, init).path("state").path("terminated");
                assertThat(t.path("exitCode").asInt()).isZero();
                assertThat(t.path("reason").asString()).isEqualTo("Completed");
            }
            assertThat(cluster.ok("logs", "initialized", "-n", ns).out()).isEqualTo("prepared by init\n");
        });
        assertThat(restarts(pod(ns, "initialized"), "main")).isZero();
        cluster.ok("delete", "pod", "initialized", "-n", ns, "--grace-period=1");
    }

    @Test
    void aFailingInitContainerUnderRestartPolicyAlwaysCrashLoopsAndHoldsBackTheContainers() throws Exception {
        String ns = "bad-init-loop";
        cluster.namespace(ns);
        cluster.ok("apply", "-n", ns, "-f", cluster.manifest("init-loop.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: stuck
                spec:
                  initContainers:
                  - name: prepare
                    image: ferry/host
                    command: ["sh", "-c", "echo cannot prepare; exit 2"]
                  containers:
                  - name: main
                    image: ferry/serve-hostname
                """).toString());
        eventually().untilAsserted(() -> {
            JsonNode p = pod(ns, "stuck");
            assertThat(phase(p)).isEqualTo("Pending");
            assertThat(PodJson.condition(p, "Initialized")).isEqualTo("False");
            JsonNode init = containerStatus(p, "prepare");
            assertThat(init.path("restartCount").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(init.path("state").path("waiting").path("reason").asString()).isEqualTo("CrashLoopBackOff");
            assertThat(init.path("lastState").path("terminated").path("exitCode").asInt()).isEqualTo(2);
            assertThat(containerStatus(p, "main").path("state").path("waiting").path("reason").asString())
                    .isEqualTo("PodInitializing");
            assertThat(statusColumn(cluster, ns, "stuck")).isEqualTo("Init:CrashLoopBackOff");
        });
    }

    @Test
    void aFailingInitContainerUnderRestartPolicyNeverFailsThePod() throws Exception {
        String ns = "bad-init-fail";
        cluster.namespace(ns);
        cluster.ok("apply", "-n", ns, "-f", cluster.manifest("init-fail.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: blocked
                spec:
                  restartPolicy: Never
                  initContainers:
                  - name: prepare
                    image: ferry/host
                    command: ["sh", "-c", "echo cannot prepare; exit 1"]
                  containers:
                  - name: main
                    image: ferry/serve-hostname
                """).toString());
        eventually().untilAsserted(() -> {
            JsonNode p = pod(ns, "blocked");
            assertThat(phase(p)).isEqualTo("Failed");
            assertThat(PodJson.condition(p, "Initialized")).isEqualTo("False");
            JsonNode t = containerStatus(p, "prepare").path("state").path("terminated");
            assertThat(t.path("exitCode").asInt()).isEqualTo(1);
            assertThat(t.path("reason").asString()).isEqualTo("Error");
            JsonNode main = containerStatus(p, "main");
            assertThat(main.path("state").has("running")).isFalse();
            assertThat(main.path("state").has("terminated")).isFalse();
            assertThat(statusColumn(cluster, ns, "blocked")).isEqualTo("Init:Error");
        });
        assertThat(cluster.ok("logs", "blocked", "-n", ns, "-c", "prepare").out()).isEqualTo("cannot prepare\n");
        String ip = PodJson.podIp(pod(ns, "blocked"));
        assertThat(PodProcesses.withPodIp(ip)).as("processes with POD_IP=%s in cluster %s: %s", ip,
                cluster.ferry().podCidr(), PodJson.describeProcesses(PodProcesses.withPodIp(ip))).isEmpty();
    }
}
