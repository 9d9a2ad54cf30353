package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The seed walk-through with pods that really run: a Deployment of {@code ferry/serve-hostname} labelled
 * {@code app=MyApp}, the seed's Service (80 → 9376), and the EndpointSlice following every change — process kills,
 * pod deletion, scaling, readiness, rolling updates, relabelling — all through real kubectl and real sockets.
 */
final class PodsWalkthroughTest extends ClusterTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    /** A ready (or not) pod as kubectl shows it. */
    record PodView(String name, String ip, boolean ready, int restarts, String phase, boolean terminating) {
    }

    private static void seed(String ns) throws Exception {
        cluster.namespace(ns);
        cluster.ok("apply", "-n", ns, "-f", Cluster.resource("pods/hello-deployment.yaml").toString());
        cluster.ok("apply", "-n", ns, "-f", Cluster.resource("my-service.yaml").toString());
    }

    private static List<PodView> pods(String ns) throws Exception {
        JsonNode list = Cluster.JSON.readTree(cluster.ok("get", "pods", "-n", ns, "-l", "app=MyApp", "-o", "json")
                .out());
        List<PodView> out = new ArrayList<>();
        for (JsonNode p : list.path("items")) {
            boolean ready = false;
            for (JsonNode c : p.path("status").path("conditions")) {
                if (c.path("type").asString().equals("Ready")) {
                    ready = c.path("status").asString().equals("True");
                }
            }
            int restarts = 0;
            for (JsonNode cs : p.path("status").path("containerStatuses")) {
                restarts += cs.path("restartCount").asInt();
            }
            out.add(new PodView(p.path("metadata").path("name").asString(), p.path("status").path("podIP").asString(),
                    ready, restarts, p.path("status").path("phase").asString(),
                    p.path("metadata").has("deletionTimestamp")));
        }
        return out;
    }

    private static List<PodView> readyPods(String ns) throws Exception {
        return pods(ns).stream().filter(p -> p.ready() && !p.terminating()).toList();
    }

    /** "ip:port" of every endpoint of the Service's slices, mapped to its ready condition. */
    private static Map<String, Boolean> endpoints(String ns, String service) throws Exception {
        JsonNode list = Cluster.JSON.readTree(cluster.ok("get", "endpointslices", "-n", ns, "-l",
                "kubernetes.io/service-name=" + service, "-o", "json").out());
        Map<String, Boolean> out = new TreeMap<>();
        for (JsonNode slice : list.path("items")) {
            for (JsonNode port : slice.path("ports")) {
                for (JsonNode e : slice.path("endpoints")) {
                    boolean ready = !e.path("conditions").has("ready") || e.path("conditions").path("ready").asBoolean();
                    out.put(e.path("addresses").get(0).asString() + ":" + port.path("port").asInt(), ready);
                }
            }
        }
        return out;
    }

    private static Set<String> readyEndpoints(String ns, String service) throws Exception {
        Set<String> out = new TreeSet<>();
        endpoints(ns, service).forEach((ep, ready) -> {
            if (ready) {
                out.add(ep);
            }
        });
        return out;
    }

    private static Set<String> onPort(List<PodView> pods, int port) {
        Set<String> out = new TreeSet<>();
        pods.forEach(p -> out.add(p.ip() + ":" + port));
        return out;
    }

    /** Waits until {@code n} pods are ready and the Service's ready endpoints are exactly their IPs on 9376. */
    private static List<PodView> awaitServing(String ns, int n) {
        List<List<PodView>> last = new ArrayList<>(List.of(List.of()));
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
            List<PodView> ready = readyPods(ns);
            assertThat(ready).hasSize(n);
            assertThat(pods(ns)).hasSize(n);
            assertThat(readyEndpoints(ns, "my-service")).isEqualTo(onPort(ready, 9376));
            last.set(0, ready);
        });
        return last.get(0);
    }

    /** What serve-hostname answers on {@code ip:port}. */
    private static String hostnameAt(String ip, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 2_000);
            s.setSoTimeout(5_000);
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    @Test
    void deploymentPodsRunAsProcessesAndTheServiceListsExactlyTheReadyOnes() throws Exception {
        seed("walk-seed");
        List<PodView> ready = awaitServing("walk-seed", 3);

        Set<String> ips = new TreeSet<>();
        for (PodView p : ready) {
            String cidr = cluster.ferry().podCidr();
            assertThat(p.ip()).as("in the pod CIDR %s", cidr).startsWith(cidr.substring(0, cidr.indexOf(".0.0/")) + ".");
            assertThat(p.phase()).isEqualTo("Running");
            assertThat(hostnameAt(p.ip(), 9376)).as("the process behind %s", p.ip()).isEqualTo(p.name());
            assertThat(PodProcesses.withPodIp(p.ip())).as("a process with POD_IP=%s", p.ip()).isNotEmpty();
            ips.add(p.ip());
        }
        assertThat(ips).as("each pod has its own IP").hasSize(3);

        JsonNode endpoints = cluster.get("walk-seed", "endpoints", "my-service");
        Set<String> legacy = new TreeSet<>();
        for (JsonNode subset : endpoints.path("subsets")) {
            assertThat(subset.path("ports").get(0).path("port").asInt()).isEqualTo(9376);
            subset.path("addresses").forEach(a -> legacy.add(a.path("ip").asString()));
        }
        assertThat(legacy).isEqualTo(ips);

        String slices = cluster.ok("get", "endpointslices", "-n", "walk-seed").out();
        assertThat(slices.lines().skip(1).findFirst().orElseThrow()).startsWith("my-service-").contains("IPv4")
                .contains("9376");

        assertThat(cluster.ok("rollout", "status", "deployment/hello", "-n", "walk-seed", "--timeout=60s").out())
                .contains("successfully rolled out");
        assertThat(cluster.ok("wait", "--for=condition=Available", "deployment/hello", "-n", "walk-seed",
                "--timeout=60s").out()).contains("condition met");
        assertThat(cluster.ok("get", "nodes").out()).containsPattern("\\sReady\\s");
        JsonNode deploy = cluster.get("walk-seed", "deployment", "hello");
        assertThat(deploy.path("status").path("readyReplicas").asInt()).isEqualTo(3);
        assertThat(deploy.path("status").path("availableReplicas").asInt()).isEqualTo(3);
    }

    @Test
    void aKilledProcessIsRestartedAndADeletedPodIsReplaced() throws Exception {
        seed("walk-kill");
        List<PodView> ready = awaitServing("walk-kill", 3);

        PodView victim = ready.get(0);
        List<Long> pids = PodProcesses.withPodIp(victim.ip());
        assertThat(pids).isNotEmpty();
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
            PodView now = pods("walk-kill").stream().filter(p -> p.name().equals(victim.name())).findFirst()
                    .orElseThrow();
            assertThat(now.restarts()).isGreaterThanOrEqualTo(1);
            assertThat(now.ready()).isTrue();
            assertThat(hostnameAt(now.ip(), 9376)).isEqualTo(victim.name());
        });
        assertThat(cluster.ok("logs", victim.name(), "-n", "walk-kill", "--previous").exit()).isZero();

        PodView deleted = ready.get(1);
        cluster.ok("delete", "pod", deleted.name(), "-n", "walk-kill", "--wait=false");
        List<PodView> after = new ArrayList<>();
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
            List<PodView> now = awaitServing("walk-kill", 3);
            assertThat(now).extracting(PodView::name).doesNotContain(deleted.name());
            after.clear();
            after.addAll(now);
        });
        assertThat(readyEndpoints("walk-kill", "my-service")).doesNotContain(deleted.ip() + ":9376")
                .isEqualTo(onPort(after, 9376));
    }

    @Test
    void theSliceFollowsScaling() throws Exception {
        seed("walk-scale");
        awaitServing("walk-scale", 3);
        cluster.ok("scale", "deployment", "hello", "--replicas=5", "-n", "walk-scale");
        awaitServing("walk-scale", 5);
        cluster.ok("scale", "deployment", "hello", "--replicas=1", "-n", "walk-scale");
        List<PodView> one = awaitServing("walk-scale", 1);
        assertThat(hostnameAt(one.get(0).ip(), 9376)).isEqualTo(one.get(0).name());
    }

    @Test
    void aFailingReadinessProbeRemovesTheEndpointAndAPassingOneRestoresIt() throws Exception {
        String ns = "walk-ready";
        Path flags = Files.createDirectories(dir.resolve("ready-flags"));
        cluster.namespace(ns);
        cluster.ok("apply", "-n", ns, "-f", Cluster.resource("my-service.yaml").toString());
        cluster.ok("apply", "-n", ns, "-f", cluster.manifest("gated.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: gated
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: MyApp}}
                  template:
                    metadata: {labels: {app: MyApp}}
                    spec:
                      containers:
                      - name: serve
                        image: ferry/serve-hostname
                        readinessProbe:
                          exec:
                            command: ["sh", "-c", "test -f %s/$HOSTNAME"]
                          periodSeconds: 1
                          failureThreshold: 1
                """.formatted(flags)).toString());
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
            List<PodView> all = pods(ns);
            assertThat(all).hasSize(2).allMatch(p -> p.phase().equals("Running") && !p.ip().isEmpty());
            assertThat(endpoints(ns, "my-service")).hasSize(2).doesNotContainValue(true);
        });
        for (PodView p : pods(ns)) {
            Files.writeString(flags.resolve(p.name()), "ok");
        }
        List<PodView> ready = awaitServing(ns, 2);

        PodView gated = ready.get(0);
        Files.delete(flags.resolve(gated.name()));
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() ->
                assertThat(endpoints(ns, "my-service")).containsEntry(gated.ip() + ":9376", false)
                        .containsEntry(ready.get(1).ip() + ":9376", true));
        Files.writeString(flags.resolve(gated.name()), "ok");
        awaitServing(ns, 2);
    }

    @Test
    void aRollingUpdateReplacesEveryPodWhileTheSliceNeverDropsToZeroReadyEndpoints() throws Exception {
        String ns = "walk-roll";
        seed(ns);
        List<PodView> before = awaitServing(ns, 3);

        AtomicBoolean watching = new AtomicBoolean(true);
        AtomicInteger minReady = new AtomicInteger(Integer.MAX_VALUE);
        AtomicInteger samples = new AtomicInteger();
        Thread sampler = Thread.ofVirtual().start(() -> {
            while (watching.get()) {
                try {
                    minReady.accumulateAndGet(readyEndpoints(ns, "my-service").size(), Math::min);
                    samples.incrementAndGet();
                } catch (Exception e) {
                    // a failed kubectl call is no sample
                }
            }
        });
        cluster.ok("set", "env", "deployment/hello", "-n", ns, "GENERATION=2");
        assertThat(cluster.ok("rollout", "status", "deployment/hello", "-n", ns, "--timeout=90s").out())
                .contains("successfully rolled out");
        List<PodView> after = awaitServing(ns, 3);
        watching.set(false);
        sampler.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(after).extracting(PodView::name).doesNotContainAnyElementsOf(
                before.stream().map(PodView::name).toList());
        assertThat(samples.get()).as("slice samples taken during the rollout").isGreaterThan(3);
        assertThat(minReady.get()).as("fewest ready endpoints seen during the rollout").isGreaterThanOrEqualTo(1);
        assertThat(cluster.ok("rollout", "history", "deployment/hello", "-n", ns).out()).contains("2");

        cluster.ok("rollout", "undo", "deployment/hello", "-n", ns);
        assertThat(cluster.ok("rollout", "status", "deployment/hello", "-n", ns, "--timeout=90s").out())
                .contains("successfully rolled out");
        JsonNode env = cluster.get(ns, "deployment", "hello").path("spec").path("template").path("spec")
                .path("containers").get(0).path("env");
        assertThat(env.isMissingNode() || env.isEmpty()).as("undo restored the first template: %s", env).isTrue();
        awaitServing(ns, 3);
    }

    @Test
    void removingTheLabelTakesThePodOutOfTheSliceAndDeletingTheServiceLeavesPodsRunning() throws Exception {
        String ns = "walk-label";
        seed(ns);
        List<PodView> ready = awaitServing(ns, 3);
        PodView loose = ready.get(0);

        cluster.ok("label", "pod", loose.name(), "-n", ns, "app-");
        List<PodView> replaced = awaitServing(ns, 3);
        assertThat(replaced).extracting(PodView::name).doesNotContain(loose.name());
        assertThat(readyEndpoints(ns, "my-service")).doesNotContain(loose.ip() + ":9376");
        assertThat(hostnameAt(loose.ip(), 9376)).as("the released pod still runs").isEqualTo(loose.name());

        cluster.ok("delete", "service", "my-service", "-n", ns);
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(cluster.ok("get", "endpointslices,endpoints", "-n", ns, "-o", "name").out()).isEmpty());
        for (PodView p : replaced) {
            assertThat(hostnameAt(p.ip(), 9376)).isEqualTo(p.name());
        }
        assertThat(readyPods(ns)).hasSize(3);
    }

    @Test
    void kubectlLogsShowsThePodsOutput() throws Exception {
        String ns = "walk-logs";
        cluster.namespace(ns);
        cluster.ok("run", "talker", "-n", ns, "--image=ferry/host", "--restart=Never", "--command", "--",
                "sh", "-c", "echo one; echo two; echo three; sleep 600");
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(cluster.run("logs", "talker", "-n", ns).out()).isEqualTo("one\ntwo\nthree\n"));
        assertThat(cluster.ok("logs", "talker", "-n", ns, "--tail=1").out()).isEqualTo("three\n");

        Process follow = cluster.kubectl().start(Map.of(), "logs", "-f", "talker", "-n", ns);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(follow.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(r.readLine()).isEqualTo("one");
            assertThat(follow.isAlive()).as("logs -f keeps following a running container").isTrue();
        } finally {
            follow.destroy();
        }
        Kubectl.Result missing = cluster.run("logs", "talker", "-n", ns, "-c", "nope");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("container nope is not valid for pod talker");
    }
}
