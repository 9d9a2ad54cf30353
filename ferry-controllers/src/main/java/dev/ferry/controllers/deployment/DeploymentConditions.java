package dev.ferry.controllers.deployment;

import dev.ferry.client.Times;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Deployment conditions with upstream's reasons and rules (deploymentutil: SetDeploymentCondition keeps the
 * lastTransitionTime while the status is unchanged and is a no-op for the same status and reason), plus the rollout
 * predicates DeploymentComplete, DeploymentProgressing and DeploymentTimedOut. Pure.
 */
public final class DeploymentConditions {
    public static final String AVAILABLE = "Available";
    public static final String PROGRESSING = "Progressing";
    public static final String REPLICA_FAILURE = "ReplicaFailure";

    public static final String MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable";
    public static final String MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable";
    public static final String NEW_REPLICA_SET_CREATED = "NewReplicaSetCreated";
    public static final String FOUND_NEW_REPLICA_SET = "FoundNewReplicaSet";
    public static final String REPLICA_SET_UPDATED = "ReplicaSetUpdated";
    public static final String NEW_REPLICA_SET_AVAILABLE = "NewReplicaSetAvailable";
    public static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";
    public static final String FAILED_REPLICA_SET_CREATE = "ReplicaSetCreateError";
    public static final String DEPLOYMENT_PAUSED = "DeploymentPaused";
    public static final String DEPLOYMENT_RESUMED = "DeploymentResumed";

    private DeploymentConditions() {
    }

    public static DeploymentCondition get(DeploymentStatus status, String type) {
        if (status == null || status.getConditions() == null) {
            return null;
        }
        for (DeploymentCondition c : status.getConditions()) {
            if (type.equals(c.getType())) {
                return c;
            }
        }
        return null;
    }

    /** A condition stamped {@code now} for both times. */
    public static DeploymentCondition of(String type, String status, String reason, String message, Instant now) {
        DeploymentCondition c = new DeploymentCondition();
        c.setType(type);
        c.setStatus(status);
        c.setReason(reason);
        c.setMessage(message);
        c.setLastUpdateTime(Times.format(now));
        c.setLastTransitionTime(Times.format(now));
        return c;
    }

    /** SetDeploymentCondition. */
    public static void set(DeploymentStatus status, DeploymentCondition c) {
        DeploymentCondition current = get(status, c.getType());
        if (current != null && Objects.equals(current.getStatus(), c.getStatus())
                && Objects.equals(current.getReason(), c.getReason())) {
            return;
        }
        if (current != null && Objects.equals(current.getStatus(), c.getStatus())) {
            c.setLastTransitionTime(current.getLastTransitionTime());
        }
        remove(status, c.getType());
        List<DeploymentCondition> list = new ArrayList<>(status.getConditions() == null ? List.of()
                : status.getConditions());
        list.add(c);
        status.setConditions(list);
    }

    public static void remove(DeploymentStatus status, String type) {
        if (status.getConditions() == null) {
            return;
        }
        List<DeploymentCondition> list = new ArrayList<>(status.getConditions());
        list.removeIf(c -> type.equals(c.getType()));
        status.setConditions(list);
    }

    /** Every replica updated and available, and the status is about the current generation. */
    public static boolean complete(Deployment d, DeploymentStatus s) {
        int replicas = Deployments.replicas(d);
        return n(s.getUpdatedReplicas()) == replicas && n(s.getReplicas()) == replicas
                && n(s.getAvailableReplicas()) == replicas
                && (s.getObservedGeneration() == null ? 0 : s.getObservedGeneration())
                        >= (d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration());
    }

    /** Progress between {@code d}'s status and {@code next}: more updated, fewer old, more ready or available. */
    public static boolean progressing(Deployment d, DeploymentStatus next) {
        DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        int oldOld = n(old.getReplicas()) - n(old.getUpdatedReplicas());
        int newOld = n(next.getReplicas()) - n(next.getUpdatedReplicas());
        return n(next.getUpdatedReplicas()) > n(old.getUpdatedReplicas()) || newOld < oldOld
                || n(next.getReadyReplicas()) > n(old.getReadyReplicas())
                || n(next.getAvailableReplicas()) > n(old.getAvailableReplicas());
    }

    /** The Progressing condition was last updated more than progressDeadlineSeconds before {@code now}. */
    public static boolean timedOut(Deployment d, DeploymentStatus next, Instant now) {
        Integer deadline = Deployments.progressDeadline(d);
        DeploymentCondition c = get(next, PROGRESSING);
        if (deadline == null || c == null || NEW_REPLICA_SET_AVAILABLE.equals(c.getReason())) {
            return false;
        }
        if (PROGRESS_DEADLINE_EXCEEDED.equals(c.getReason())) {
            return true;
        }
        Instant from = Times.parse(c.getLastUpdateTime());
        return from != null && from.plus(Duration.ofSeconds(deadline)).isBefore(now);
    }

    static int n(Integer v) {
        return v == null ? 0 : v;
    }
}
