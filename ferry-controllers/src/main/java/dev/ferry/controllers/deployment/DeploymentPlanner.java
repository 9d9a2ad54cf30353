package dev.ferry.controllers.deployment;

import static dev.ferry.controllers.deployment.DeploymentConditions.n;

import dev.ferry.controllers.workloadutil.Claims;
import dev.ferry.controllers.workloadutil.Copies;
import dev.ferry.controllers.workloadutil.Owners;
import dev.ferry.controllers.workloadutil.Selectors;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The pure core of upstream's deployment controller (sync.go, rolling.go, recreate.go, progress.go): from a
 * Deployment, the ReplicaSets and pods of its namespace (all from caches) and the time, the writes of one sync.
 *
 * <p>Upstream writes as it goes; here the same steps run against working copies of the objects, each write recorded
 * instead of sent, so later steps see the effect of earlier ones exactly as upstream's do. A sync:
 * <ol>
 * <li>claims ReplicaSets by selector (adopt orphans, release non-matching);</li>
 * <li>finds the new ReplicaSet (template equal but for {@code pod-template-hash}) and old ones; syncs the revision
 * annotations: the new set's revision is one more than the largest old one, so a set whose template comes back
 * (rollback) moves to the newest revision;</li>
 * <li>paused or scaled deployments only scale proportionally; otherwise it rolls out (RollingUpdate: scale the new
 * set up within maxSurge, old ones down keeping maxUnavailable; Recreate: old to zero, wait until their pods are
 * gone, then the new one up);</li>
 * <li>deletes old zero-size sets beyond revisionHistoryLimit once the rollout is complete or paused;</li>
 * <li>computes the status and the Available, Progressing and ReplicaFailure conditions.</li>
 * </ol>
 */
public final class DeploymentPlanner {
    static final String API_VERSION = "apps/v1";
    static final String KIND = "Deployment";

    private final Deployment original;
    private final Deployment d;
    private final Instant now;
    private final Map<String, ReplicaSet> inNamespace = new HashMap<>();
    private final Collection<Pod> pods;
    private List<ReplicaSet> rsList = new ArrayList<>();
    private ReplicaSet created;
    private final LinkedHashMap<String, ReplicaSet> updated = new LinkedHashMap<>();
    private final List<ReplicaSet> deleted = new ArrayList<>();
    private Duration requeue;
    private final List<DeploymentPlan.Event> events = new ArrayList<>();
    static final String SCALING = "ScalingReplicaSet";

    private DeploymentPlanner(Deployment d, Collection<ReplicaSet> sets, Collection<Pod> pods, Instant now) {
        this.original = d;
        this.d = Copies.copy(d);
        if (this.d.getStatus() == null) {
            this.d.setStatus(new DeploymentStatus());
        }
        this.now = now;
        this.pods = pods;
        for (ReplicaSet rs : sets) {
            inNamespace.put(rs.getMetadata().getName(), rs);
        }
    }

    /**
     * The plan for {@code deployment}.
     *
     * @param setsInNs every ReplicaSet of the deployment's namespace
     * @param podsInNs every pod of the namespace (Recreate waits for the old sets' pods to be gone)
     */
    public static DeploymentPlan plan(Deployment deployment, Collection<ReplicaSet> setsInNs,
            Collection<Pod> podsInNs, Instant now) {
        return new DeploymentPlanner(deployment, setsInNs, podsInNs, now).run();
    }

    private DeploymentPlan run() {
        if (d.getMetadata().getDeletionTimestamp() != null) {
            rsList = owned();
            Split s = split(false);
            syncDeploymentStatus(s.all(), s.newRS);
            return result();
        }
        LabelSelector selector = d.getSpec().getSelector();
        if (selector == null || Selectors.isEmpty(selector)) {
            // upstream: "selects all pods. This is not allowed." — only the generation is acknowledged
            if (d.getStatus().getObservedGeneration() == null
                    || d.getStatus().getObservedGeneration() < generation(d)) {
                d.getStatus().setObservedGeneration(generation(d));
            }
            return result();
        }
        Claims.Result<ReplicaSet> claim = Claims.claim(d.getMetadata().getUid(), selector, false,
                inNamespace.values());
        if (!claim.adopt().isEmpty() || !claim.release().isEmpty()) {
            return new DeploymentPlan(claim.adopt(), claim.release(), null, List.of(), List.of(), null, null, null,
                    List.of());
        }
        for (ReplicaSet rs : claim.claimed()) {
            rsList.add(Copies.copy(rs));
        }
        checkPausedConditions();
        if (Boolean.TRUE.equals(d.getSpec().getPaused()) || isScalingEvent()) {
            syncScale();
        } else if (Fenceposts.isRollingUpdate(d)) {
            rolloutRolling();
        } else {
            rolloutRecreate();
        }
        return result();
    }

    private List<ReplicaSet> owned() {
        List<ReplicaSet> out = new ArrayList<>();
        for (ReplicaSet rs : inNamespace.values()) {
            if (Owners.isControlledBy(rs, d.getMetadata().getUid())) {
                out.add(Copies.copy(rs));
            }
        }
        return out;
    }

    private DeploymentPlan result() {
        Deployment statusWrite = null;
        if (!Copies.canonical(original.getStatus() == null ? new DeploymentStatus() : original.getStatus(), true)
                .equals(Copies.canonical(d.getStatus(), true))) {
            statusWrite = d;
        }
        String revision = annotations(d).get(Deployments.REVISION);
        if (Objects.equals(revision, annotations(original).get(Deployments.REVISION))) {
            revision = null;
        }
        List<ReplicaSet> updates = new ArrayList<>(updated.values());
        updates.removeIf(rs -> rs == created);
        List<DeploymentPlan.Event> all = new ArrayList<>();
        if (created != null && Deployments.replicas(created) > 0) {
            all.add(new DeploymentPlan.Event(SCALING, "Scaled up replica set " + created.getMetadata().getName()
                    + " to " + Deployments.replicas(created)));
        }
        all.addAll(events);
        return new DeploymentPlan(List.of(), List.of(), created, updates, deleted, statusWrite, revision, requeue,
                all);
    }

    private static Map<String, String> annotations(Deployment x) {
        return x.getMetadata().getAnnotations() == null ? Map.of() : x.getMetadata().getAnnotations();
    }

    private static long generation(Deployment x) {
        return x.getMetadata().getGeneration() == null ? 0 : x.getMetadata().getGeneration();
    }

    private int replicas() {
        return Deployments.replicas(d);
    }

    // ---- new and old sets (getAllReplicaSetsAndSyncRevision)

    /** The new set (null if none) and the old ones. */
    private record Split(ReplicaSet newRS, List<ReplicaSet> old, boolean collision) {
        List<ReplicaSet> all() {
            List<ReplicaSet> all = new ArrayList<>(old);
            if (newRS != null) {
                all.add(newRS);
            }
            return all;
        }
    }

    private Split split(boolean createIfMissing) {
        List<ReplicaSet> sorted = new ArrayList<>(rsList);
        sorted.sort(ReplicaSetOrder.BY_CREATION);
        ReplicaSet existing = null;
        for (ReplicaSet rs : sorted) {
            if (PodTemplateHash.equalIgnoreHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate())) {
                existing = rs;
                break;
            }
        }
        List<ReplicaSet> old = new ArrayList<>();
        for (ReplicaSet rs : rsList) {
            if (rs != existing) {
                old.add(rs);
            }
        }
        String newRevision = Long.toString(Deployments.maxRevision(old) + 1);
        if (existing != null) {
            boolean annotationsChanged = Deployments.setNewReplicaSetAnnotations(d, existing, newRevision, true);
            boolean minReadyChanged = !Objects.equals(n(existing.getSpec().getMinReadySeconds()),
                    Deployments.minReadySeconds(d));
            if (annotationsChanged || minReadyChanged) {
                existing.getSpec().setMinReadySeconds(Deployments.minReadySeconds(d));
                touch(existing);
            }
            String revision = existing.getMetadata().getAnnotations().get(Deployments.REVISION);
            if (revision != null) {
                Deployments.setDeploymentRevision(d, revision);
            }
            if (Deployments.progressDeadline(d) != null
                    && DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING) == null) {
                DeploymentConditions.set(d.getStatus(), DeploymentConditions.of(DeploymentConditions.PROGRESSING,
                        "True", DeploymentConditions.FOUND_NEW_REPLICA_SET,
                        "Found new replica set \"" + existing.getMetadata().getName() + "\"", now));
            }
            return new Split(existing, old, false);
        }
        if (!createIfMissing) {
            return new Split(null, old, false);
        }
        String hash = PodTemplateHash.compute(d.getSpec().getTemplate(), d.getStatus().getCollisionCount());
        String name = d.getMetadata().getName() + "-" + hash;
        if (inNamespace.containsKey(name)) {
            // a set of that name exists and is not this template's: a hash collision, retried with another count
            d.getStatus().setCollisionCount(n(d.getStatus().getCollisionCount()) + 1);
            return new Split(null, old, true);
        }
        ReplicaSet rs = newReplicaSet(name, hash);
        List<ReplicaSet> all = new ArrayList<>(old);
        all.add(rs);
        rs.getSpec().setReplicas(newReplicasOfNewSet(all, rs));
        Deployments.setNewReplicaSetAnnotations(d, rs, newRevision, false);
        created = rs;
        rsList.add(rs);
        Deployments.setDeploymentRevision(d, newRevision);
        if (Deployments.progressDeadline(d) != null) {
            DeploymentConditions.set(d.getStatus(), DeploymentConditions.of(DeploymentConditions.PROGRESSING, "True",
                    DeploymentConditions.NEW_REPLICA_SET_CREATED, "Created new replica set \"" + name + "\"", now));
        }
        return new Split(rs, old, false);
    }

    private ReplicaSet newReplicaSet(String name, String hash) {
        PodTemplateSpec template = Copies.copy(d.getSpec().getTemplate());
        if (template.getMetadata() == null) {
            template.setMetadata(new ObjectMeta());
        }
        template.getMetadata().setLabels(PodTemplateHash.withHash(template.getMetadata().getLabels(), hash));
        LabelSelector selector = Copies.copy(d.getSpec().getSelector());
        selector.setMatchLabels(PodTemplateHash.withHash(selector.getMatchLabels(), hash));
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        meta.setNamespace(d.getMetadata().getNamespace());
        meta.setLabels(new LinkedHashMap<>(template.getMetadata().getLabels()));
        meta.setOwnerReferences(List.of(Owners.controllerRef(d, API_VERSION, KIND)));
        ReplicaSetSpec spec = new ReplicaSetSpec();
        spec.setReplicas(0);
        spec.setMinReadySeconds(Deployments.minReadySeconds(d));
        spec.setSelector(selector);
        spec.setTemplate(template);
        ReplicaSet rs = new ReplicaSet();
        rs.setApiVersion(API_VERSION);
        rs.setKind("ReplicaSet");
        rs.setMetadata(meta);
        rs.setSpec(spec);
        rs.setStatus(new ReplicaSetStatus());
        return rs;
    }

    /** NewRSNewReplicas. */
    private int newReplicasOfNewSet(List<ReplicaSet> all, ReplicaSet newRS) {
        if (!Fenceposts.isRollingUpdate(d)) {
            return replicas();
        }
        int current = ReplicaSets.sumSpec(all);
        int maxTotal = replicas() + Fenceposts.maxSurge(d);
        if (current >= maxTotal) {
            return Deployments.replicas(newRS);
        }
        int scaleUp = Math.min(maxTotal - current, replicas() - Deployments.replicas(newRS));
        return Deployments.replicas(newRS) + scaleUp;
    }

    private void touch(ReplicaSet rs) {
        updated.put(rs.getMetadata().getName(), rs);
    }

    // ---- scaling

    /** scaleReplicaSetAndRecordEvent; true when the size changed. */
    private boolean scaleTo(ReplicaSet rs, int size) {
        if (Deployments.replicas(rs) == size) {
            return false;
        }
        return scale(rs, size, size > Deployments.replicas(rs) ? "up" : "down");
    }

    /** scaleReplicaSet: sets the size and the replicas annotations; true when the size changed. */
    private boolean scale(ReplicaSet rs, int size, String operation) {
        int max = replicas() + Fenceposts.maxSurge(d);
        int before = Deployments.replicas(rs);
        boolean sizeChanged = before != size;
        if (sizeChanged && rs != created) {
            events.add(new DeploymentPlan.Event(SCALING, "Scaled " + operation + " replica set "
                    + rs.getMetadata().getName() + " to " + size + " from " + before));
        }
        if (sizeChanged || Deployments.replicasAnnotationsNeedUpdate(rs, replicas(), max)) {
            rs.getSpec().setReplicas(size);
            Deployments.setReplicasAnnotations(rs, replicas(), max);
            touch(rs);
        }
        return sizeChanged;
    }

    /** isScalingEvent: an active set's desired-replicas annotation differs from spec.replicas. */
    private boolean isScalingEvent() {
        Split s = split(false);
        for (ReplicaSet rs : ReplicaSets.active(s.all())) {
            Integer desired = Deployments.desiredReplicasAnnotation(rs);
            if (desired != null && desired != replicas()) {
                return true;
            }
        }
        return false;
    }

    /** sync(): scale for a paused deployment or a scaling event, no rollout. */
    private void syncScale() {
        Split s = split(false);
        scaleSets(s.newRS, s.old);
        if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
            cleanup(s.old);
        }
        syncDeploymentStatus(s.all(), s.newRS);
    }

    /** scale(): one active (or the latest) set takes all; otherwise proportional scaling of a rolling update. */
    private void scaleSets(ReplicaSet newRS, List<ReplicaSet> old) {
        ReplicaSet single = activeOrLatest(newRS, old);
        if (single != null) {
            scaleTo(single, replicas());
            return;
        }
        if (isSaturated(newRS)) {
            for (ReplicaSet rs : ReplicaSets.active(old)) {
                scaleTo(rs, 0);
            }
            return;
        }
        if (!Fenceposts.isRollingUpdate(d)) {
            return;
        }
        List<ReplicaSet> all = new ArrayList<>(old);
        if (newRS != null) {
            all.add(newRS);
        }
        all = ReplicaSets.active(all);
        int allowed = replicas() > 0 ? replicas() + Fenceposts.maxSurge(d) : 0;
        int toAdd = allowed - ReplicaSets.sumSpec(all);
        if (toAdd > 0) {
            all.sort(ReplicaSetOrder.BY_SIZE_NEWER);
        } else if (toAdd < 0) {
            all.sort(ReplicaSetOrder.BY_SIZE_OLDER);
        }
        String operation = toAdd > 0 ? "up" : toAdd < 0 ? "down" : "";
        int added = 0;
        Map<ReplicaSet, Integer> sizes = new java.util.IdentityHashMap<>();
        for (ReplicaSet rs : all) {
            if (toAdd != 0) {
                int proportion = proportion(rs, toAdd, added);
                sizes.put(rs, Deployments.replicas(rs) + proportion);
                added += proportion;
            } else {
                sizes.put(rs, Deployments.replicas(rs));
            }
        }
        boolean first = true;
        for (ReplicaSet rs : all) {
            int size = sizes.get(rs);
            if (first && toAdd != 0) {
                size = Math.max(0, size + toAdd - added);
            }
            first = false;
            scale(rs, size, operation);
        }
    }

    /** GetReplicaSetProportion. */
    private int proportion(ReplicaSet rs, int toAdd, int added) {
        if (Deployments.replicas(rs) == 0 || toAdd == 0 || toAdd == added) {
            return 0;
        }
        int fraction = fraction(rs);
        int allowed = toAdd - added;
        return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
    }

    /** getReplicaSetFraction. */
    private int fraction(ReplicaSet rs) {
        if (replicas() == 0) {
            return -Deployments.replicas(rs);
        }
        int deploymentReplicas = replicas() + Fenceposts.maxSurge(d);
        Integer annotated = Deployments.maxReplicasAnnotation(rs);
        int base = annotated != null ? annotated : n(d.getStatus().getReplicas());
        if (base == 0) {
            return 0;
        }
        double size = (double) Deployments.replicas(rs) * deploymentReplicas / base;
        return (int) Math.round(size) - Deployments.replicas(rs);
    }

    /** FindActiveOrLatest. */
    private static ReplicaSet activeOrLatest(ReplicaSet newRS, List<ReplicaSet> old) {
        if (newRS == null && old.isEmpty()) {
            return null;
        }
        List<ReplicaSet> sortedOld = new ArrayList<>(old);
        sortedOld.sort(ReplicaSetOrder.BY_CREATION.reversed());
        List<ReplicaSet> all = new ArrayList<>(sortedOld);
        if (newRS != null) {
            all.add(newRS);
        }
        List<ReplicaSet> act = ReplicaSets.active(all);
        if (act.isEmpty()) {
            return newRS != null ? newRS : sortedOld.getFirst();
        }
        return act.size() == 1 ? act.getFirst() : null;
    }

    /** IsSaturated. */
    private boolean isSaturated(ReplicaSet rs) {
        if (rs == null) {
            return false;
        }
        Integer desired = Deployments.desiredReplicasAnnotation(rs);
        return desired != null && Deployments.replicas(rs) == replicas() && desired == replicas()
                && n(ReplicaSets.status(rs).getAvailableReplicas()) == replicas();
    }

    // ---- rolling update (rolling.go)

    private void rolloutRolling() {
        Split s = split(true);
        if (s.collision) {
            return;
        }
        ReplicaSet newRS = s.newRS;
        List<ReplicaSet> all = s.all();
        if (reconcileNewReplicaSet(all, newRS)) {
            syncRolloutStatus(all, newRS);
            return;
        }
        if (reconcileOldReplicaSets(all, ReplicaSets.active(s.old), newRS)) {
            syncRolloutStatus(all, newRS);
            return;
        }
        if (DeploymentConditions.complete(d, d.getStatus())) {
            cleanup(s.old);
        }
        syncRolloutStatus(all, newRS);
    }

    private boolean reconcileNewReplicaSet(List<ReplicaSet> all, ReplicaSet newRS) {
        int have = Deployments.replicas(newRS);
        if (have == replicas()) {
            return false;
        }
        if (have > replicas()) {
            return scaleTo(newRS, replicas());
        }
        return scaleTo(newRS, newReplicasOfNewSet(all, newRS));
    }

    private boolean reconcileOldReplicaSets(List<ReplicaSet> all, List<ReplicaSet> old, ReplicaSet newRS) {
        if (ReplicaSets.sumSpec(old) == 0) {
            return false;
        }
        int allPods = ReplicaSets.sumSpec(all);
        int minAvailable = replicas() - Fenceposts.maxUnavailable(d);
        int newUnavailable = Deployments.replicas(newRS) - n(ReplicaSets.status(newRS).getAvailableReplicas());
        int maxScaledDown = allPods - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return false;
        }
        int cleaned = cleanupUnhealthyReplicas(old, maxScaledDown);
        List<ReplicaSet> afterCleanup = new ArrayList<>(old);
        afterCleanup.add(newRS);
        int scaledDown = scaleDownOldForRollingUpdate(afterCleanup, old);
        return cleaned + scaledDown > 0;
    }

    /** Scales down old sets' unavailable replicas first, oldest set first, at most {@code maxCleanup}. */
    private int cleanupUnhealthyReplicas(List<ReplicaSet> old, int maxCleanup) {
        List<ReplicaSet> sorted = new ArrayList<>(old);
        sorted.sort(ReplicaSetOrder.BY_CREATION);
        int total = 0;
        for (ReplicaSet rs : sorted) {
            if (total >= maxCleanup) {
                break;
            }
            int size = Deployments.replicas(rs);
            int available = n(ReplicaSets.status(rs).getAvailableReplicas());
            if (size == 0 || size == available) {
                continue;
            }
            int down = Math.min(maxCleanup - total, size - available);
            scaleTo(rs, size - down);
            total += down;
        }
        return total;
    }

    private int scaleDownOldForRollingUpdate(List<ReplicaSet> all, List<ReplicaSet> old) {
        int minAvailable = replicas() - Fenceposts.maxUnavailable(d);
        int available = ReplicaSets.sumAvailable(all);
        if (available <= minAvailable) {
            return 0;
        }
        List<ReplicaSet> sorted = new ArrayList<>(old);
        sorted.sort(ReplicaSetOrder.BY_CREATION);
        int totalDown = available - minAvailable;
        int done = 0;
        for (ReplicaSet rs : sorted) {
            if (done >= totalDown) {
                break;
            }
            int size = Deployments.replicas(rs);
            if (size == 0) {
                continue;
            }
            int down = Math.min(size, totalDown - done);
            scaleTo(rs, size - down);
            done += down;
        }
        return done;
    }

    // ---- recreate (recreate.go)

    private void rolloutRecreate() {
        Split s = split(false);
        List<ReplicaSet> all = s.all();
        boolean scaledDown = false;
        for (ReplicaSet rs : ReplicaSets.active(s.old)) {
            if (scaleTo(rs, 0)) {
                scaledDown = true;
            }
        }
        if (scaledDown || oldPodsRunning(s.newRS, s.old)) {
            syncRolloutStatus(all, s.newRS);
            return;
        }
        ReplicaSet newRS = s.newRS;
        List<ReplicaSet> old = s.old;
        if (newRS == null) {
            Split created = split(true);
            if (created.collision) {
                return;
            }
            newRS = created.newRS;
            old = created.old;
            all = created.all();
        }
        scaleTo(newRS, replicas());
        if (DeploymentConditions.complete(d, d.getStatus())) {
            cleanup(old);
        }
        syncRolloutStatus(all, newRS);
    }

    /** Old sets still report replicas, or a pod of an old set (terminating included) has not finished. */
    private boolean oldPodsRunning(ReplicaSet newRS, List<ReplicaSet> old) {
        for (ReplicaSet rs : old) {
            if (n(ReplicaSets.status(rs).getReplicas()) > 0) {
                return true;
            }
        }
        Set<String> oldUids = new HashSet<>();
        for (ReplicaSet rs : rsList) {
            if (rs != newRS && rs.getMetadata().getUid() != null) {
                oldUids.add(rs.getMetadata().getUid());
            }
        }
        for (Pod p : pods) {
            OwnerReference ref = Owners.controllerOf(p);
            if (ref == null || !oldUids.contains(ref.getUid())
                    || !Selectors.matches(d.getSpec().getSelector(), p.getMetadata().getLabels())) {
                continue;
            }
            String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
            if (!"Failed".equals(phase) && !"Succeeded".equals(phase)) {
                return true;
            }
        }
        return false;
    }

    // ---- history cleanup

    /** Deletes the oldest old sets beyond revisionHistoryLimit that have no replicas (cleanupDeployment). */
    private void cleanup(List<ReplicaSet> old) {
        Integer limit = d.getSpec().getRevisionHistoryLimit();
        if (limit == null || limit == Integer.MAX_VALUE) {
            return;
        }
        List<ReplicaSet> cleanable = new ArrayList<>();
        for (ReplicaSet rs : old) {
            if (rs.getMetadata().getDeletionTimestamp() == null && deleted.stream().noneMatch(x -> x == rs)) {
                cleanable.add(rs);
            }
        }
        int diff = cleanable.size() - limit;
        if (diff <= 0) {
            return;
        }
        cleanable.sort(ReplicaSetOrder.BY_REVISION);
        for (int i = 0; i < diff; i++) {
            ReplicaSet rs = cleanable.get(i);
            long gen = rs.getMetadata().getGeneration() == null ? 0 : rs.getMetadata().getGeneration();
            long observed = ReplicaSets.status(rs).getObservedGeneration() == null ? 0 : ReplicaSets.status(rs).getObservedGeneration();
            if (n(ReplicaSets.status(rs).getReplicas()) != 0 || Deployments.replicas(rs) != 0 || gen > observed) {
                continue;
            }
            deleted.add(rs);
            updated.remove(rs.getMetadata().getName());
        }
    }

    // ---- status

    private void syncDeploymentStatus(List<ReplicaSet> all, ReplicaSet newRS) {
        d.setStatus(DeploymentStatuses.calculate(d, all, newRS, now));
    }

    private void syncRolloutStatus(List<ReplicaSet> all, ReplicaSet newRS) {
        DeploymentStatus next = DeploymentStatuses.rollout(d, all, newRS, now);
        requeue = DeploymentStatuses.untilDeadline(d, next, now);
        d.setStatus(next);
    }

    // ---- paused condition (checkPausedConditions)

    private void checkPausedConditions() {
        if (Deployments.progressDeadline(d) == null) {
            return;
        }
        DeploymentCondition c = DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING);
        if (c != null && DeploymentConditions.PROGRESS_DEADLINE_EXCEEDED.equals(c.getReason())) {
            return;
        }
        boolean pausedCond = c != null && DeploymentConditions.DEPLOYMENT_PAUSED.equals(c.getReason());
        boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
        if (paused && !pausedCond) {
            DeploymentConditions.set(d.getStatus(), DeploymentConditions.of(DeploymentConditions.PROGRESSING,
                    "Unknown", DeploymentConditions.DEPLOYMENT_PAUSED, "Deployment is paused", now));
        } else if (!paused && pausedCond) {
            DeploymentConditions.set(d.getStatus(), DeploymentConditions.of(DeploymentConditions.PROGRESSING,
                    "Unknown", DeploymentConditions.DEPLOYMENT_RESUMED, "Deployment is resumed", now));
        }
    }
}
