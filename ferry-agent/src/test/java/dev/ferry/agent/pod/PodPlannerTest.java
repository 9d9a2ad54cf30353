package dev.ferry.agent.pod;

import static dev.ferry.agent.pod.Pods.at;
import static dev.ferry.agent.pod.Pods.exited;
import static dev.ferry.agent.pod.Pods.records;
import static dev.ferry.agent.pod.Pods.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodPlannerTest {
    private static final CrashBackoff TEN = CrashBackoff.NONE.next(at(0));

    static Stream<Arguments> cases() {
        Pod always = Pods.pod("Always", "a", "b");
        Pod onFailure = Pods.pod("OnFailure", "a");
        Pod never = Pods.pod("Never", "a");
        Pod withInit = Pods.pod("Always", List.of("i1", "i2"), List.of("a"));
        Pod initNever = Pods.pod("Never", List.of("i1"), List.of("a"));
        ContainerHistory aRunning = running("a", 0, 0);
        ContainerHistory bRunning = running("b", 0, 0);
        ContainerHistory aCrashed = exited(aRunning, 1, 5);
        ContainerHistory aDone = exited(aRunning, 0, 5);
        ContainerHistory i1Running = running("i1", 0, 0).withRunning(running("i1", 0, 0).running());
        ContainerHistory i1Done = exited(initRunning("i1"), 0, 3);
        ContainerHistory i1Failed = exited(initRunning("i1"), 2, 3);
        ContainerHistory aRestarted = ContainerHistory.fresh("a", false)
                .started(ContainerHistory.Running.started("x", 0, at(0)), CrashBackoff.NONE)
                .exited(io(0, 1, 1)).started(ContainerHistory.Running.started("y", 1, at(1)), TEN);
        ContainerHistory aCrashedTwice = exited(aRestarted, 1, 5);
        ContainerHistory aStopping = aRunning.withRunning(aRunning.running().stopping(at(10), 30));
        ContainerHistory aInPreStop = aRunning.withRunning(aRunning.running().stopping(at(10), 30, true));
        // the hook took 40 s of 30: SIGTERM at 40, SIGKILL 2 s later
        ContainerHistory aAfterPreStop = aInPreStop.withRunning(aInPreStop.running().terminated(at(42)));
        ContainerHistory aPostStarting = aRunning.withRunning(
                aRunning.running().withPostStart(ContainerHistory.PostStart.PENDING));
        ContainerHistory aPostStartFailed = aRunning.withRunning(
                aRunning.running().withPostStart(ContainerHistory.PostStart.FAILED));
        ContainerHistory aStartFailed = ContainerHistory.fresh("a", false)
                .startFailed(new StartError("ErrImagePull", "unknown image", at(2)), CrashBackoff.NONE);
        ContainerHistory aStartFailedTwice = ContainerHistory.fresh("a", false)
                .startFailed(new StartError("ErrImagePull", "unknown image", at(2)), TEN);
        return Stream.of(
                Arguments.of("new pod: every container starts, attempt 0", always, records(), Map.of(), at(0),
                        List.of(start("a", 0, CrashBackoff.NONE), start("b", 0, CrashBackoff.NONE)), null),
                Arguments.of("all running: nothing", always, records(aRunning, bRunning), Map.of(), at(1),
                        List.of(), null),
                Arguments.of("first crash restarts at once and arms 10s", always, records(aCrashed, bRunning),
                        Map.of(), at(6), List.of(new PodAction.Start("a", false, 1, CrashBackoff.NONE.next(at(5)))),
                        null),
                Arguments.of("second crash within back-off waits", always, records(aCrashedTwice, bRunning),
                        Map.of(), at(6), List.of(new PodAction.BackOff("a", at(15), Duration.ofSeconds(10))),
                        at(15)),
                Arguments.of("second crash after back-off restarts, doubling", always,
                        records(aCrashedTwice, bRunning), Map.of(), at(15),
                        List.of(new PodAction.Start("a", false, 2, TEN.next(at(5)))), null),
                Arguments.of("Always restarts a clean exit", always, records(aDone, bRunning), Map.of(), at(6),
                        List.of(new PodAction.Start("a", false, 1, CrashBackoff.NONE.next(at(5)))), null),
                Arguments.of("OnFailure leaves a clean exit", onFailure, records(aDone), Map.of(), at(6), List.of(),
                        null),
                Arguments.of("OnFailure restarts a failure", onFailure, records(aCrashed), Map.of(), at(6),
                        List.of(new PodAction.Start("a", false, 1, CrashBackoff.NONE.next(at(5)))), null),
                Arguments.of("Never restarts nothing", never, records(aCrashed), Map.of(), at(6), List.of(), null),
                Arguments.of("first init container starts alone", withInit, records(), Map.of(), at(0),
                        List.of(new PodAction.Start("i1", true, 0, CrashBackoff.NONE)), null),
                Arguments.of("running init container: wait", withInit, records(initRunning("i1")), Map.of(),
                        at(1), List.of(), null),
                Arguments.of("init done: the next one", withInit, records(i1Done), Map.of(), at(4),
                        List.of(new PodAction.Start("i2", true, 0, CrashBackoff.NONE)), null),
                Arguments.of("all inits done: containers start", withInit,
                        records(i1Done, exited(initRunning("i2"), 0, 4)), Map.of(), at(5),
                        List.of(new PodAction.Start("a", false, 0, CrashBackoff.NONE)), null),
                Arguments.of("failed init restarts under Always", withInit, records(i1Failed), Map.of(), at(4),
                        List.of(new PodAction.Start("i1", true, 1, CrashBackoff.NONE.next(at(3)))), null),
                Arguments.of("failed init under Never: pod failed, nothing", initNever, records(i1Failed),
                        Map.of(), at(4), List.of(), null),
                Arguments.of("liveness failure stops with the pod's grace", always, records(aRunning, bRunning),
                        Map.of("a", new ProbeView(true, false, true)), at(7),
                        List.of(new PodAction.Terminate("a", 30, PodAction.Cause.LIVENESS_FAILED)), at(37)),
                Arguments.of("stopping container killed after its grace", always, records(aStopping, bRunning),
                        Map.of("a", new ProbeView(true, false, true)), at(40),
                        List.of(new PodAction.Kill("a")), null),
                Arguments.of("stopping container within grace: wait", always, records(aStopping, bRunning),
                        Map.of("a", new ProbeView(true, false, true)), at(20), List.of(), at(40)),
                Arguments.of("deletion: SIGTERM with the deletion grace", Pods.deleting(always, 5L),
                        records(aRunning, bRunning), Map.of(), at(30),
                        List.of(new PodAction.Terminate("a", 5, PodAction.Cause.POD_DELETED),
                                new PodAction.Terminate("b", 5, PodAction.Cause.POD_DELETED)), at(35)),
                Arguments.of("deletion with grace 0 kills at once", Pods.deleting(never, 0L), records(aRunning),
                        Map.of(), at(30), List.of(new PodAction.Terminate("a", 0, PodAction.Cause.POD_DELETED),
                                new PodAction.Kill("a")), null),
                Arguments.of("deletion: a shorter grace later wins", Pods.deleting(never, 2L), records(aStopping),
                        Map.of(), at(12), List.of(new PodAction.Kill("a")), null),
                Arguments.of("deletion: all ended, delete the pod", Pods.deleting(always, 30L),
                        records(aCrashed), Map.of(), at(31), List.of(new PodAction.DeletePod()), null),
                Arguments.of("deletion: never started, delete the pod", Pods.deleting(always, 30L), records(),
                        Map.of(), at(31), List.of(new PodAction.DeletePod()), null),
                Arguments.of("failed start retried once at once", never, records(aStartFailed), Map.of(), at(2),
                        List.of(new PodAction.Start("a", false, 0, CrashBackoff.NONE.next(at(2)))), null),
                Arguments.of("failed start again: back-off", never, records(aStartFailedTwice), Map.of(), at(3),
                        List.of(new PodAction.BackOff("a", at(12), Duration.ofSeconds(10))), at(12)),
                Arguments.of("image changed in the spec: stop to restart", always,
                        records(aRunning.withRunning(ContainerHistory.Running.started("x", 0, at(0), "old")),
                                bRunning), Map.of(), at(5),
                        List.of(new PodAction.Terminate("a", 30, PodAction.Cause.SPEC_CHANGED)), at(35)),
                Arguments.of("same image: nothing", always,
                        records(aRunning.withRunning(ContainerHistory.Running.started("x", 0, at(0),
                                "ferry/echo:1.0")), bRunning), Map.of(), at(5), List.of(), null),
                Arguments.of("deleted pod is not restarted", Pods.deleting(always, 30L), records(aCrashed),
                        Map.of(), at(6), List.of(new PodAction.DeletePod()), null),
                Arguments.of("preStop hook running: no SIGKILL, its end syncs", always,
                        records(aInPreStop, bRunning), Map.of(), at(45), List.of(), null),
                Arguments.of("after the preStop hook: SIGKILL when due, not at the grace end", always,
                        records(aAfterPreStop, bRunning), Map.of(), at(41), List.of(), at(42)),
                Arguments.of("after the preStop hook: SIGKILL once due", always, records(aAfterPreStop, bRunning),
                        Map.of(), at(42), List.of(new PodAction.Kill("a")), null),
                Arguments.of("deletion grace shorter than the stop's cuts the preStop hook short",
                        Pods.deleting(always, 5L), records(aInPreStop, bRunning.withRunning(bRunning.running()
                                .stopping(at(10), 5))), Map.of(), at(15),
                        List.of(new PodAction.Kill("a"), new PodAction.Kill("b")), null),
                Arguments.of("deletion with the stop's own grace waits for the preStop hook",
                        Pods.deleting(always, 30L), records(aInPreStop), Map.of(), at(45), List.of(), null),
                Arguments.of("failed postStart hook stops the container with the pod's grace", always,
                        records(aPostStartFailed, bRunning), Map.of(), at(3),
                        List.of(new PodAction.Terminate("a", 30, PodAction.Cause.POST_START_FAILED)), at(33)),
                Arguments.of("postStart hook running: later containers wait", always, records(aPostStarting),
                        Map.of(), at(1), List.of(), null),
                Arguments.of("postStart hook done: later containers start", always, records(aRunning), Map.of(),
                        at(1), List.of(start("b", 0, CrashBackoff.NONE)), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plans(String name, Pod pod, Map<String, ContainerHistory> records, Map<String, ProbeView> probes,
            Instant now, List<PodAction> actions, Instant wakeAt) {
        PodPlan plan = PodPlanner.plan(pod, records, probes, now);
        assertThat(plan.actions()).isEqualTo(actions);
        assertThat(plan.wakeAt()).isEqualTo(wakeAt);
    }

    @org.junit.jupiter.api.Test
    void livenessUsesTheProbesOwnGracePeriod() {
        Pod pod = new PodBuilder(Pods.pod("Always", "a")).editSpec().editFirstContainer().withNewLivenessProbe()
                .withTerminationGracePeriodSeconds(3L).withNewTcpSocket().withNewPort(80).endTcpSocket()
                .endLivenessProbe().endContainer().endSpec().build();
        PodPlan plan = PodPlanner.plan(pod, records(running("a", 0, 0)),
                Map.of("a", new ProbeView(true, true, true)), at(1));
        assertThat(plan.actions()).containsExactly(new PodAction.Terminate("a", 3, PodAction.Cause.LIVENESS_FAILED));
    }

    @org.junit.jupiter.api.Test
    void containersAfterOneWithAPostStartHookStartInALaterPlan() {
        Pod pod = new PodBuilder(Pods.pod("Always", "a", "b")).editSpec().editFirstContainer().withNewLifecycle()
                .withNewPostStart().withNewSleep().withSeconds(1L).endSleep().endPostStart().endLifecycle()
                .endContainer().endSpec().build();
        assertThat(PodPlanner.plan(pod, records(), Map.of(), at(0)).actions())
                .containsExactly(start("a", 0, CrashBackoff.NONE));
        // a hook container in back-off does not hold the others back
        ContainerHistory aCrashedTwice = exited(running("a", 1, 1), 1, 5)
                .startFailed(new StartError("RunContainerError", "x", at(5)), CrashBackoff.NONE.next(at(0)));
        assertThat(PodPlanner.plan(pod, records(aCrashedTwice), Map.of(), at(6)).actions())
                .containsExactly(new PodAction.BackOff("a", at(15), Duration.ofSeconds(10)),
                        start("b", 0, CrashBackoff.NONE));
    }

    private static PodAction start(String c, int attempt, CrashBackoff after) {
        return new PodAction.Start(c, false, attempt, after);
    }

    private static ContainerHistory initRunning(String name) {
        return ContainerHistory.fresh(name, true)
                .started(ContainerHistory.Running.started("id-" + name, 0, at(0)), CrashBackoff.NONE);
    }

    private static Termination io(int attempt, int code, long at) {
        return Termination.of("x", attempt, code, at(0), at(at));
    }
}
