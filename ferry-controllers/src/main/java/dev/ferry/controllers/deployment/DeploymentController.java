package dev.ferry.controllers.deployment;

import dev.ferry.client.Backoff;
import dev.ferry.client.Clients;
import dev.ferry.client.Handlers;
import dev.ferry.client.ControllerLoop;
import dev.ferry.client.SharedInformers;
import dev.ferry.client.WorkQueue;
import dev.ferry.controllers.workloadutil.Copies;
import dev.ferry.client.EventRecorder;
import dev.ferry.controllers.workloadutil.OwnerPatches;
import dev.ferry.controllers.workloadutil.Owners;
import dev.ferry.controllers.workloadutil.Selectors;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Deployment controller (upstream pkg/controller/deployment): rolls a Deployment's template out through
 * ReplicaSets. Inputs come only from the shared Deployment, ReplicaSet and Pod informers; {@link DeploymentPlanner}
 * decides, this class writes. The new ReplicaSet has the deterministic name {@code <deployment>-<hash>}, so creating
 * it twice from a lagging cache ends in 409 AlreadyExists, which is success when the existing set is ours and has
 * the template (otherwise a hash collision: collisionCount is raised and the sync retried).
 */
public final class DeploymentController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeploymentController.class);
    private static final int MAX_RETRIES = 15;

    /** @param workers concurrent syncs (upstream --concurrent-deployment-syncs, 5) */
    public record Options(int workers) {
        public static Options defaults() {
            return new Options(5);
        }
    }

    private final KubernetesClient client;
    private final SharedIndexInformer<Deployment> deployments;
    private final SharedIndexInformer<ReplicaSet> sets;
    private final SharedIndexInformer<Pod> pods;
    private final Clock clock;
    private final WorkQueue<String> queue = new WorkQueue<>("deployment", Backoff.CONTROLLER);
    private final EventRecorder events;
    private final ResourceEventHandler<Deployment> deploymentHandler = Handlers.onChange(this::enqueue);
    private final ResourceEventHandler<ReplicaSet> setHandler = new SetHandler();
    private final ResourceEventHandler<Pod> podHandler = new PodHandler();
    private ControllerLoop<String> loop;

    private DeploymentController(SharedInformers informers, Clock clock) {
        this.client = informers.client();
        this.deployments = informers.get(Deployment.class);
        this.sets = informers.get(ReplicaSet.class);
        this.pods = informers.get(Pod.class);
        this.clock = clock;
        this.events = new EventRecorder(client, "deployment-controller", clock);
    }

    /** Starts the controller on {@code informers}' caches; close the result to stop it. */
    public static DeploymentController start(SharedInformers informers, Options options, Clock clock) {
        DeploymentController c = new DeploymentController(informers, clock);
        c.deployments.addEventHandler(c.deploymentHandler);
        c.sets.addEventHandler(c.setHandler);
        c.pods.addEventHandler(c.podHandler);
        c.loop = new ControllerLoop<>("deployment", c.queue, c::sync, MAX_RETRIES).start(options.workers());
        return c;
    }

    @Override
    public void close() {
        deployments.removeEventHandler(deploymentHandler);
        sets.removeEventHandler(setHandler);
        pods.removeEventHandler(podHandler);
        try {
            loop.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.close();
    }

    void sync(String key) {
        Deployment d = deployments.getStore().getByKey(key);
        if (d == null) {
            return;
        }
        String ns = d.getMetadata().getNamespace();
        DeploymentPlan plan = DeploymentPlanner.plan(d, sets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns),
                pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns), clock.instant());
        if (!plan.adopt().isEmpty()) {
            requireLive(d);
            OwnerReference ref = Owners.controllerRef(d, DeploymentPlanner.API_VERSION, DeploymentPlanner.KIND);
            for (ReplicaSet rs : plan.adopt()) {
                OwnerPatches.adopt(client, rs, ref);
            }
        }
        for (ReplicaSet rs : plan.release()) {
            OwnerPatches.release(client, rs, d.getMetadata().getUid());
        }
        if (plan.create() != null) {
            create(d, plan.create());
        }
        for (ReplicaSet rs : plan.update()) {
            client.apps().replicaSets().inNamespace(ns).resource(rs).update();
        }
        for (ReplicaSet rs : plan.delete()) {
            client.apps().replicaSets().inNamespace(ns).withName(rs.getMetadata().getName()).delete();
        }
        // the revision annotation travels with the status write, as upstream: a main-resource write that changes
        // a Deployment's annotations would bump its generation
        Deployment statusWrite = plan.status();
        if (plan.revision() != null) {
            statusWrite = Copies.copy(statusWrite != null ? statusWrite : d);
            if (statusWrite.getMetadata().getAnnotations() == null) {
                statusWrite.getMetadata().setAnnotations(new java.util.LinkedHashMap<>());
            }
            statusWrite.getMetadata().getAnnotations().put(Deployments.REVISION, plan.revision());
        }
        if (statusWrite != null) {
            try {
                client.apps().deployments().inNamespace(ns).resource(statusWrite).updateStatus();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
        for (DeploymentPlan.Event e : plan.events()) {
            events.record(d, DeploymentPlanner.API_VERSION, DeploymentPlanner.KIND, EventRecorder.NORMAL, e.reason(),
                    e.message());
        }
        if (plan.requeueAfter() != null) {
            queue.addAfter(key, plan.requeueAfter());
        }
    }

    /**
     * The deployment exists with the cached uid and is not being deleted, read fresh (RecheckDeletionTimestamp),
     * checked before adopting. Sets created for a deployment deleted meanwhile need no check: the API server's
     * garbage collector deletes dependents whose owner is gone.
     */
    private void requireLive(Deployment cached) {
        Deployment fresh = client.apps().deployments().inNamespace(cached.getMetadata().getNamespace())
                .withName(cached.getMetadata().getName()).get();
        if (fresh == null || !fresh.getMetadata().getUid().equals(cached.getMetadata().getUid())) {
            throw new IllegalStateException("original Deployment " + Clients.key(cached) + " is gone");
        }
        if (fresh.getMetadata().getDeletionTimestamp() != null) {
            throw new IllegalStateException(Clients.key(cached) + " has just been deleted");
        }
    }

    /** Creates the new set; an existing one of that name is fine when it is ours with this template. */
    private void create(Deployment d, ReplicaSet rs) {
        String ns = d.getMetadata().getNamespace();
        try {
            client.apps().replicaSets().inNamespace(ns).resource(rs).create();
            return;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                reportCreateFailure(d, rs, e);
                events.record(d, DeploymentPlanner.API_VERSION, DeploymentPlanner.KIND, EventRecorder.WARNING,
                        DeploymentConditions.FAILED_REPLICA_SET_CREATE, "Failed to create new replica set \""
                                + rs.getMetadata().getName() + "\": " + String.valueOf(e.getMessage()));
                throw e;
            }
        }
        ReplicaSet existing = client.apps().replicaSets().inNamespace(ns).withName(rs.getMetadata().getName()).get();
        if (existing != null && Owners.isControlledBy(existing, d.getMetadata().getUid())
                && PodTemplateHash.equalIgnoreHash(d.getSpec().getTemplate(), existing.getSpec().getTemplate())) {
            return;
        }
        Deployment bumped = Copies.copy(d);
        DeploymentStatus status = bumped.getStatus() == null ? new DeploymentStatus() : bumped.getStatus();
        status.setCollisionCount(DeploymentConditions.n(status.getCollisionCount()) + 1);
        bumped.setStatus(status);
        client.apps().deployments().inNamespace(ns).resource(bumped).updateStatus();
        throw new IllegalStateException("hash collision on ReplicaSet " + rs.getMetadata().getName()
                + "; collisionCount raised to " + status.getCollisionCount());
    }

    private void reportCreateFailure(Deployment d, ReplicaSet rs, KubernetesClientException e) {
        if (Deployments.progressDeadline(d) == null) {
            return;
        }
        String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : String.valueOf(e.getMessage());
        Deployment copy = Copies.copy(d);
        if (copy.getStatus() == null) {
            copy.setStatus(new DeploymentStatus());
        }
        DeploymentConditions.set(copy.getStatus(), DeploymentConditions.of(DeploymentConditions.PROGRESSING, "False",
                DeploymentConditions.FAILED_REPLICA_SET_CREATE,
                "Failed to create new replica set \"" + rs.getMetadata().getName() + "\": " + reason,
                clock.instant()));
        try {
            client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(copy).updateStatus();
        } catch (KubernetesClientException ignored) {
            log.debug("deployment {}: could not report the create failure: {}", Clients.key(d), ignored.toString());
        }
    }

    // ---- event routing (upstream add/update/deleteDeployment, add/update/deleteReplicaSet, deletePod)

    private void enqueue(Deployment d) {
        queue.add(Clients.key(d));
    }

    private Deployment resolve(String ns, OwnerReference ref) {
        if (ref == null || !DeploymentPlanner.KIND.equals(ref.getKind())) {
            return null;
        }
        Deployment d = deployments.getStore().getByKey(ns + "/" + ref.getName());
        return d != null && d.getMetadata().getUid().equals(ref.getUid()) ? d : null;
    }

    private List<Deployment> matching(ReplicaSet rs) {
        List<Deployment> out = new ArrayList<>();
        for (Deployment d : deployments.getIndexer().byIndex(Cache.NAMESPACE_INDEX, rs.getMetadata().getNamespace())) {
            if (!Selectors.isEmpty(d.getSpec().getSelector())
                    && Selectors.matches(d.getSpec().getSelector(), rs.getMetadata().getLabels())) {
                out.add(d);
            }
        }
        return out;
    }

    private final class SetHandler implements ResourceEventHandler<ReplicaSet> {
        @Override
        public void onAdd(ReplicaSet rs) {
            Deployment d = resolve(rs.getMetadata().getNamespace(), Owners.controllerOf(rs));
            if (d != null) {
                enqueue(d);
            } else if (Owners.controllerOf(rs) == null) {
                matching(rs).forEach(DeploymentController.this::enqueue);
            }
        }

        @Override
        public void onUpdate(ReplicaSet old, ReplicaSet cur) {
            if (Objects.equals(old.getMetadata().getResourceVersion(), cur.getMetadata().getResourceVersion())) {
                return;
            }
            OwnerReference curRef = Owners.controllerOf(cur);
            OwnerReference oldRef = Owners.controllerOf(old);
            boolean refChanged = !Objects.equals(curRef, oldRef);
            if (refChanged && oldRef != null) {
                Deployment oldD = resolve(old.getMetadata().getNamespace(), oldRef);
                if (oldD != null) {
                    enqueue(oldD);
                }
            }
            if (curRef != null) {
                Deployment d = resolve(cur.getMetadata().getNamespace(), curRef);
                if (d != null) {
                    enqueue(d);
                }
                return;
            }
            if (refChanged || !Objects.equals(old.getMetadata().getLabels(), cur.getMetadata().getLabels())) {
                matching(cur).forEach(DeploymentController.this::enqueue);
            }
        }

        @Override
        public void onDelete(ReplicaSet rs, boolean deletedFinalStateUnknown) {
            Deployment d = resolve(rs.getMetadata().getNamespace(), Owners.controllerOf(rs));
            if (d != null) {
                enqueue(d);
            }
        }
    }

    /** A Recreate rollout waits for old pods to be gone: their deletion brings the deployment back. */
    private final class PodHandler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
        }

        @Override
        public void onUpdate(Pod old, Pod cur) {
        }

        @Override
        public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
            OwnerReference ref = Owners.controllerOf(pod);
            if (ref == null || !"ReplicaSet".equals(ref.getKind())) {
                return;
            }
            ReplicaSet rs = sets.getStore().getByKey(pod.getMetadata().getNamespace() + "/" + ref.getName());
            if (rs == null || !rs.getMetadata().getUid().equals(ref.getUid())) {
                return;
            }
            Deployment d = resolve(rs.getMetadata().getNamespace(), Owners.controllerOf(rs));
            if (d != null && !Fenceposts.isRollingUpdate(d)) {
                enqueue(d);
            }
        }
    }
}
