package dev.ferry.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.util.List;

/**
 * The writes of one Deployment sync, computed from the caches by {@link DeploymentPlanner}, to be applied in this
 * order: adoptions and releases (a sync that has any does nothing else: the resulting ReplicaSet events bring the
 * deployment back), the new ReplicaSet, ReplicaSet updates (scale, annotations, minReadySeconds; each carries the
 * cached resourceVersion, so a stale plan fails with a conflict and is recomputed), deletions of old ReplicaSets
 * beyond revisionHistoryLimit, then the deployment's status (status subresource, with the cached resourceVersion) and
 * its revision annotation (a merge patch: the status subresource of Ferry, unlike upstream's, keeps metadata).
 *
 * @param create        the new ReplicaSet to create, named {@code <deployment>-<pod-template-hash>}, or null
 * @param update        ReplicaSets to update (full objects)
 * @param delete        ReplicaSets to delete
 * @param status        the deployment with its new status, for the status subresource, or null when unchanged
 * @param revision      the deployment's new {@code deployment.kubernetes.io/revision}, or null when unchanged
 * @param requeueAfter  when to look again (progress deadline), or null
 * @param events        Normal events about the deployment to record once the writes succeeded
 */
public record DeploymentPlan(List<ReplicaSet> adopt, List<ReplicaSet> release, ReplicaSet create,
        List<ReplicaSet> update, List<ReplicaSet> delete, Deployment status, String revision, Duration requeueAfter,
        List<Event> events) {

    /** An event about the deployment (upstream's ScalingReplicaSet). */
    public record Event(String reason, String message) {
    }

    public boolean isEmpty() {
        return adopt.isEmpty() && release.isEmpty() && create == null && update.isEmpty() && delete.isEmpty()
                && status == null && revision == null;
    }
}
