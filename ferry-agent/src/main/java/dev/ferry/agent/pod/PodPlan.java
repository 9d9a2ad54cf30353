package dev.ferry.agent.pod;

import java.time.Instant;
import java.util.List;

/**
 * What one sync of a pod does.
 *
 * @param wakeAt when the pod must be synced again even without news (a back-off or grace period ends); null = never
 */
public record PodPlan(List<PodAction> actions, Instant wakeAt) {
    public PodPlan {
        actions = List.copyOf(actions);
    }
}
