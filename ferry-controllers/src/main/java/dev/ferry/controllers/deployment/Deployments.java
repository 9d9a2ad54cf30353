package dev.ferry.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Annotations and spec accessors of deploymentutil (deployment_util.go). The revision annotations are what
 * {@code kubectl rollout history/undo} read: each ReplicaSet carries the revision it was last rolled out as, an
 * old set that becomes new again (rollback) gets the next revision and remembers the earlier ones in
 * {@code revision-history}. Pure.
 */
public final class Deployments {
    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    /** Upstream's maxRevHistoryLengthInChars. */
    static final int MAX_REVISION_HISTORY_CHARS = 2000;
    /** Deployment annotations never copied to its ReplicaSets (annotationsToSkip). */
    private static final Set<String> NOT_COPIED = Set.of("kubectl.kubernetes.io/last-applied-configuration",
            REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, "deprecated.deployment.rollback.to");

    private Deployments() {
    }

    public static int replicas(Deployment d) {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    public static int replicas(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    }

    public static int minReadySeconds(Deployment d) {
        return d.getSpec().getMinReadySeconds() == null ? 0 : d.getSpec().getMinReadySeconds();
    }

    /** progressDeadlineSeconds, or null when the deployment has no deadline (unset or MaxInt32). */
    public static Integer progressDeadline(Deployment d) {
        Integer p = d.getSpec().getProgressDeadlineSeconds();
        return p == null || p == Integer.MAX_VALUE ? null : p;
    }

    /** The set's revision; 0 when it has none, -1 when it is not a number. */
    public static long revision(ReplicaSet rs) {
        String v = annotations(rs.getMetadata().getAnnotations()).get(REVISION);
        if (v == null) {
            return 0;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The largest revision among {@code sets} (0 for none). */
    public static long maxRevision(Iterable<ReplicaSet> sets) {
        long max = 0;
        for (ReplicaSet rs : sets) {
            max = Math.max(max, revision(rs));
        }
        return max;
    }

    private static Map<String, String> annotations(Map<String, String> a) {
        return a == null ? Map.of() : a;
    }

    /** Sets the deployment's revision annotation; true when it changed (SetDeploymentRevision). */
    static boolean setDeploymentRevision(Deployment d, String revision) {
        Map<String, String> a = mutableAnnotations(d.getMetadata());
        if (revision.equals(a.get(REVISION))) {
            return false;
        }
        a.put(REVISION, revision);
        return true;
    }

    /** Sets desired-replicas and max-replicas; true when either changed (SetReplicasAnnotations). */
    static boolean setReplicasAnnotations(ReplicaSet rs, int desired, int max) {
        Map<String, String> a = mutableAnnotations(rs.getMetadata());
        boolean changed = !String.valueOf(desired).equals(a.get(DESIRED_REPLICAS))
                || !String.valueOf(max).equals(a.get(MAX_REPLICAS));
        a.put(DESIRED_REPLICAS, String.valueOf(desired));
        a.put(MAX_REPLICAS, String.valueOf(max));
        return changed;
    }

    static boolean replicasAnnotationsNeedUpdate(ReplicaSet rs, int desired, int max) {
        Map<String, String> a = annotations(rs.getMetadata().getAnnotations());
        return !String.valueOf(desired).equals(a.get(DESIRED_REPLICAS))
                || !String.valueOf(max).equals(a.get(MAX_REPLICAS));
    }

    /** The desired-replicas annotation, or null when absent or not a number. */
    static Integer desiredReplicasAnnotation(ReplicaSet rs) {
        return intAnnotation(rs, DESIRED_REPLICAS);
    }

    static Integer maxReplicasAnnotation(ReplicaSet rs) {
        return intAnnotation(rs, MAX_REPLICAS);
    }

    private static Integer intAnnotation(ReplicaSet rs, String key) {
        String v = annotations(rs.getMetadata().getAnnotations()).get(key);
        try {
            return v == null ? null : Integer.valueOf(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Upstream SetNewReplicaSetAnnotations: copies the deployment's annotations (but the skipped ones), raises the
     * set's revision to {@code newRevision} when lower (keeping the old one in revision-history, within 2000 chars),
     * and for a set about to be created ({@code exists} false) adds the replicas annotations. True when changed.
     */
    static boolean setNewReplicaSetAnnotations(Deployment d, ReplicaSet rs, String newRevision, boolean exists) {
        Map<String, String> a = mutableAnnotations(rs.getMetadata());
        boolean changed = false;
        for (Map.Entry<String, String> e : annotations(d.getMetadata().getAnnotations()).entrySet()) {
            if (NOT_COPIED.contains(e.getKey()) || e.getValue().equals(a.get(e.getKey()))) {
                continue;
            }
            a.put(e.getKey(), e.getValue());
            changed = true;
        }
        String oldRevision = a.get(REVISION);
        long oldRev = 0;
        if (oldRevision != null && !oldRevision.isEmpty()) {
            try {
                oldRev = Long.parseLong(oldRevision);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        long newRev = Long.parseLong(newRevision);
        if (oldRev < newRev) {
            a.put(REVISION, newRevision);
            changed = true;
            if (oldRevision != null) {
                a.put(REVISION_HISTORY, appendHistory(a.get(REVISION_HISTORY), oldRevision));
            }
        }
        if (!exists && setReplicasAnnotations(rs, replicas(d), replicas(d) + Fenceposts.maxSurge(d))) {
            changed = true;
        }
        return changed;
    }

    /** revision-history with {@code revision} appended, dropping the oldest entries beyond the length limit. */
    static String appendHistory(String history, String revision) {
        if (history == null || history.isEmpty()) {
            return revision;
        }
        java.util.ArrayList<String> old = new java.util.ArrayList<>(java.util.List.of(history.split(",", -1)));
        int total = history.length() + revision.length() + 1;
        while (total > MAX_REVISION_HISTORY_CHARS && !old.isEmpty()) {
            total -= old.removeFirst().length() + 1;
        }
        if (total > MAX_REVISION_HISTORY_CHARS) {
            return history;
        }
        old.add(revision);
        return String.join(",", old);
    }

    private static Map<String, String> mutableAnnotations(io.fabric8.kubernetes.api.model.ObjectMeta meta) {
        if (meta.getAnnotations() == null) {
            meta.setAnnotations(new HashMap<>());
        } else if (!(meta.getAnnotations() instanceof HashMap)) {
            meta.setAnnotations(new HashMap<>(meta.getAnnotations()));
        }
        return meta.getAnnotations();
    }
}
