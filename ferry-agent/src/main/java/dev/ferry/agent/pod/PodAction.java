package dev.ferry.agent.pod;

import java.time.Duration;
import java.time.Instant;

/** One step of a {@link PodPlan}; the pod's worker carries them out in order. */
public sealed interface PodAction {
    /** Start attempt {@code attempt} of {@code container}; the container's back-off becomes {@code backoffAfter}. */
    record Start(String container, boolean init, int attempt, CrashBackoff backoffAfter) implements PodAction {
    }

    /**
     * Stop {@code container}: run its preStop hook (when it has one and {@code graceSeconds > 0}), then SIGTERM;
     * SIGKILL follows when the grace period is over (a later plan emits {@link Kill}).
     */
    record Terminate(String container, long graceSeconds, Cause cause) implements PodAction {
    }

    /** Send SIGKILL: the grace period of an earlier {@link Terminate} is over. */
    record Kill(String container) implements PodAction {
    }

    /** {@code container} must not restart before {@code until} (CrashLoopBackOff or a failed start's back-off). */
    record BackOff(String container, Instant until, Duration backoff) implements PodAction {
    }

    /** Every container of a pod being deleted has ended: remove the pod object. */
    record DeletePod() implements PodAction {
    }

    /** Why a container is being stopped. */
    enum Cause {
        POD_DELETED, LIVENESS_FAILED, SPEC_CHANGED, POST_START_FAILED
    }
}
