package dev.ferry.e2e;

import static dev.ferry.e2e.PodJson.condition;
import static dev.ferry.e2e.PodJson.containerStatus;
import static dev.ferry.e2e.PodJson.phase;
import static dev.ferry.e2e.PodJson.podIp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What a container process starts with, seen through {@code kubectl logs} of real processes: the Service link
 * variables exactly as Kubernetes names them (SERVICES.md §6), the downward API, {@code $(VAR)} expansion in env,
 * command and args, POD_IP, workingDir, and containers of one pod sharing its IP.
 */
final class PodEnvironmentTest extends ClusterTest {
    /** What every container of a ferry/host pod has besides its Kubernetes variables. */
    private static final List<String> BASE = List.of("PATH", "HOSTNAME", "POD_IP");

    /** Waits for a run-once pod to succeed and returns its log. */
    private static String logOfSucceeded(String ns, String name) throws Exception {
        eventually().untilAsserted(() -> assertThat(phase(pod(ns, name))).isEqualTo("Succeeded"));
        return cluster.ok("logs", name, "-n", ns).out();
    }

    /** The NAME=value lines of {@code env} output. */
    private static Map<String, String> parseEnv(String lines) {
        Map<String, String> env = new TreeMap<>();
        lines.lines().filter(l -> l.indexOf('=') > 0)
                .forEach(l -> env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return env;
    }

    private static String clusterIp(String ns, String service) throws Exception {
        return cluster.get(ns, "service", service).path("spec").path("clusterIP").asString();
    }

    /** The variables of the {@code default/kubernetes} Service (443, named https). */
    private static Map<String, String> kubernetesVars() throws Exception {
        String ip = clusterIp("default", "kubernetes");
        Cluster.assertServiceIp(ip);
        return Map.of("KUBERNETES_SERVICE_HOST", ip, "KUBERNETES_SERVICE_PORT", "443",
                "KUBERNETES_SERVICE_PORT_HTTPS", "443", "KUBERNETES_PORT", "tcp://" + ip + ":443",
                "KUBERNETES_PORT_443_TCP", "tcp://" + ip + ":443", "KUBERNETES_PORT_443_TCP_PROTO", "tcp",
                "KUBERNETES_PORT_443_TCP_PORT", "443", "KUBERNETES_PORT_443_TCP_ADDR", ip);
    }

    private static void services(String ns) throws Exception {
        apply(ns, "services.yaml", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: my-service
                spec:
                  selector: {app: MyApp}
                  ports:
                  - name: http
                    port: 80
                    targetPort: 9376
                  - name: stats
                    protocol: UDP
                    port: 9090
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: redis-primary
                spec:
                  selector: {app: redis}
                  ports:
                  - port: 6379
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: quiet
                spec:
                  clusterIP: None
                  selector: {app: quiet}
                  ports:
                  - port: 7000
                """);
    }

    @Test
    void aContainerSeesExactlyTheServiceVariablesOfServicesThatExistedBeforeIt() throws Exception {
        String ns = "env-links";
        cluster.namespace(ns);
        services(ns);
        cluster.ok("run", "printenv", "-n", ns, "--image=ferry/host", "--restart=Never", "--command", "--", "env");
        Map<String, String> env = parseEnv(logOfSucceeded(ns, "printenv"));

        String my = clusterIp(ns, "my-service");
        String redis = clusterIp(ns, "redis-primary");
        Map<String, String> expected = new TreeMap<>(kubernetesVars());
        expected.putAll(Map.of("MY_SERVICE_SERVICE_HOST", my, "MY_SERVICE_SERVICE_PORT", "80",
                "MY_SERVICE_SERVICE_PORT_HTTP", "80", "MY_SERVICE_SERVICE_PORT_STATS", "9090",
                "MY_SERVICE_PORT", "tcp://" + my + ":80"));
        expected.putAll(Map.of("MY_SERVICE_PORT_80_TCP", "tcp://" + my + ":80", "MY_SERVICE_PORT_80_TCP_PROTO", "tcp",
                "MY_SERVICE_PORT_80_TCP_PORT", "80", "MY_SERVICE_PORT_80_TCP_ADDR", my,
                "MY_SERVICE_PORT_9090_UDP", "udp://" + my + ":9090", "MY_SERVICE_PORT_9090_UDP_PROTO", "udp",
                "MY_SERVICE_PORT_9090_UDP_PORT", "9090", "MY_SERVICE_PORT_9090_UDP_ADDR", my));
        expected.putAll(Map.of("REDIS_PRIMARY_SERVICE_HOST", redis, "REDIS_PRIMARY_SERVICE_PORT", "6379",
                "REDIS_PRIMARY_PORT", "tcp://" + redis + ":6379", "REDIS_PRIMARY_PORT_6379_TCP",
                "tcp://" + redis + ":6379", "REDIS_PRIMARY_PORT_6379_TCP_PROTO", "tcp",
                "REDIS_PRIMARY_PORT_6379_TCP_PORT", "6379", "REDIS_PRIMARY_PORT_6379_TCP_ADDR", redis));
        String ip = podIp(pod(ns, "printenv"));
        expected.put("HOSTNAME", "printenv");
        expected.put("POD_IP", ip);
        expected.put("PATH", env.get("PATH"));
        assertThat(env.get("PATH")).isNotBlank();
        assertThat(env).as("the whole environment (no variables for the headless Service quiet)")
                .isEqualTo(expected);

        // a Service created after the pod is not in its environment; one created before the next pod is
        apply(ns, "late.yaml", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: late-comer
                spec:
                  ports:
                  - port: 81
                """);
        String late = clusterIp(ns, "late-comer");
        eventually().untilAsserted(() -> {
            cluster.run("delete", "pod", "again", "-n", ns, "--ignore-not-found");
            cluster.ok("run", "again", "-n", ns, "--image=ferry/host", "--restart=Never", "--command", "--", "env");
            assertThat(parseEnv(logOfSucceeded(ns, "again"))).containsEntry("LATE_COMER_SERVICE_HOST", late);
        });
    }

    @Test
    void enableServiceLinksFalseLeavesOnlyTheKubernetesService() throws Exception {
        String ns = "env-nolinks";
        cluster.namespace(ns);
        services(ns);
        apply(ns, "nolinks.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: unlinked
                spec:
                  enableServiceLinks: false
                  restartPolicy: Never
                  containers:
                  - name: env
                    image: ferry/host
                    command: ["env"]
                """);
        Map<String, String> env = parseEnv(logOfSucceeded(ns, "unlinked"));
        Map<String, String> expected = new TreeMap<>(kubernetesVars());
        expected.put("HOSTNAME", "unlinked");
        expected.put("POD_IP", podIp(pod(ns, "unlinked")));
        expected.put("PATH", env.get("PATH"));
        assertThat(env).isEqualTo(expected);
    }

    @Test
    void theDownwardApiAndVariableExpansionFillEnvCommandAndArgs() throws Exception {
        String ns = "env-downward";
        cluster.namespace(ns);
        Path workDir = Files.createDirectories(dir.resolve("work dir"));
        apply(ns, "downward.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: downward
                  labels: {x: ex-value}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: show
                    image: ferry/host
                    workingDir: "%s"
                    command: ["sh", "-c", "echo command=$(MY_NAME); echo arg=$1; echo cwd=$(pwd); env"]
                    args: ["zero", "$(MY_LABEL)-arg"]
                    env:
                    - {name: MY_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                    - {name: MY_NS, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
                    - {name: MY_LABEL, valueFrom: {fieldRef: {fieldPath: "metadata.labels['x']"}}}
                    - {name: MY_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
                    - {name: MY_NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
                    - {name: GREETING, value: "hello $(MY_NAME) in $(MY_NS) at $(POD_IP)"}
                    - {name: ESCAPED, value: "$$(MY_NAME)"}
                    - {name: UNDEFINED, value: "$(NO_SUCH_VAR)"}
                    - {name: FORWARD, value: "$(DEFINED_LATER)"}
                    - {name: DEFINED_LATER, value: "later"}
                """.formatted(workDir));
        String out = logOfSucceeded(ns, "downward");
        JsonNode p = pod(ns, "downward");
        String ip = podIp(p);
        String node = p.path("spec").path("nodeName").asString();
        assertThat(ip).isNotEmpty();
        assertThat(node).isNotEmpty();
        assertThat(out.lines().limit(3).toList()).containsExactly("command=downward", "arg=ex-value-arg",
                "cwd=" + workDir);
        Map<String, String> env = parseEnv(out);
        assertThat(env).containsEntry("MY_NAME", "downward").containsEntry("MY_NS", ns)
                .containsEntry("MY_LABEL", "ex-value").containsEntry("MY_IP", ip).containsEntry("MY_NODE", node)
                .containsEntry("POD_IP", ip).containsEntry("HOSTNAME", "downward")
                .containsEntry("GREETING", "hello downward in " + ns + " at " + ip)
                .containsEntry("ESCAPED", "$(MY_NAME)").containsEntry("UNDEFINED", "$(NO_SUCH_VAR)")
                .containsEntry("FORWARD", "$(DEFINED_LATER)").containsEntry("DEFINED_LATER", "later");
    }

    @Test
    void containersOfOnePodShareItsIpAndReachEachOtherOnIt() throws Exception {
        String ns = "env-shared-ip";
        cluster.namespace(ns);
        apply(ns, "pair.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: pair
                spec:
                  containers:
                  - name: web
                    image: ferry/echo
                  - name: client
                    image: ferry/host
                    command: ["sh", "-c", "until curl -sf http://$(POD_IP):8080/from-client; do sleep 0.2; done; exec sleep 600"]
                    readinessProbe:
                      httpGet:
                        path: /healthz
                        port: 8080
                      periodSeconds: 1
                """);
        eventually().untilAsserted(() -> {
            JsonNode p = pod(ns, "pair");
            assertThat(condition(p, "Ready")).isEqualTo("True");
            assertThat(containerStatus(p, "client").path("ready").asBoolean()).isTrue();
            String log = cluster.ok("logs", "pair", "-n", ns, "-c", "client").out();
            assertThat(log).contains("pod: pair\n").contains("method: GET\n").contains("path: /from-client\n");
        });
        String ip = podIp(pod(ns, "pair"));
        assertThat(cluster.ok("logs", "pair", "-n", ns, "-c", "web").out()).contains("listening on " + ip + ":8080");
        assertThat(PodProcesses.withPodIp(ip)).as("both containers run with POD_IP=%s", ip).hasSizeGreaterThanOrEqualTo(2);
        cluster.ok("delete", "pod", "pair", "-n", ns, "--grace-period=1");
    }
}
