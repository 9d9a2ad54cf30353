package dev.ferry.controllers.deployment;

import static dev.ferry.controllers.deployment.DeploymentConditions.n;

import dev.ferry.controllers.workloadutil.Copies;
import dev.ferry.client.Times;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Deployment status as upstream computes it (sync.go calculateStatus, progress.go syncRolloutStatus and
 * requeueStuckDeployment), with upstream's condition reasons and messages, which {@code kubectl rollout status} and
 * {@code kubectl wait --for=condition=Available} read. Pure; {@code d} is not modified.
 */
final class DeploymentStatuses {
    private DeploymentStatuses() {
    }

    /** Counts from the sets, {@code d}'s conditions, and Available (minimum availability = replicas - maxUnavailable). */
    static DeploymentStatus calculate(Deployment d, List<ReplicaSet> all, ReplicaSet newRS, Instant now) {
        int available = ReplicaSets.sumAvailable(all);
        int total = ReplicaSets.sumSpec(all);
        DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        DeploymentStatus s = new DeploymentStatus();
        s.setObservedGeneration(d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration());
        s.setReplicas(ReplicaSets.sumActual(all));
        s.setUpdatedReplicas(newRS == null ? 0 : n(ReplicaSets.status(newRS).getReplicas()));
        s.setReadyReplicas(ReplicaSets.sumReady(all));
        s.setAvailableReplicas(available);
        s.setUnavailableReplicas(Math.max(0, total - available));
        s.setCollisionCount(old.getCollisionCount());
        List<DeploymentCondition> conditions = new ArrayList<>();
        if (old.getConditions() != null) {
            old.getConditions().forEach(c -> conditions.add(Copies.copy(c)));
        }
        s.setConditions(conditions);
        if (available >= Deployments.replicas(d) - Fenceposts.maxUnavailable(d)) {
            DeploymentConditions.set(s, DeploymentConditions.of(DeploymentConditions.AVAILABLE, "True",
                    DeploymentConditions.MINIMUM_REPLICAS_AVAILABLE, "Deployment has minimum availability.", now));
        } else {
            DeploymentConditions.set(s, DeploymentConditions.of(DeploymentConditions.AVAILABLE, "False",
                    DeploymentConditions.MINIMUM_REPLICAS_UNAVAILABLE,
                    "Deployment does not have minimum availability.", now));
        }
        return s;
    }

    /**
     * {@link #calculate} plus, during a rollout with a progress deadline, Progressing: NewReplicaSetAvailable once
     * complete, ReplicaSetUpdated (lastUpdateTime moved) on any progress, ProgressDeadlineExceeded when the deadline
     * passed without progress; and the sets' ReplicaFailure condition (the new set's first).
     */
    static DeploymentStatus rollout(Deployment d, List<ReplicaSet> all, ReplicaSet newRS, Instant now) {
        DeploymentStatus next = calculate(d, all, newRS, now);
        Integer deadline = Deployments.progressDeadline(d);
        if (deadline == null) {
            DeploymentConditions.remove(next, DeploymentConditions.PROGRESSING);
        }
        DeploymentCondition current = DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING);
        boolean completeRollout = Objects.equals(next.getReplicas(), next.getUpdatedReplicas()) && current != null
                && DeploymentConditions.NEW_REPLICA_SET_AVAILABLE.equals(current.getReason());
        String subject = newRS != null ? "ReplicaSet \"" + newRS.getMetadata().getName() + "\""
                : "Deployment \"" + d.getMetadata().getName() + "\"";
        if (deadline != null && !completeRollout) {
            if (DeploymentConditions.complete(d, next)) {
                DeploymentConditions.set(next, DeploymentConditions.of(DeploymentConditions.PROGRESSING, "True",
                        DeploymentConditions.NEW_REPLICA_SET_AVAILABLE, subject + " has successfully progressed.",
                        now));
            } else if (DeploymentConditions.progressing(d, next)) {
                DeploymentCondition c = DeploymentConditions.of(DeploymentConditions.PROGRESSING, "True",
                        DeploymentConditions.REPLICA_SET_UPDATED, subject + " is progressing.", now);
                if (current != null) {
                    if ("True".equals(current.getStatus())) {
                        c.setLastTransitionTime(current.getLastTransitionTime());
                    }
                    DeploymentConditions.remove(next, DeploymentConditions.PROGRESSING);
                }
                DeploymentConditions.set(next, c);
            } else if (DeploymentConditions.timedOut(d, next, now)) {
                DeploymentConditions.set(next, DeploymentConditions.of(DeploymentConditions.PROGRESSING, "False",
                        DeploymentConditions.PROGRESS_DEADLINE_EXCEEDED, subject + " has timed out progressing.",
                        now));
            }
        }
        ReplicaSetCondition failure = replicaFailure(all, newRS);
        if (failure != null) {
            DeploymentCondition c = DeploymentConditions.of(DeploymentConditions.REPLICA_FAILURE,
                    failure.getStatus(), failure.getReason(), failure.getMessage(), now);
            if (failure.getLastTransitionTime() != null) {
                c.setLastTransitionTime(failure.getLastTransitionTime());
                c.setLastUpdateTime(failure.getLastTransitionTime());
            }
            DeploymentConditions.set(next, c);
        } else {
            DeploymentConditions.remove(next, DeploymentConditions.REPLICA_FAILURE);
        }
        return next;
    }

    /** getReplicaFailures: the new set's ReplicaFailure, else an old set's. */
    private static ReplicaSetCondition replicaFailure(List<ReplicaSet> all, ReplicaSet newRS) {
        if (newRS != null) {
            ReplicaSetCondition c = failureOf(newRS);
            if (c != null) {
                return c;
            }
        }
        for (ReplicaSet rs : all) {
            if (rs != newRS) {
                ReplicaSetCondition c = failureOf(rs);
                if (c != null) {
                    return c;
                }
            }
        }
        return null;
    }

    private static ReplicaSetCondition failureOf(ReplicaSet rs) {
        if (ReplicaSets.status(rs).getConditions() == null) {
            return null;
        }
        for (ReplicaSetCondition c : ReplicaSets.status(rs).getConditions()) {
            if (DeploymentConditions.REPLICA_FAILURE.equals(c.getType())) {
                return c;
            }
        }
        return null;
    }

    /**
     * requeueStuckDeployment: how long until the progress deadline of an unfinished rollout passes (plus a second),
     * or null when there is no deadline to watch.
     */
    static Duration untilDeadline(Deployment d, DeploymentStatus next, Instant now) {
        Integer deadline = Deployments.progressDeadline(d);
        DeploymentCondition current = DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING);
        if (deadline == null || current == null || DeploymentConditions.complete(d, next)
                || DeploymentConditions.PROGRESS_DEADLINE_EXCEEDED.equals(current.getReason())) {
            return null;
        }
        Instant from = Times.parse(current.getLastUpdateTime());
        if (from == null) {
            return null;
        }
        Duration after = Duration.between(now, from.plusSeconds(deadline));
        return after.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : after.plusSeconds(1);
    }
}
