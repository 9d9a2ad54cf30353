package dev.ferry.controllers.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * What one sync of a ReplicaSet does, computed from the caches by {@link ReplicaSetPlanner}.
 *
 * @param adopt   orphan pods matching the selector: add our controller reference
 * @param release pods we control that no longer match: remove our reference
 * @param active  the active pods the set owns once adoptions and releases are done (status counts these)
 * @param create  pods to create from the template (at most the burst)
 * @param delete  pods to delete, in deletion order (at most the burst)
 */
public record ReplicaSetPlan(List<Pod> adopt, List<Pod> release, List<Pod> active, int create, List<Pod> delete) {
}
