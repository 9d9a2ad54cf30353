package dev.ferry.controllers.workloadutil;

import dev.ferry.client.Times;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;

/** Pod predicates of upstream's podutil and controller_utils. */
public final class Pods {
    private Pods() {
    }

    /** Not Succeeded/Failed and not being deleted (controller.IsPodActive). */
    public static boolean isActive(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase)
                && pod.getMetadata().getDeletionTimestamp() == null;
    }

    /** The Ready condition, or null. */
    public static PodCondition readyCondition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return c;
            }
        }
        return null;
    }

    public static boolean isReady(Pod pod) {
        PodCondition c = readyCondition(pod);
        return c != null && "True".equals(c.getStatus());
    }

    /** When the pod became ready, or null when not ready or unknown. */
    public static Instant readySince(Pod pod) {
        PodCondition c = readyCondition(pod);
        if (c == null || !"True".equals(c.getStatus())) {
            return null;
        }
        return Times.parse(c.getLastTransitionTime());
    }

    /** Ready for more than {@code minReadySeconds} at {@code now} (podutil.IsPodAvailable). */
    public static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
        if (!isReady(pod)) {
            return false;
        }
        if (minReadySeconds == 0) {
            return true;
        }
        Instant since = readySince(pod);
        return since != null && since.plus(Duration.ofSeconds(minReadySeconds)).isBefore(now);
    }

    /** When a ready but not yet available pod becomes available, or null. */
    public static Instant availableAt(Pod pod, int minReadySeconds) {
        Instant since = readySince(pod);
        return since == null ? null : since.plusSeconds(minReadySeconds);
    }

    /** The highest restart count of its containers. */
    public static int maxRestarts(Pod pod) {
        int max = 0;
        if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
            for (ContainerStatus s : pod.getStatus().getContainerStatuses()) {
                if (s.getRestartCount() != null) {
                    max = Math.max(max, s.getRestartCount());
                }
            }
        }
        return max;
    }
}
