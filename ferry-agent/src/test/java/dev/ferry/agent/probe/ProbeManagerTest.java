package dev.ferry.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.agent.pod.ProbeView;
import dev.ferry.agent.runtime.Container;
import dev.ferry.agent.runtime.ContainerLaunch;
import dev.ferry.agent.runtime.ContainerRuntime;
import dev.ferry.agent.testing.FakeRuntime;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeManagerTest {
    @TempDir
    Path dir;
    private final Map<String, Integer> exitCodes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger changes = new AtomicInteger();
    private final FakeRuntime runtime = new FakeRuntime().exec((c, cmd) -> {
        runs.computeIfAbsent(cmd.get(0), k -> new AtomicInteger()).incrementAndGet();
        return new ContainerRuntime.ExecResult(exitCodes.getOrDefault(cmd.get(0), 0), cmd.get(0) + " says no");
    });
    private final ProbeManager probes = new ProbeManager(new Prober(runtime), Clock.systemUTC(),
            new ProbeManager.Listener() {
                @Override
                public void changed(String podUid) {
                    changes.incrementAndGet();
                }

                @Override
                public void failed(Pod pod, String container, ProbeType type, String message) {
                    failures.add(type.title() + ": " + message);
                }
            });

    @AfterEach
    void close() {
        probes.close();
    }

    private int runs(String command) {
        return runs.getOrDefault(command, new AtomicInteger()).get();
    }

    @Test
    void startupProbeGatesReadinessAndLiveness() throws Exception {
        var spec = new ContainerBuilder().withName("c").withImage("ferry/echo")
                .withNewStartupProbe().withNewExec().withCommand("startup").endExec().withPeriodSeconds(1)
                .withFailureThreshold(100).endStartupProbe()
                .withNewReadinessProbe().withNewExec().withCommand("ready").endExec().withPeriodSeconds(1)
                .endReadinessProbe()
                .withNewLivenessProbe().withNewExec().withCommand("live").endExec().withPeriodSeconds(1)
                .withFailureThreshold(2).endLivenessProbe().build();
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u").endMetadata()
                .withNewSpec().withContainers(spec).endSpec().build();
        Container attempt = runtime.start(new ContainerLaunch("u", "ns", "p", "c", 0, "ferry/echo", List.of(),
                List.of(), Map.of(), "", "127.0.0.1", dir.resolve("c.log")));
        exitCodes.put("startup", 1);
        probes.add(pod, spec, attempt, "127.0.0.1");
        assertThat(probes.view("u", "c", attempt.id())).isEqualTo(new ProbeView(false, false, false));

        await().atMost(Duration.ofSeconds(10)).until(() -> runs("startup") >= 2);
        assertThat(runs("ready")).isZero();
        assertThat(runs("live")).isZero();
        assertThat(probes.view("u", "c", attempt.id())).isEqualTo(new ProbeView(false, false, false));
        assertThat(failures).contains("Startup: startup says no");

        exitCodes.put("startup", 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> probes.view("u", "c", attempt.id()).ready());
        assertThat(probes.view("u", "c", attempt.id())).isEqualTo(new ProbeView(true, true, false));
        assertThat(changes.get()).isGreaterThanOrEqualTo(2);

        exitCodes.put("live", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> probes.view("u", "c", attempt.id()).livenessFailed());
        assertThat(failures).contains("Liveness: live says no");
        assertThat(probes.view("u", "c", "another-attempt")).isEqualTo(ProbeView.NONE);

        probes.remove("u", "c");
        assertThat(probes.view("u", "c", attempt.id())).isEqualTo(ProbeView.NONE);
    }

    @Test
    void adoptedAttemptKeepsItsReadinessUntilProbed() throws Exception {
        var spec = new ContainerBuilder().withName("c").withImage("ferry/echo")
                .withNewStartupProbe().withNewExec().withCommand("startup").endExec().withInitialDelaySeconds(3600)
                .endStartupProbe().withNewReadinessProbe().withNewExec().withCommand("ready").endExec()
                .withInitialDelaySeconds(3600).endReadinessProbe().build();
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u").endMetadata()
                .withNewSpec().withContainers(spec).endSpec().build();
        Container attempt = runtime.start(new ContainerLaunch("u", "ns", "p", "c", 0, "ferry/echo", List.of(),
                List.of(), Map.of(), "", "127.0.0.1", dir.resolve("c.log")));
        probes.add(pod, spec, attempt, "127.0.0.1", true, true);
        assertThat(probes.view("u", "c", attempt.id())).isEqualTo(new ProbeView(true, true, false));
        probes.add(pod, spec, attempt, "127.0.0.1", true, false);
        assertThat(probes.view("u", "c", attempt.id())).isEqualTo(new ProbeView(true, false, false));
        probes.add(pod, spec, attempt, "127.0.0.1");
        assertThat(probes.view("u", "c", attempt.id())).isEqualTo(new ProbeView(false, false, false));
    }

    @Test
    void noProbeRunsAfterTheContainerEnded() throws Exception {
        var spec = new ContainerBuilder().withName("c").withImage("ferry/echo").withNewReadinessProbe().withNewExec()
                .withCommand("ready").endExec().withPeriodSeconds(1).endReadinessProbe().build();
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u").endMetadata()
                .withNewSpec().withContainers(spec).endSpec().build();
        FakeRuntime.FakeContainer attempt = (FakeRuntime.FakeContainer) runtime.start(new ContainerLaunch("u", "ns",
                "p", "c", 0, "ferry/echo", List.of(), List.of(), Map.of(), "", "127.0.0.1", dir.resolve("c.log")));
        attempt.exitWith(0);
        probes.add(pod, spec, attempt, "127.0.0.1");
        probes.add(pod, spec, attempt, "127.0.0.1");
        // a second container with a probe proves the scheduler ran meanwhile
        var other = new ContainerBuilder(spec).withName("d").build();
        Container live = runtime.start(new ContainerLaunch("u", "ns", "p", "d", 0, "ferry/echo", List.of(),
                List.of(), Map.of(), "", "127.0.0.1", dir.resolve("d.log")));
        probes.add(pod, other, live, "127.0.0.1");
        await().atMost(Duration.ofSeconds(10)).until(() -> probes.view("u", "d", live.id()).ready());
        assertThat(runs("ready")).isGreaterThanOrEqualTo(1);
        assertThat(probes.view("u", "c", attempt.id()).ready()).isFalse();
    }

    @Test
    void aNeverReadyContainerRetriesAFailedReadinessProbeLongBeforeItsPeriod() throws Exception {
        // period one hour: kubelet timing would probe once now and again in an hour
        var spec = new ContainerBuilder().withName("c").withImage("ferry/echo").withNewReadinessProbe().withNewExec()
                .withCommand("ready").endExec().withPeriodSeconds(3600).endReadinessProbe().build();
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u").endMetadata()
                .withNewSpec().withContainers(spec).endSpec().build();
        Container attempt = runtime.start(new ContainerLaunch("u", "ns", "p", "c", 0, "ferry/echo", List.of(),
                List.of(), Map.of(), "", "127.0.0.1", dir.resolve("c.log")));
        exitCodes.put("ready", 1);
        probes.add(pod, spec, attempt, "127.0.0.1");
        await().atMost(Duration.ofSeconds(10)).until(() -> runs("ready") >= 3);
        assertThat(probes.view("u", "c", attempt.id()).ready()).isFalse();
        exitCodes.put("ready", 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> probes.view("u", "c", attempt.id()).ready());
    }

    @Test
    void removePodStopsProbingEveryContainerOfThatPodOnly() throws Exception {
        var c = new ContainerBuilder().withName("c").withImage("ferry/echo").withNewReadinessProbe().withNewExec()
                .withCommand("ready").endExec().withPeriodSeconds(1).endReadinessProbe().build();
        var d = new ContainerBuilder(c).withName("d").build();
        Map<String, Container> attempts = new ConcurrentHashMap<>();
        for (String uid : List.of("u", "v")) {
            Pod pod = new PodBuilder().withNewMetadata().withName(uid).withNamespace("ns").withUid(uid).endMetadata()
                    .withNewSpec().withContainers(c, d).endSpec().build();
            for (var spec : List.of(c, d)) {
                Container attempt = runtime.start(new ContainerLaunch(uid, "ns", uid, spec.getName(), 0,
                        "ferry/echo", List.of(), List.of(), Map.of(), "", "127.0.0.1",
                        dir.resolve(uid + spec.getName() + ".log")));
                attempts.put(uid + "/" + spec.getName(), attempt);
                probes.add(pod, spec, attempt, "127.0.0.1");
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.entrySet().stream().allMatch(e -> probes.view(
                e.getKey().split("/")[0], e.getKey().split("/")[1], e.getValue().id()).ready()));
        probes.removePod("u");
        assertThat(probes.view("u", "c", attempts.get("u/c").id())).isEqualTo(ProbeView.NONE);
        assertThat(probes.view("u", "d", attempts.get("u/d").id())).isEqualTo(ProbeView.NONE);
        assertThat(probes.view("v", "c", attempts.get("v/c").id()).ready()).isTrue();
        assertThat(probes.view("v", "d", attempts.get("v/d").id()).ready()).isTrue();
        probes.remove("v", "c");
        assertThat(probes.view("v", "c", attempts.get("v/c").id())).isEqualTo(ProbeView.NONE);
        assertThat(probes.view("v", "d", attempts.get("v/d").id()).ready()).isTrue();
    }
}
