package dev.ferry.agent.pod;

import static dev.ferry.agent.pod.Pods.at;
import static dev.ferry.agent.pod.Pods.exited;
import static dev.ferry.agent.pod.Pods.records;
import static dev.ferry.agent.pod.Pods.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodStatusBuilderTest {
    private static final CrashBackoff TEN = CrashBackoff.NONE.next(at(0));

    /** Expected essentials: phase, Ready, ContainersReady, Initialized, and "state:reason" of each container. */
    static Stream<Arguments> cases() {
        Pod always = Pods.pod("Always", "a");
        Pod never = Pods.pod("Never", "a");
        Pod withInit = Pods.pod("Always", List.of("i1", "i2"), List.of("a"));
        ContainerHistory aRunning = running("a", 0, 0);
        ContainerHistory crashLoop = ContainerHistory.fresh("a", false)
                .started(ContainerHistory.Running.started("x", 0, at(0)), CrashBackoff.NONE)
                .exited(Termination.of("x", 0, 1, at(0), at(1)))
                .started(ContainerHistory.Running.started("y", 1, at(1)), TEN)
                .exited(Termination.of("y", 1, 1, at(1), at(95)));
        ContainerHistory startFailed = ContainerHistory.fresh("a", false)
                .startFailed(new StartError("ErrImagePull", "image \"nope\" is not known", at(1)), CrashBackoff.NONE);
        return Stream.of(
                Arguments.of("new pod", always, records(), Map.of(), null, "Pending", "False", "True",
                        List.of("waiting:ContainerCreating")),
                Arguments.of("running without probes", always, records(aRunning), Map.of(), "127.244.0.2",
                        "Running", "True", "True", List.of("running:")),
                Arguments.of("running, readiness failing", always, records(aRunning),
                        Map.of("a", new ProbeView(true, false, false)), "127.244.0.2", "Running", "False", "True",
                        List.of("running:")),
                Arguments.of("crash loop", always, records(crashLoop), Map.of(), "127.244.0.2", "Running", "False",
                        "True", List.of("waiting:CrashLoopBackOff")),
                Arguments.of("Never, exit 0", never, records(exited(aRunning, 0, 3)), Map.of(), "127.244.0.2",
                        "Succeeded", "False", "True", List.of("terminated:Completed")),
                Arguments.of("Never, exit 1", never, records(exited(aRunning, 1, 3)), Map.of(), "127.244.0.2",
                        "Failed", "False", "True", List.of("terminated:Error")),
                Arguments.of("init containers pending", withInit, records(), Map.of(), "127.244.0.2", "Pending",
                        "False", "False", List.of("waiting:PodInitializing")),
                Arguments.of("start failure", never, records(startFailed), Map.of(), "127.244.0.2", "Pending",
                        "False", "True", List.of("waiting:ErrImagePull")),
                Arguments.of("deleted, killed", Pods.deleting(always, 30L), records(exited(aRunning, 143, 40)),
                        Map.of(), "127.244.0.2", "Failed", "False", "True", List.of("terminated:Error")),
                Arguments.of("deleted, still stopping", Pods.deleting(always, 30L), records(aRunning), Map.of(),
                        "127.244.0.2", "Running", "True", "True", List.of("running:")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void builds(String name, Pod pod, Map<String, ContainerHistory> records, Map<String, ProbeView> probes,
            String podIp, String phase, String ready, String initialized, List<String> states) {
        PodStatus s = PodStatusBuilder.build(pod, records, probes, podIp, "127.0.0.1", at(100));
        assertThat(s.getPhase()).isEqualTo(phase);
        assertThat(condition(s, "Ready").getStatus()).isEqualTo(ready);
        assertThat(condition(s, "ContainersReady").getStatus()).isEqualTo(ready);
        assertThat(condition(s, "Initialized").getStatus()).isEqualTo(initialized);
        assertThat(condition(s, "PodScheduled").getStatus()).isEqualTo("True");
        assertThat(s.getContainerStatuses().stream().map(PodStatusBuilderTest::state).toList()).isEqualTo(states);
        assertThat(s.getPodIP()).isEqualTo(podIp);
        assertThat(s.getHostIP()).isEqualTo("127.0.0.1");
        assertThat(condition(s, "PodReadyToStartContainers").getStatus())
                .isEqualTo(podIp != null && !phase.equals("Succeeded") && !phase.equals("Failed") ? "True" : "False");
    }

    @Test
    void runningContainerStatus() {
        PodStatus s = PodStatusBuilder.build(Pods.pod("Always", "a"), records(running("a", 0, 7)), Map.of(),
                "127.244.0.2", "127.0.0.1", at(100));
        ContainerStatus cs = s.getContainerStatuses().get(0);
        assertThat(cs.getContainerID()).isEqualTo("ferry://id-a-0");
        assertThat(cs.getImage()).isEqualTo("ferry/echo:1.0");
        assertThat(cs.getImageID()).isEqualTo("ferry/echo");
        assertThat(cs.getState().getRunning().getStartedAt()).isEqualTo("2026-01-01T00:00:07Z");
        assertThat(cs.getReady()).isTrue();
        assertThat(cs.getStarted()).isTrue();
        assertThat(cs.getRestartCount()).isZero();
        assertThat(s.getPodIPs()).extracting(ip -> ip.getIp()).containsExactly("127.244.0.2");
        assertThat(s.getHostIPs()).extracting(ip -> ip.getIp()).containsExactly("127.0.0.1");
        assertThat(s.getStartTime()).isEqualTo("2026-01-01T00:01:40Z");
    }

    @Test
    void startupProbeNotPassed() {
        PodStatus s = PodStatusBuilder.build(Pods.pod("Always", "a"), records(running("a", 0, 7)),
                Map.of("a", new ProbeView(false, false, false)), "127.244.0.2", "127.0.0.1", at(100));
        assertThat(s.getContainerStatuses().get(0).getStarted()).isFalse();
        assertThat(s.getContainerStatuses().get(0).getReady()).isFalse();
        assertThat(condition(s, "Ready").getMessage()).isEqualTo("containers with unready status: [a]");
        assertThat(condition(s, "Ready").getReason()).isEqualTo("ContainersNotReady");
    }

    @Test
    void crashLoopBackOffMessageAndLastState() {
        ContainerHistory r = ContainerHistory.fresh("a", false)
                .started(ContainerHistory.Running.started("x", 0, at(0)), CrashBackoff.NONE)
                .exited(Termination.of("x", 0, 1, at(0), at(1)))
                .started(ContainerHistory.Running.started("y", 1, at(1)), TEN.next(at(1)))
                .exited(Termination.of("y", 1, 2, at(1), at(3)));
        Pod pod = Pods.pod("Always", "a");
        PodStatus s = PodStatusBuilder.build(pod, records(r), Map.of(), "127.244.0.2", "127.0.0.1", at(4));
        ContainerStatus cs = s.getContainerStatuses().get(0);
        assertThat(cs.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(cs.getState().getWaiting().getMessage())
                .isEqualTo("back-off 20s restarting failed container=a pod=p_ns(u1)");
        assertThat(cs.getLastState().getTerminated().getExitCode()).isEqualTo(2);
        assertThat(cs.getLastState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(cs.getLastState().getTerminated().getFinishedAt()).isEqualTo("2026-01-01T00:00:03Z");
        assertThat(cs.getLastState().getTerminated().getContainerID()).isEqualTo("ferry://y");
        assertThat(cs.getRestartCount()).isEqualTo(1);
        assertThat(cs.getReady()).isFalse();
    }

    @Test
    void initContainersIncompleteMessage() {
        Pod pod = Pods.pod("Always", List.of("i1", "i2"), List.of("a"));
        ContainerHistory i1 = exited(ContainerHistory.fresh("i1", true)
                .started(ContainerHistory.Running.started("i", 0, at(0)), CrashBackoff.NONE), 0, 1);
        PodStatus s = PodStatusBuilder.build(pod, records(i1), Map.of(), "127.244.0.2", "127.0.0.1", at(2));
        assertThat(condition(s, "Initialized").getMessage()).isEqualTo("containers with incomplete status: [i2]");
        assertThat(condition(s, "Initialized").getReason()).isEqualTo("ContainersNotInitialized");
        assertThat(s.getInitContainerStatuses()).extracting(PodStatusBuilderTest::state)
                .containsExactly("terminated:Completed", "waiting:PodInitializing");
    }

    @Test
    void unchangedConditionsKeepTheirTransitionTime() {
        Pod pod = Pods.pod("Always", "a");
        PodStatus first = PodStatusBuilder.build(pod, records(running("a", 0, 0)), Map.of(), "127.244.0.2",
                "127.0.0.1", at(10));
        Pod written = new PodBuilder(pod).withStatus(first).build();
        PodStatus again = PodStatusBuilder.build(written, records(running("a", 0, 0)), Map.of(), "127.244.0.2",
                "127.0.0.1", at(50));
        assertThat(again).isEqualTo(first);
        PodStatus unready = PodStatusBuilder.build(written, records(running("a", 0, 0)),
                Map.of("a", new ProbeView(true, false, false)), "127.244.0.2", "127.0.0.1", at(60));
        assertThat(condition(unready, "Ready").getLastTransitionTime()).isEqualTo("2026-01-01T00:01:00Z");
        assertThat(condition(unready, "Initialized").getLastTransitionTime()).isEqualTo("2026-01-01T00:00:10Z");
    }

    @Test
    void keepsSchedulerConditionsAndQosClass() {
        Pod pod = new PodBuilder(Pods.pod("Always", "a")).withNewStatus().withQosClass("BestEffort")
                .addNewCondition().withType("PodScheduled").withStatus("True")
                .withLastTransitionTime("2025-01-01T00:00:00Z").endCondition()
                .addNewCondition().withType("DisruptionTarget").withStatus("True").endCondition().endStatus().build();
        PodStatus s = PodStatusBuilder.build(pod, records(), Map.of(), null, "127.0.0.1", at(1));
        assertThat(s.getQosClass()).isEqualTo("BestEffort");
        assertThat(condition(s, "PodScheduled").getLastTransitionTime()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(s.getConditions().stream().map(PodCondition::getType).collect(Collectors.toList()))
                .containsExactly("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                        "PodScheduled", "DisruptionTarget");
    }

    @Test
    void goDurations() {
        assertThat(PodStatusBuilder.goDuration(java.time.Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(PodStatusBuilder.goDuration(java.time.Duration.ofSeconds(80))).isEqualTo("1m20s");
        assertThat(PodStatusBuilder.goDuration(java.time.Duration.ofSeconds(300))).isEqualTo("5m0s");
    }

    private static String state(ContainerStatus cs) {
        var st = cs.getState();
        if (st.getRunning() != null) {
            return "running:";
        }
        if (st.getTerminated() != null) {
            return "terminated:" + st.getTerminated().getReason();
        }
        return "waiting:" + st.getWaiting().getReason();
    }

    private static PodCondition condition(PodStatus s, String type) {
        return s.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }
}
