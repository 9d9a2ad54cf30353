package dev.ferry.controllers.deployment;

import static dev.ferry.controllers.deployment.DeploymentConditions.n;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import java.util.ArrayList;
import java.util.List;

/** Counts over a deployment's ReplicaSets (deploymentutil's Get*ReplicaCountForReplicaSets). Pure. */
final class ReplicaSets {
    private ReplicaSets() {
    }

    /** Sets that want pods (FilterActiveReplicaSets); nulls are dropped. */
    static List<ReplicaSet> active(List<ReplicaSet> sets) {
        List<ReplicaSet> out = new ArrayList<>();
        for (ReplicaSet rs : sets) {
            if (rs != null && Deployments.replicas(rs) > 0) {
                out.add(rs);
            }
        }
        return out;
    }

    /** The sum of spec.replicas. */
    static int sumSpec(List<ReplicaSet> sets) {
        int sum = 0;
        for (ReplicaSet rs : sets) {
            sum += Deployments.replicas(rs);
        }
        return sum;
    }

    static ReplicaSetStatus status(ReplicaSet rs) {
        return rs.getStatus() == null ? new ReplicaSetStatus() : rs.getStatus();
    }

    /** The sum of status.availableReplicas. */
    static int sumAvailable(List<ReplicaSet> sets) {
        int sum = 0;
        for (ReplicaSet rs : sets) {
            sum += n(status(rs).getAvailableReplicas());
        }
        return sum;
    }

    /** The sum of status.replicas (pods that exist). */
    static int sumActual(List<ReplicaSet> sets) {
        int sum = 0;
        for (ReplicaSet rs : sets) {
            sum += n(status(rs).getReplicas());
        }
        return sum;
    }

    /** The sum of status.readyReplicas. */
    static int sumReady(List<ReplicaSet> sets) {
        int sum = 0;
        for (ReplicaSet rs : sets) {
            sum += n(status(rs).getReadyReplicas());
        }
        return sum;
    }
}
