package dev.ferry.e2e;

import static dev.ferry.e2e.PodJson.condition;
import static dev.ferry.e2e.PodJson.containerStatus;
import static dev.ferry.e2e.PodJson.events;
import static dev.ferry.e2e.PodJson.phase;
import static dev.ferry.e2e.PodJson.podIp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Failing probes through real kubectl: readiness probes (exec, tcpSocket against a closed port) keep a running pod
 * out of Ready with Unhealthy events; a failing liveness probe restarts the container, or under restartPolicy Never
 * ends it for good.
 */
final class ProbesTest extends ClusterTest {

    /** The READY column of {@code kubectl get pod}. */
    private static String readyColumn(String ns, String name) throws Exception {
        return cluster.ok("get", "pod", name, "-n", ns, "--no-headers").out().strip().split("\\s+")[1];
    }

    @Test
    void aFailingExecReadinessProbeKeepsARunningPodUnreadyWithUnhealthyEvents() throws Exception {
        String ns = "probe-exec";
        cluster.namespace(ns);
        apply(ns, "exec-readiness.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: gated
                  labels: {app: gated}
                spec:
                  containers:
                  - name: serve
                    image: ferry/serve-hostname
                    readinessProbe:
                      exec:
                        command: ["sh", "-c", "echo not ready yet; exit 1"]
                      periodSeconds: 1
                """);
        cluster.ok("expose", "pod", "gated", "-n", ns, "--port=80", "--target-port=9376");
        eventually().untilAsserted(() -> {
            JsonNode p = pod(ns, "gated");
            assertThat(phase(p)).isEqualTo("Running");
            assertThat(condition(p, "Ready")).isEqualTo("False");
            assertThat(condition(p, "ContainersReady")).isEqualTo("False");
            JsonNode cs = containerStatus(p, "serve");
            assertThat(cs.path("state").has("running")).isTrue();
            assertThat(cs.path("ready").asBoolean()).isFalse();
            assertThat(cs.path("restartCount").asInt()).isZero();
            assertThat(PodJson.hostnameAt(podIp(p), 9376)).as("the process runs").isEqualTo("gated");
            assertThat(events(cluster, ns, "gated")).contains("Unhealthy: Readiness probe failed: not ready yet");
            assertThat(readyColumn(ns, "gated")).isEqualTo("0/1");
            JsonNode slices = Cluster.JSON.readTree(cluster.ok("get", "endpointslices", "-n", ns, "-l",
                    "kubernetes.io/service-name=gated", "-o", "json").out());
            JsonNode endpoint = slices.path("items").get(0).path("endpoints").get(0);
            assertThat(endpoint.path("addresses").get(0).asString()).isEqualTo(podIp(p));
            assertThat(endpoint.path("conditions").path("ready").asBoolean()).isFalse();
        });
        assertThat(cluster.ok("describe", "pod", "gated", "-n", ns).out())
                .containsPattern("Warning\\s+Unhealthy\\s+.*Readiness probe failed: not ready yet");
    }

    @Test
    void aTcpSocketProbeAgainstAClosedPortFailsWithConnectionRefused() throws Exception {
        String ns = "probe-tcp";
        cluster.namespace(ns);
        apply(ns, "tcp-readiness.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: closed
                spec:
                  containers:
                  - name: serve
                    image: ferry/serve-hostname
                    readinessProbe:
                      tcpSocket:
                        port: 9999
                      periodSeconds: 1
                """);
        eventually().untilAsserted(() -> {
            JsonNode p = pod(ns, "closed");
            assertThat(phase(p)).isEqualTo("Running");
            assertThat(condition(p, "Ready")).isEqualTo("False");
            assertThat(containerStatus(p, "serve").path("state").has("running")).isTrue();
            assertThat(events(cluster, ns, "closed")).contains("Unhealthy: Readiness probe failed: dial tcp "
                    + podIp(p) + ":9999: connect: connection refused");
        });
        assertThat(containerStatus(pod(ns, "closed"), "serve").path("restartCount").asInt()).isZero();
    }

    @Test
    void aFailingLivenessProbeRestartsTheContainer() throws Exception {
        String ns = "probe-live";
        cluster.namespace(ns);
        apply(ns, "liveness.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: doomed
                spec:
                  containers:
                  - name: serve
                    image: ferry/serve-hostname
                    livenessProbe:
                      httpGet:
                        path: /healthz
                        port: 9998
                      periodSeconds: 1
                      failureThreshold: 2
                """);
        eventually().untilAsserted(() -> {
            JsonNode p = pod(ns, "doomed");
            JsonNode cs = containerStatus(p, "serve");
            assertThat(cs.path("restartCount").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(cs.path("lastState").path("terminated").isMissingNode()).isFalse();
            assertThat(events(cluster, ns, "doomed"))
                    .contains("Killing: Container serve failed liveness probe, will be restarted")
                    .contains("Unhealthy: Liveness probe failed: Get \"http://" + podIp(p)
                            + ":9998/healthz\": dial tcp " + podIp(p) + ":9998: connect: connection refused");
        });
        assertThat(cluster.ok("describe", "pod", "doomed", "-n", ns).out())
                .containsPattern("Normal\\s+Killing\\s+.*Container serve failed liveness probe, will be restarted");
    }

    @Test
    void aFailingLivenessProbeUnderRestartPolicyNeverEndsThePod() throws Exception {
        String ns = "probe-live-never";
        cluster.namespace(ns);
        apply(ns, "liveness-never.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: once
                spec:
                  restartPolicy: Never
                  containers:
                  - name: sleeper
                    image: ferry/host
                    command: ["sleep", "600"]
                    livenessProbe:
                      exec:
                        command: ["false"]
                      periodSeconds: 1
                      failureThreshold: 1
                """);
        eventually().untilAsserted(() -> {
            JsonNode p = pod(ns, "once");
            assertThat(phase(p)).isEqualTo("Failed");
            JsonNode cs = containerStatus(p, "sleeper");
            assertThat(cs.path("restartCount").asInt()).isZero();
            assertThat(cs.path("state").path("terminated").path("exitCode").asInt()).isEqualTo(143);
            assertThat(events(cluster, ns, "once")).contains("Killing: Container sleeper failed liveness probe")
                    .noneMatch(e -> e.contains("will be restarted"));
        });
    }
}
