package dev.ferry.controllers.deployment;

import dev.ferry.client.Times;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.Comparator;

/**
 * The ReplicaSet orders of upstream's controller_utils and deploymentutil. A set not yet created (no
 * creationTimestamp) counts as the newest.
 */
final class ReplicaSetOrder {
    private ReplicaSetOrder() {
    }

    private static Instant created(ReplicaSet rs) {
        Instant t = Times.parse(rs.getMetadata().getCreationTimestamp());
        return t == null ? Instant.MAX : t;
    }

    /** Oldest first, then by name (ReplicaSetsByCreationTimestamp). */
    static final Comparator<ReplicaSet> BY_CREATION = Comparator.comparing(ReplicaSetOrder::created)
            .thenComparing(rs -> rs.getMetadata().getName());

    /** Largest first; among equals the older first (ReplicaSetsBySizeOlder, for scaling down). */
    static final Comparator<ReplicaSet> BY_SIZE_OLDER = Comparator.<ReplicaSet>comparingInt(Deployments::replicas)
            .reversed().thenComparing(BY_CREATION);

    /** Largest first; among equals the newer first (ReplicaSetsBySizeNewer, for scaling up). */
    static final Comparator<ReplicaSet> BY_SIZE_NEWER = Comparator.<ReplicaSet>comparingInt(Deployments::replicas)
            .reversed().thenComparing(BY_CREATION.reversed());

    /** Lowest revision first, then oldest (ReplicaSetsByRevision). */
    static final Comparator<ReplicaSet> BY_REVISION = Comparator.comparingLong(Deployments::revision)
            .thenComparing(BY_CREATION);
}
