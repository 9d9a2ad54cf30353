package dev.ferry.controllers.replicaset;

import dev.ferry.controllers.workloadutil.Copies;
import dev.ferry.controllers.workloadutil.Pods;
import dev.ferry.controllers.workloadutil.Selectors;
import dev.ferry.client.Times;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** ReplicaSet status as upstream's calculateReplicaSetStatus. Pure; time is an argument. */
public final class ReplicaSetStatuses {
    public static final String REPLICA_FAILURE = "ReplicaFailure";

    private ReplicaSetStatuses() {
    }

    /**
     * The status of {@code rs} owning {@code active} pods at {@code now}.
     *
     * @param manageError the message of a failed create/delete in this sync, or null; a ReplicaFailure condition
     *                    (FailedCreate/FailedDelete) is added on failure and removed after a sync without one
     */
    public static ReplicaSetStatus compute(ReplicaSet rs, List<Pod> active, String manageError, Instant now) {
        ReplicaSetStatus old = rs.getStatus() == null ? new ReplicaSetStatus() : rs.getStatus();
        int minReady = minReadySeconds(rs);
        Map<String, String> templateLabels = rs.getSpec().getTemplate() == null
                || rs.getSpec().getTemplate().getMetadata() == null ? Map.of()
                : rs.getSpec().getTemplate().getMetadata().getLabels();
        var templateSelector = new LabelSelectorBuilder().withMatchLabels(templateLabels).build();
        int fullyLabeled = 0;
        int ready = 0;
        int available = 0;
        for (Pod p : active) {
            if (Selectors.matches(templateSelector, p.getMetadata().getLabels())) {
                fullyLabeled++;
            }
            if (Pods.isReady(p)) {
                ready++;
                if (Pods.isAvailable(p, minReady, now)) {
                    available++;
                }
            }
        }
        List<ReplicaSetCondition> conditions = new ArrayList<>();
        if (old.getConditions() != null) {
            old.getConditions().forEach(c -> conditions.add(Copies.copy(c)));
        }
        boolean hasFailure = conditions.stream().anyMatch(c -> REPLICA_FAILURE.equals(c.getType()));
        if (manageError != null && !hasFailure) {
            int desired = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
            int diff = active.size() - desired;
            String reason = diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : "";
            conditions.add(new ReplicaSetCondition(Times.format(now), manageError, reason, "True", REPLICA_FAILURE));
        } else if (manageError == null && hasFailure) {
            conditions.removeIf(c -> REPLICA_FAILURE.equals(c.getType()));
        }
        ReplicaSetStatus s = new ReplicaSetStatus();
        s.setReplicas(active.size());
        s.setFullyLabeledReplicas(fullyLabeled);
        s.setReadyReplicas(ready);
        s.setAvailableReplicas(available);
        s.setObservedGeneration(rs.getMetadata().getGeneration());
        s.setConditions(conditions.isEmpty() ? null : conditions);
        return s;
    }

    /** Whether {@code next} differs from the stored status in anything the controller writes. */
    public static boolean changed(ReplicaSet rs, ReplicaSetStatus next) {
        return !Copies.canonical(rs.getStatus() == null ? new ReplicaSetStatus() : rs.getStatus(), true)
                .equals(Copies.canonical(next, true));
    }

    /**
     * How long until the next ready-but-not-yet-available pod of {@code active} becomes available, or null when
     * none is waiting (minReadySeconds 0 or every ready pod already available).
     */
    public static Duration untilNextAvailable(ReplicaSet rs, List<Pod> active, Instant now) {
        int minReady = minReadySeconds(rs);
        if (minReady == 0) {
            return null;
        }
        Instant earliest = null;
        for (Pod p : active) {
            if (Pods.isReady(p) && !Pods.isAvailable(p, minReady, now)) {
                Instant at = Pods.availableAt(p, minReady);
                Instant due = at == null ? now.plusSeconds(minReady) : at;
                if (earliest == null || due.isBefore(earliest)) {
                    earliest = due;
                }
            }
        }
        if (earliest == null) {
            return null;
        }
        Duration d = Duration.between(now, earliest).plusSeconds(1);
        return d.isNegative() ? Duration.ofSeconds(1) : d;
    }

    static int minReadySeconds(ReplicaSet rs) {
        return rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
    }
}
