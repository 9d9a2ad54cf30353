package dev.ferry.agent;

import static dev.ferry.agent.testing.PodStatuses.condition;
import static dev.ferry.agent.testing.PodStatuses.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.ferry.agent.runtime.ImageCatalog;
import dev.ferry.agent.runtime.ProcessRuntime;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lifecycle hooks end to end: a real API server, the agent, and containers that are real processes
 * ({@link ProcessRuntime}, busybox-style {@code sh} scripts that write what happens to them into a file).
 */
class LifecycleHooksTest extends AgentApiTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** A container that notes its start and SIGTERM in $OUT, and exits on SIGTERM. */
    private static final String NOTES_AND_EXITS = "echo up >> \"$OUT\"; trap 'echo term >> \"$OUT\"; exit 0' TERM; "
            + "while :; do sleep 0.1; done";
    private static final AtomicInteger NODES = new AtomicInteger();
    private final List<AutoCloseable> closing = new ArrayList<>();
    @TempDir
    Path dir;
    private Path out;
    private String node;

    @BeforeEach
    void startAgent() throws Exception {
        out = dir.resolve("out");
        node = "hooks-" + NODES.incrementAndGet();
        ProcessRuntime runtime = new ProcessRuntime(dir.resolve("state"), ImageCatalog.builtIns(),
                InstantSource.system());
        NodeAgent agent = NodeAgent.start(client, AgentConfig.defaults(node, dir.resolve("state"))
                .withHeartbeatInterval(Duration.ofMillis(500)).withPodWorkers(1), runtime, Clock.systemUTC());
        closing.add(runtime);
        closing.add(agent);
        // pod IPs of our own range, so tests elsewhere on this host do not collide
        String cidr = "127.78." + ThreadLocalRandom.current().nextInt(1, 255) + ".0/24";
        client.nodes().withName(node).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"podCIDR\":\"" + cidr + "\"}}");
    }

    @AfterEach
    void stop() throws Exception {
        for (String name : List.of("pre-exec", "pre-sleep", "pre-long", "pre-fail", "pre-http", "post-fail",
                "post-wait", "post-hang", "pre-hang", "other")) {
            client.pods().inNamespace("default").withName(name).withGracePeriod(0).delete();
        }
        await().atMost(DEADLINE).until(() -> client.pods().inNamespace("default").list().getItems().stream()
                .noneMatch(p -> node.equals(p.getSpec().getNodeName())));
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private PodBuilder pod(String name, String script, LifecycleHandler preStop, LifecycleHandler postStart) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata().withNewSpec()
                .withNodeName(node).addToContainers(container("c", script, preStop, postStart)).endSpec();
    }

    private io.fabric8.kubernetes.api.model.Container container(String name, String script,
            LifecycleHandler preStop, LifecycleHandler postStart) {
        return new ContainerBuilder().withName(name).withImage("busybox").withCommand("sh", "-c", script)
                .addNewEnv().withName("OUT").withValue(out.toString()).endEnv()
                .addNewEnv().withName("MARK").withValue("m1").endEnv()
                .withWorkingDir(dir.toString())
                .withNewLifecycle().withPreStop(preStop).withPostStart(postStart).endLifecycle().build();
    }

    private static LifecycleHandler exec(String script) {
        return new LifecycleHandlerBuilder().withNewExec().withCommand("sh", "-c", script).endExec().build();
    }

    private static LifecycleHandler sleep(long seconds) {
        return new LifecycleHandlerBuilder().withNewSleep().withSeconds(seconds).endSleep().build();
    }

    private static Pod create(Pod pod) {
        return client.pods().inNamespace("default").resource(pod).create();
    }

    private static Pod get(String name) {
        return client.pods().inNamespace("default").withName(name).get();
    }

    private static void delete(String name) {
        client.pods().inNamespace("default").withName(name).delete();
    }

    private static boolean ready(String name) {
        Pod p = get(name);
        return p != null && p.getStatus() != null && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    private static List<Event> events(Pod pod) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> pod.getMetadata().getUid().equals(e.getInvolvedObject().getUid())).toList();
    }

    private List<String> notes() {
        try {
            return Files.exists(out) ? Files.readAllLines(out) : List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every version of pod {@code name} seen from now on. */
    private List<Pod> watch(String name) {
        List<Pod> seen = new CopyOnWriteArrayList<>();
        Watch w = client.pods().inNamespace("default").withName(name).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                seen.add(pod);
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        closing.add(w::close);
        return seen;
    }

    @Test
    void preStopExecRunsInTheContainersEnvironmentBeforeSigterm() throws Exception {
        create(pod("pre-exec", NOTES_AND_EXITS,
                exec("echo \"prestop $MARK $PWD $POD_IP\" >> \"$OUT\""), null).build());
        await().atMost(DEADLINE).until(() -> ready("pre-exec"));
        String ip = get("pre-exec").getStatus().getPodIP();
        delete("pre-exec");
        await().atMost(DEADLINE).until(() -> get("pre-exec") == null);
        assertThat(notes()).containsExactly("up", "prestop m1 " + dir + " " + ip, "term");
    }

    @Test
    void preStopSleepDelaysSigterm() throws Exception {
        Path term = dir.resolve("term");
        create(pod("pre-sleep", "trap 'touch \"" + term + "\"; exit 0' TERM; while :; do sleep 0.1; done",
                sleep(3), null).build());
        await().atMost(DEADLINE).until(() -> ready("pre-sleep"));
        Instant deleted = Instant.now();
        delete("pre-sleep");
        await().atMost(DEADLINE).until(() -> get("pre-sleep") == null);
        // SIGTERM came no earlier than the 3 s sleep after the deletion (a lower bound only: never flaky)
        Instant sigterm = Files.getLastModifiedTime(term).toInstant();
        assertThat(Duration.between(deleted, sigterm)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
    }

    @Test
    void preStopLongerThanTheGracePeriodEndsWithSigtermThenSigkill() throws Exception {
        List<Pod> seen = watch("pre-long");
        Path term = dir.resolve("term");
        // ignores SIGTERM: notes it, then one line per 0.1 s until SIGKILL ends it
        create(pod("pre-long", "trap 'touch \"" + term + "\"; T=1' TERM; "
                + "while :; do sleep 0.1; if [ -n \"$T\" ]; then echo alive >> \"$OUT\"; fi; done",
                sleep(3600), null).editSpec().withTerminationGracePeriodSeconds(2L).endSpec().build());
        await().atMost(DEADLINE).until(() -> ready("pre-long"));
        Instant deleted = Instant.now();
        delete("pre-long");
        // a one-hour sleep, yet the pod goes within the deadline: the hook counts against the 2 s grace period
        await().atMost(DEADLINE).until(() -> get("pre-long") == null);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(seen).anyMatch(p -> status(p, "c") != null
                && status(p, "c").getState().getTerminated() != null
                && status(p, "c").getState().getTerminated().getExitCode() == 137));
        // lower bounds only: SIGTERM once the hook used the grace period, then at least 1 s (of the kubelet's
        // minimum 2 s) before SIGKILL
        assertThat(Duration.between(deleted, Files.getLastModifiedTime(term).toInstant()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(notes()).hasSizeGreaterThanOrEqualTo(10).containsOnly("alive");
    }

    @Test
    void failedPreStopHookIsReportedAndTheContainerStillStops() throws Exception {
        Pod pod = create(pod("pre-fail", NOTES_AND_EXITS, exec("echo nope; exit 3"), null).build());
        await().atMost(DEADLINE).until(() -> ready("pre-fail"));
        delete("pre-fail");
        await().atMost(DEADLINE).until(() -> get("pre-fail") == null);
        assertThat(notes()).containsExactly("up", "term");
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(events(pod)).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("FailedPreStopHook");
            assertThat(e.getMessage()).isEqualTo("PreStopHook failed");
            assertThat(e.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{c}");
        }));
    }

    @Test
    void preStopHttpGetGoesToThePodIp() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        List<String> requests = new CopyOnWriteArrayList<>();
        create(pod("pre-http", NOTES_AND_EXITS, new LifecycleHandlerBuilder().withNewHttpGet().withPath("/drain")
                .withPort(new IntOrString(port)).endHttpGet().build(), null).build());
        await().atMost(DEADLINE).until(() -> ready("pre-http"));
        String ip = get("pre-http").getStatus().getPodIP();
        HttpServer server = HttpServer.create(new InetSocketAddress(ip, port), 0);
        server.createContext("/", ex -> {
            requests.add(ex.getRequestURI().getPath() + " " + ex.getRequestHeaders().getFirst("User-Agent")
                    + " alive=" + notes().equals(List.of("up")));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        closing.add(() -> server.stop(0));
        delete("pre-http");
        await().atMost(DEADLINE).until(() -> get("pre-http") == null);
        assertThat(requests).containsExactly("/drain kube-lifecycle/1.32 alive=true");
        assertThat(notes()).containsExactly("up", "term");
    }

    @Test
    void hooksRunOffThePodWorkers() throws Exception {
        // one pod worker: a hook that blocked it would hold up every other pod
        Pod postHang = create(pod("post-hang", NOTES_AND_EXITS, null, exec("sleep 3600")).build());
        Pod preHang = create(pod("pre-hang", NOTES_AND_EXITS, sleep(3600), null).editSpec()
                .withTerminationGracePeriodSeconds(3600L).endSpec().build());
        await().atMost(DEADLINE).until(() -> ready("pre-hang"));
        delete("pre-hang");
        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(events(postHang)).anyMatch(e -> e.getReason().equals("Started"));
            assertThat(events(preHang)).anyMatch(e -> e.getReason().equals("Killing"));
        });
        create(pod("other", NOTES_AND_EXITS, null, null).build());
        await().atMost(DEADLINE).until(() -> ready("other"));
        assertThat(get("pre-hang").getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(ready("post-hang")).isFalse();
        // the pre-hang sleep and post-hang hook go on: force deletion ends them (in the clean-up)
    }

    @Test
    void failedPostStartHookKillsTheContainerWhichRestarts() throws Exception {
        // a postStart hook races the container's command (no order, as at the kubelet): this one waits for "up"
        Pod pod = create(pod("post-fail", NOTES_AND_EXITS, null,
                exec("until grep -q up \"$OUT\"; do sleep 0.01; done; echo poststart >> \"$OUT\"; exit 1")).build());
        await().atMost(DEADLINE).until(() -> {
            ContainerStatus s = status(get("post-fail"), "c");
            return s != null && s.getRestartCount() >= 1;
        });
        assertThat(notes()).startsWith("up", "poststart", "term");
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(events(pod))
                .anyMatch(e -> e.getReason().equals("FailedPostStartHook") && e.getType().equals("Warning")
                        && e.getMessage().equals("PostStartHook failed"))
                .anyMatch(e -> e.getReason().equals("Killing") && e.getMessage().equals("FailedPostStartHook")));
        assertThat(ready("post-fail")).isFalse();
    }

    @Test
    void containerIsNotStartedNorReadyAndLaterContainersWaitUntilPostStartSucceeds() throws Exception {
        Path go = dir.resolve("go");
        Pod pod = create(new PodBuilder(pod("post-wait", NOTES_AND_EXITS, null,
                exec("while [ ! -e \"" + go + "\" ]; do sleep 0.1; done")).build()).editSpec()
                .addToContainers(container("second", "echo second >> \"$OUT\"; while :; do sleep 0.1; done", null,
                        null))
                .endSpec().build());
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(events(pod))
                .anyMatch(e -> e.getReason().equals("Started") && e.getInvolvedObject().getFieldPath()
                        .equals("spec.containers{c}")));
        await().atMost(DEADLINE).until(() -> notes().contains("up") && status(get("post-wait"), "c") != null
                && status(get("post-wait"), "c").getState().getRunning() != null);
        // the hook waits for the test: nothing changes until it may end
        Pod waiting = get("post-wait");
        assertThat(status(waiting, "c").getStarted()).isFalse();
        assertThat(status(waiting, "c").getReady()).isFalse();
        assertThat(condition(waiting, "Ready")).isEqualTo("False");
        assertThat(status(waiting, "second").getState().getWaiting()).as(waiting.getStatus().toString()).isNotNull();
        assertThat(notes()).containsExactly("up");

        Files.createFile(go);
        await().atMost(DEADLINE).until(() -> ready("post-wait"));
        assertThat(notes()).containsExactly("up", "second");
        assertThat(status(get("post-wait"), "c").getStarted()).isTrue();
    }
}
