package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.e2e.PodViews.PodView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry up} stopped and started again on its data dir, with two pods of a Deployment running: after a crash
 * (SIGKILL) the next run adopts the still running pod processes; a clean stop (SIGTERM) stops them and the next run
 * starts them again, unless {@code --leave-pods-running} hands them over. Pods are found on this machine by the
 * {@code POD_IP} in their processes' environment.
 */
final class AgentRestartTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String NS = "restart";

    @TempDir
    Path dir;
    private final List<FerryProcess> started = new ArrayList<>();
    private final Set<String> podIps = ConcurrentHashMap.newKeySet();

    @AfterEach
    void cleanUp() {
        started.forEach(FerryProcess::close);
        PodViews.killPodProcesses(podIps);
    }

    /** A running pod as seen before a stop: its view and its processes. */
    private record Running(PodView pod, Set<Long> pids) {
    }

    private FerryProcess up(String podCidr, String... extraArgs) throws Exception {
        FerryProcess ferry = podCidr == null ? FerryProcess.up(dir.resolve("data"), extraArgs)
                : FerryProcess.up(dir.resolve("data"), podCidr, List.of(extraArgs));
        started.add(ferry);
        return ferry;
    }

    private Kubectl kubectl(FerryProcess ferry) {
        return new Kubectl(ferry.kubeconfig(), dir.resolve("cache"));
    }

    private List<PodView> pods(Kubectl kubectl) throws Exception {
        List<PodView> pods = PodViews.pods(kubectl, NS, "app=MyApp");
        pods.forEach(p -> {
            if (!p.ip().isEmpty()) {
                podIps.add(p.ip());
            }
        });
        return pods;
    }

    private static Set<Long> pids(String ip) throws Exception {
        return new TreeSet<>(PodProcesses.withPodIp(ip));
    }

    /** Two Ready serve-hostname pods of Deployment hello, each one process answering on its IP; by pod name. */
    private Map<String, Running> deployTwo(Kubectl kubectl) throws Exception {
        kubectl.run("create", "namespace", NS).ok();
        kubectl.run(Cluster.resourceText("pods/hello-deployment.yaml").replace("replicas: 3", "replicas: 2"),
                Map.of(), "apply", "-n", NS, "-f", "-").ok();
        Map<String, Running> out = new TreeMap<>();
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
            out.clear();
            List<PodView> pods = pods(kubectl);
            assertThat(pods).hasSize(2).allMatch(PodView::ready);
            for (PodView p : pods) {
                assertThat(pids(p.ip())).as("processes with POD_IP=%s", p.ip()).hasSize(1);
                out.put(p.name(), new Running(p, pids(p.ip())));
            }
        });
        for (Running r : out.values()) {
            assertThat(PodViews.hostnameAt(r.pod().ip(), 9376)).isEqualTo(r.pod().name());
        }
        return out;
    }

    /** Waits until the same two pods are Ready again on the same IPs; returns them by name. */
    private Map<String, PodView> awaitSamePodsReady(Kubectl kubectl, Map<String, Running> before) {
        Map<String, PodView> out = new TreeMap<>();
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
            out.clear();
            for (PodView p : pods(kubectl)) {
                out.put(p.name(), p);
            }
            assertThat(out.keySet()).isEqualTo(before.keySet());
            assertThat(out.values()).allMatch(PodView::ready);
            for (Running r : before.values()) {
                assertThat(out.get(r.pod().name()).ip()).as("IP of %s", r.pod().name()).isEqualTo(r.pod().ip());
            }
        });
        return out;
    }

    private static void assertNoProcessesWith(Map<String, Running> pods) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (Running r : pods.values()) {
                assertThat(PodProcesses.withPodIp(r.pod().ip())).as("processes with POD_IP=%s", r.pod().ip())
                        .isEmpty();
            }
        });
    }

    /** Asserts, for 3 s, that each pod runs as exactly the processes it had before (none started again). */
    private static void assertAdopted(Map<String, Running> before) {
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    for (Running r : before.values()) {
                        assertThat(pids(r.pod().ip())).as("%s's processes: the same, no duplicate", r.pod().name())
                                .isEqualTo(r.pids());
                    }
                });
    }

    @Test
    void afterACrashTheNextRunAdoptsTheRunningPods() throws Exception {
        FerryProcess ferry = up(null);
        Map<String, Running> before = deployTwo(kubectl(ferry));

        ferry.kill();
        for (Running r : before.values()) {
            assertThat(pids(r.pod().ip())).as("%s outlives the crashed agent", r.pod().name()).isEqualTo(r.pids());
        }

        FerryProcess again = up(ferry.podCidr());
        Kubectl kubectl = kubectl(again);
        Map<String, PodView> after = awaitSamePodsReady(kubectl, before);
        for (Running r : before.values()) {
            PodView now = after.get(r.pod().name());
            assertThat(now.restarts()).as("restarts of %s", now.name()).isEqualTo(r.pod().restarts());
            assertThat(now.containerIds()).as("containers of %s", now.name()).isEqualTo(r.pod().containerIds());
            assertThat(PodViews.hostnameAt(now.ip(), 9376)).isEqualTo(now.name());
        }
        assertAdopted(before);
        assertThat(pods(kubectl)).hasSize(2);

        assertThat(again.stop(Duration.ofSeconds(30))).as("ferry up exits on SIGTERM\n%s", again.output())
                .isNotEqualTo(-1);
        assertNoProcessesWith(before);
    }

    @Test
    void aCleanStopStopsThePodsAndTheNextRunStartsThemAgain() throws Exception {
        FerryProcess ferry = up(null);
        Map<String, Running> before = deployTwo(kubectl(ferry));

        assertThat(ferry.stop(Duration.ofSeconds(30))).as("ferry up exits on SIGTERM\n%s", ferry.output())
                .isNotEqualTo(-1);
        assertNoProcessesWith(before);

        FerryProcess again = up(ferry.podCidr());
        Kubectl kubectl = kubectl(again);
        Map<String, PodView> after = awaitSamePodsReady(kubectl, before);
        for (Running r : before.values()) {
            PodView now = after.get(r.pod().name());
            assertThat(now.restarts()).as("restarts of %s", now.name()).isEqualTo(r.pod().restarts() + 1);
            assertThat(now.containerIds()).as("containers of %s", now.name())
                    .doesNotContainAnyElementsOf(r.pod().containerIds());
            Set<Long> pids = pids(now.ip());
            assertThat(pids).as("%s runs as one new process", now.name()).hasSize(1)
                    .doesNotContainAnyElementsOf(r.pids());
            assertThat(PodViews.hostnameAt(now.ip(), 9376)).isEqualTo(now.name());
        }

        assertThat(again.stop(Duration.ofSeconds(30))).isNotEqualTo(-1);
        assertNoProcessesWith(before);
    }

    @Test
    void aCleanStopWithLeavePodsRunningHandsThePodsToTheNextRun() throws Exception {
        FerryProcess ferry = up(null, "--leave-pods-running");
        Map<String, Running> before = deployTwo(kubectl(ferry));

        assertThat(ferry.stop(Duration.ofSeconds(30))).as("ferry up exits on SIGTERM\n%s", ferry.output())
                .isNotEqualTo(-1);
        for (Running r : before.values()) {
            assertThat(pids(r.pod().ip())).as("%s is left running", r.pod().name()).isEqualTo(r.pids());
        }

        FerryProcess again = up(ferry.podCidr());
        Kubectl kubectl = kubectl(again);
        Map<String, PodView> after = awaitSamePodsReady(kubectl, before);
        for (Running r : before.values()) {
            PodView now = after.get(r.pod().name());
            assertThat(now.restarts()).as("restarts of %s", now.name()).isEqualTo(r.pod().restarts());
            assertThat(now.containerIds()).as("containers of %s", now.name()).isEqualTo(r.pod().containerIds());
        }
        assertAdopted(before);

        assertThat(again.stop(Duration.ofSeconds(30))).isNotEqualTo(-1);
        assertNoProcessesWith(before);
    }
}
