package dev.ferry.agent.lifecycle;

import java.time.Duration;
import java.time.Instant;

/**
 * How a preStop hook shares a container's termination grace period, as the kubelet's killContainer does
 * (pkg/kubelet/kuberuntime/kuberuntime_container.go): the hook runs only when the grace period is positive and gets
 * at most the whole period; SIGTERM follows when it ends (or its time is up), and SIGKILL after the grace period
 * less the hook's whole seconds, but never less than {@link #MINIMUM_GRACE_SECONDS} after SIGTERM. So a hook that
 * uses the whole period still leaves the container 2 s to handle SIGTERM. Pure.
 */
public final class GracePeriods {
    /** The kubelet's minimumGracePeriodInSeconds: the least time between SIGTERM and SIGKILL after a preStop hook. */
    public static final long MINIMUM_GRACE_SECONDS = 2;

    private GracePeriods() {
    }

    /** Whether a preStop hook runs for a stop with {@code graceSeconds}: only with a hook and time for it. */
    public static boolean runsPreStop(boolean hasHook, long graceSeconds) {
        return hasHook && graceSeconds > 0;
    }

    /**
     * Seconds between SIGTERM and SIGKILL after a preStop hook that took {@code took} (the kubelet truncates it to
     * whole seconds) of a {@code graceSeconds} period.
     */
    public static long afterPreStop(long graceSeconds, Duration took) {
        long used = took.isNegative() ? 0 : took.getSeconds();
        return Math.max(MINIMUM_GRACE_SECONDS, graceSeconds - used);
    }

    /** When SIGKILL is due after SIGTERM at {@code termAt} that followed a preStop hook begun at {@code stopAt}. */
    public static Instant killDueAt(Instant stopAt, long graceSeconds, Instant termAt) {
        return termAt.plusSeconds(afterPreStop(graceSeconds, Duration.between(stopAt, termAt)));
    }
}
