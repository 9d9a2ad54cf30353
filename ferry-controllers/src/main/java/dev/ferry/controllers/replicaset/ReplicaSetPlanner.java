package dev.ferry.controllers.replicaset;

import dev.ferry.controllers.workloadutil.Claims;
import dev.ferry.controllers.workloadutil.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The pure core of upstream's syncReplicaSet/manageReplicas: claims active pods of the namespace (adopt matching
 * orphans, release non-matching owned pods), then compares their number with {@code spec.replicas}. Terminating
 * and finished pods are not replicas: a set whose pod is terminating creates its replacement at once.
 */
public final class ReplicaSetPlanner {
    /** Upstream's BurstReplicas: at most this many creates or deletes per sync. */
    public static final int DEFAULT_BURST = 500;

    private ReplicaSetPlanner() {
    }

    /**
     * @param rs           the ReplicaSet (from the cache)
     * @param podsInNs     every pod of the set's namespace (from the cache)
     * @param manage       false while expectations are unsatisfied or the set is being deleted: claim only
     * @param burst        the most pods created or deleted by one sync
     */
    public static ReplicaSetPlan plan(ReplicaSet rs, Collection<Pod> podsInNs, boolean manage, int burst) {
        List<Pod> active = new ArrayList<>();
        for (Pod p : podsInNs) {
            if (Pods.isActive(p)) {
                active.add(p);
            }
        }
        boolean deleting = rs.getMetadata().getDeletionTimestamp() != null;
        Claims.Result<Pod> claim = Claims.claim(rs.getMetadata().getUid(), rs.getSpec().getSelector(), deleting,
                active);
        int desired = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
        int diff = claim.claimed().size() - desired;
        int create = 0;
        List<Pod> delete = List.of();
        if (manage && !deleting) {
            if (diff < 0) {
                create = Math.min(-diff, burst);
            } else if (diff > 0) {
                delete = List.copyOf(ScaleDownOrder.sort(claim.claimed()).subList(0, Math.min(diff, burst)));
            }
        }
        return new ReplicaSetPlan(claim.adopt(), claim.release(), claim.claimed(), create, delete);
    }
}
