package dev.ferry.agent.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What to do next for one pod (the kubelet's computePodActions), pure: from the pod, what the agent knows of its
 * containers, their probe results and the time, it plans starts, stops and waits.
 * <ul>
 * <li>A pod being deleted: SIGTERM every live container with the deletion grace period, SIGKILL once it is over;
 * when nothing runs, delete the pod object. Nothing starts.</li>
 * <li>A terminal pod (Succeeded/Failed) does nothing.</li>
 * <li>A failed liveness (or startup) probe stops the container with the probe's grace period, a container whose
 * image changed in the spec or whose postStart hook failed with the pod's; it restarts per policy once it ended.
 * A stop with a preStop hook sends SIGTERM only when the hook ends (see {@code GracePeriods}), so SIGKILL is due
 * only from then.</li>
 * <li>Init containers run one at a time, in order, each to successful completion; a failed one restarts per policy
 * (Never fails the pod). Only then do the containers start, in order, all at once unless one has a postStart hook:
 * the containers after it start once its hook succeeded.</li>
 * <li>An ended container restarts per restartPolicy after its {@link CrashBackoff}; a failed start is retried with
 * the same back-off.</li>
 * </ul>
 */
public final class PodPlanner {
    /** Kubernetes' default terminationGracePeriodSeconds. */
    public static final long DEFAULT_GRACE_SECONDS = 30;

    private PodPlanner() {
    }

    public static PodPlan plan(Pod pod, Map<String, ContainerHistory> records, Map<String, ProbeView> probes,
            Instant now) {
        Planning p = new Planning(now);
        if (PodPhases.deleting(pod)) {
            planDeletion(pod, records, p);
            return p.plan();
        }
        if (PodPhases.terminal(PodPhases.phase(pod, records))) {
            return p.plan();
        }
        for (ContainerHistory r : records.values()) {
            if (r.running() == null) {
                continue;
            }
            ProbeView view = probes.getOrDefault(r.name(), ProbeView.NONE);
            var spec = PodPhases.containers(pod).stream().filter(c -> c.getName().equals(r.name())).findFirst();
            if (r.running().stopRequestedAt() == null
                    && r.running().postStart() == ContainerHistory.PostStart.FAILED) {
                long grace = podGrace(pod);
                p.actions.add(new PodAction.Terminate(r.name(), grace, PodAction.Cause.POST_START_FAILED));
                p.wake(now.plusSeconds(grace));
            } else if (r.running().stopRequestedAt() == null && view.livenessFailed()) {
                p.actions.add(new PodAction.Terminate(r.name(), probeGrace(pod, r.name()),
                        PodAction.Cause.LIVENESS_FAILED));
                p.wake(now.plusSeconds(probeGrace(pod, r.name())));
            } else if (r.running().stopRequestedAt() == null && r.running().image() != null && spec.isPresent()
                    && !r.running().image().equals(spec.get().getImage())) {
                long grace = podGrace(pod);
                p.actions.add(new PodAction.Terminate(r.name(), grace, PodAction.Cause.SPEC_CHANGED));
                p.wake(now.plusSeconds(grace));
            } else if (r.running().stopRequestedAt() != null) {
                killWhenDue(r, null, p);
            }
        }
        for (Container c : PodPhases.initContainers(pod)) {
            ContainerHistory r = PodPhases.record(records, c.getName(), true);
            if (r.running() != null) {
                return p.plan();
            }
            if (r.last() != null && r.last().exitCode() == 0 && !r.startErrorIsLatest()) {
                continue;
            }
            startOrBackOff(pod, r, p);
            return p.plan();
        }
        for (Container c : PodPhases.containers(pod)) {
            ContainerHistory r = PodPhases.record(records, c.getName(), false);
            if (r.running() != null) {
                if (r.running().postStart() == ContainerHistory.PostStart.PENDING) {
                    // the kubelet starts containers one by one, each with its postStart hook
                    return p.plan();
                }
                continue;
            }
            if (r.startErrorIsLatest() || r.last() == null || PodPhases.shouldRestart(pod, r.last().exitCode())) {
                startOrBackOff(pod, r, p);
                if (c.getLifecycle() != null && c.getLifecycle().getPostStart() != null
                        && p.actions.getLast() instanceof PodAction.Start) {
                    return p.plan();
                }
            }
        }
        return p.plan();
    }

    private static void planDeletion(Pod pod, Map<String, ContainerHistory> records, Planning p) {
        long grace = deletionGrace(pod);
        boolean anyRunning = false;
        for (ContainerHistory r : records.values()) {
            if (r.running() == null) {
                continue;
            }
            anyRunning = true;
            if (r.running().stopRequestedAt() == null) {
                p.actions.add(new PodAction.Terminate(r.name(), grace, PodAction.Cause.POD_DELETED));
                if (grace == 0) {
                    p.actions.add(new PodAction.Kill(r.name()));
                } else {
                    p.wake(p.now.plusSeconds(grace));
                }
            } else {
                killWhenDue(r, grace, p);
            }
        }
        if (!anyRunning) {
            p.actions.add(new PodAction.DeletePod());
        }
    }

    /**
     * SIGKILL once due: at the stop's {@code killDueAt} (unknown while a preStop hook runs: its end queues the pod),
     * or earlier when a deletion grace {@code override} shorter than the stop's own ends first.
     */
    private static void killWhenDue(ContainerHistory r, Long override, Planning p) {
        ContainerHistory.Running run = r.running();
        Instant due = run.killDueAt();
        if (override != null && override < run.graceSeconds()) {
            Instant byOverride = run.stopRequestedAt().plusSeconds(override);
            if (due == null || byOverride.isBefore(due)) {
                due = byOverride;
            }
        }
        if (due == null || run.killSent()) {
            return;
        }
        if (p.now.isBefore(due)) {
            p.wake(due);
        } else {
            p.actions.add(new PodAction.Kill(r.name()));
        }
    }

    private static void startOrBackOff(Pod pod, ContainerHistory r, Planning p) {
        Instant failedAt = r.lastFailureAt();
        if (failedAt == null) {
            p.actions.add(new PodAction.Start(r.name(), r.init(), r.nextAttempt(), r.backoff()));
        } else if (r.backoff().inBackoffSince(failedAt, p.now)) {
            Instant until = r.backoff().restartAt(failedAt);
            p.actions.add(new PodAction.BackOff(r.name(), until, r.backoff().backoff()));
            p.wake(until);
        } else {
            p.actions.add(new PodAction.Start(r.name(), r.init(), r.nextAttempt(), r.backoff().next(failedAt)));
        }
    }

    /** metadata.deletionGracePeriodSeconds, else spec.terminationGracePeriodSeconds, else 30. */
    public static long deletionGrace(Pod pod) {
        Long g = pod.getMetadata().getDeletionGracePeriodSeconds();
        if (g == null) {
            g = pod.getSpec().getTerminationGracePeriodSeconds();
        }
        return g == null ? DEFAULT_GRACE_SECONDS : Math.max(0, g);
    }

    /** A probe's own terminationGracePeriodSeconds (liveness, then startup), else the pod's. */
    static long probeGrace(Pod pod, String container) {
        for (Container c : PodPhases.containers(pod)) {
            if (c.getName().equals(container)) {
                for (Probe probe : new Probe[] {c.getLivenessProbe(), c.getStartupProbe()}) {
                    if (probe != null && probe.getTerminationGracePeriodSeconds() != null) {
                        return Math.max(0, probe.getTerminationGracePeriodSeconds());
                    }
                }
            }
        }
        return podGrace(pod);
    }

    private static long podGrace(Pod pod) {
        Long g = pod.getSpec().getTerminationGracePeriodSeconds();
        return g == null ? DEFAULT_GRACE_SECONDS : Math.max(0, g);
    }

    private static final class Planning {
        final Instant now;
        final List<PodAction> actions = new ArrayList<>();
        Instant wakeAt;

        Planning(Instant now) {
            this.now = now;
        }

        void wake(Instant at) {
            if (wakeAt == null || at.isBefore(wakeAt)) {
                wakeAt = at;
            }
        }

        PodPlan plan() {
            return new PodPlan(actions, wakeAt);
        }
    }
}
