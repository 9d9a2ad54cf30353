package dev.ferry.controllers.replicaset;

import dev.ferry.client.Backoff;
import dev.ferry.client.Clients;
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
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ReplicaSet controller (upstream pkg/controller/replicaset): keeps {@code spec.replicas} active pods per set.
 * Inputs come only from the shared Pod and ReplicaSet informers; {@link ReplicaSetPlanner} and
 * {@link ReplicaSetStatuses} decide, this class writes. After creating or deleting pods a set is not managed again
 * until the pod informer has shown those changes ({@link PodExpectations}).
 */
public final class ReplicaSetController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaSetController.class);
    private static final int MAX_RETRIES = 15;

    /**
     * @param workers concurrent syncs (upstream --concurrent-replicaset-syncs, 5)
     * @param burst   most pods created or deleted by one sync (upstream BurstReplicas, 500)
     */
    public record Options(int workers, int burst) {
        public static Options defaults() {
            return new Options(5, ReplicaSetPlanner.DEFAULT_BURST);
        }
    }

    private final KubernetesClient client;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<ReplicaSet> sets;
    private final Options options;
    private final Clock clock;
    private final PodExpectations expectations;
    private final WorkQueue<String> queue = new WorkQueue<>("replicaset", Backoff.CONTROLLER);
    private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
    private final EventRecorder events;
    private final ResourceEventHandler<Pod> podHandler = new PodHandler();
    private final ResourceEventHandler<ReplicaSet> setHandler = new SetHandler();
    private ControllerLoop<String> loop;

    private ReplicaSetController(SharedInformers informers, Options options, Clock clock) {
        this.client = informers.client();
        this.pods = informers.get(Pod.class);
        this.sets = informers.get(ReplicaSet.class);
        this.options = options;
        this.clock = clock;
        this.expectations = new PodExpectations(clock);
        this.events = new EventRecorder(client, "replicaset-controller", clock);
    }

    /** Starts the controller on {@code informers}' caches; close the result to stop it. */
    public static ReplicaSetController start(SharedInformers informers, Options options, Clock clock) {
        ReplicaSetController c = new ReplicaSetController(informers, options, clock);
        c.sets.addEventHandler(c.setHandler);
        c.pods.addEventHandler(c.podHandler);
        c.loop = new ControllerLoop<>("replicaset", c.queue, c::sync, MAX_RETRIES).start(options.workers());
        return c;
    }

    @Override
    public void close() {
        pods.removeEventHandler(podHandler);
        sets.removeEventHandler(setHandler);
        try {
            loop.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writers.shutdownNow();
        events.close();
    }

    void sync(String key) throws Exception {
        ReplicaSet rs = sets.getStore().getByKey(key);
        if (rs == null) {
            expectations.delete(key);
            return;
        }
        boolean manage = expectations.satisfied(key);
        String ns = rs.getMetadata().getNamespace();
        List<Pod> inNs = pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns);
        ReplicaSetPlan plan = ReplicaSetPlanner.plan(rs, inNs, manage, options.burst());
        if (!plan.adopt().isEmpty()) {
            if (!isLive(rs)) {
                throw new IllegalStateException("ReplicaSet " + key + " is gone or being deleted: not adopting");
            }
            OwnerReference ref = Owners.controllerRef(rs, PodTemplates.API_VERSION, PodTemplates.KIND);
            for (Pod p : plan.adopt()) {
                OwnerPatches.adopt(client, p, ref);
            }
        }
        for (Pod p : plan.release()) {
            OwnerPatches.release(client, p, rs.getMetadata().getUid());
        }
        String manageError = null;
        if (plan.create() > 0) {
            manageError = createPods(key, rs, plan.create());
        } else if (!plan.delete().isEmpty()) {
            manageError = deletePods(key, rs, plan.delete());
        }
        ReplicaSetStatus status = ReplicaSetStatuses.compute(rs, plan.active(), manageError, clock.instant());
        if (ReplicaSetStatuses.changed(rs, status)) {
            writeStatus(rs, status);
        }
        if (manageError != null) {
            throw new IllegalStateException(manageError);
        }
        Duration next = ReplicaSetStatuses.untilNextAvailable(rs, plan.active(), clock.instant());
        if (next != null) {
            queue.addAfter(key, next);
        }
    }

    /**
     * Whether {@code cached} still exists with its uid and is not being deleted, read fresh (upstream's
     * RecheckDeletionTimestamp), checked before adopting. Pods created for a set deleted meanwhile need no check:
     * the API server's garbage collector deletes dependents whose owner is gone.
     */
    private boolean isLive(ReplicaSet cached) {
        ReplicaSet fresh = client.apps().replicaSets().inNamespace(cached.getMetadata().getNamespace())
                .withName(cached.getMetadata().getName()).get();
        return fresh != null && fresh.getMetadata().getUid().equals(cached.getMetadata().getUid())
                && fresh.getMetadata().getDeletionTimestamp() == null;
    }

    /** Creates {@code count} pods in slow-start batches; returns the first error message, or null. */
    private String createPods(String key, ReplicaSet rs, int count) throws InterruptedException {
        expectations.expectCreations(key, count);
        int attempted = 0;
        String error = null;
        for (int batch : SlowStart.batches(count)) {
            List<Future<Pod>> calls = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                Pod pod = PodTemplates.podFor(rs);
                calls.add(writers.submit(() -> client.pods().inNamespace(pod.getMetadata().getNamespace())
                        .resource(pod).create()));
            }
            attempted += batch;
            for (Future<Pod> f : calls) {
                try {
                    Pod created = f.get();
                    events.record(rs, PodTemplates.API_VERSION, PodTemplates.KIND, EventRecorder.NORMAL,
                            "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
                } catch (java.util.concurrent.ExecutionException e) {
                    expectations.creationObserved(key);
                    events.record(rs, PodTemplates.API_VERSION, PodTemplates.KIND, EventRecorder.WARNING,
                            "FailedCreate", "Error creating: " + message(e.getCause()));
                    if (error == null) {
                        error = message(e.getCause());
                    }
                }
            }
            if (error != null) {
                break;
            }
        }
        for (int i = attempted; i < count; i++) {
            expectations.creationObserved(key);
        }
        if (error != null) {
            log.warn("replicaset {}: creating pods failed: {}", key, error);
        }
        return error;
    }

    /** Deletes {@code victims}; returns the first error message, or null (a pod already gone is no error). */
    private String deletePods(String key, ReplicaSet rs, List<Pod> victims) throws InterruptedException {
        List<String> podKeys = victims.stream().map(Clients::key).toList();
        expectations.expectDeletions(key, podKeys);
        List<Future<?>> calls = new ArrayList<>();
        for (Pod p : victims) {
            calls.add(writers.submit(() -> client.pods().inNamespace(p.getMetadata().getNamespace())
                    .withName(p.getMetadata().getName()).delete()));
        }
        String error = null;
        for (int i = 0; i < calls.size(); i++) {
            try {
                calls.get(i).get();
                events.record(rs, PodTemplates.API_VERSION, PodTemplates.KIND, EventRecorder.NORMAL,
                        "SuccessfulDelete", "Deleted pod: " + victims.get(i).getMetadata().getName());
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof KubernetesClientException k && k.getCode() == 404) {
                    continue;
                }
                expectations.deletionObserved(key, podKeys.get(i));
                events.record(rs, PodTemplates.API_VERSION, PodTemplates.KIND, EventRecorder.WARNING,
                        "FailedDelete", "Error deleting: " + message(e.getCause()));
                if (error == null) {
                    error = message(e.getCause());
                }
            }
        }
        return error;
    }

    private static String message(Throwable t) {
        if (t instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
            return k.getStatus().getMessage();
        }
        return String.valueOf(t.getMessage());
    }

    /** Writes {@code status} through the status subresource; on a conflict retries once on a fresh read. */
    private void writeStatus(ReplicaSet rs, ReplicaSetStatus status) {
        ReplicaSet copy = Copies.copy(rs);
        copy.setStatus(status);
        try {
            client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(copy).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return;
            }
            if (e.getCode() != 409) {
                throw e;
            }
            ReplicaSet fresh = client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
                    .withName(rs.getMetadata().getName()).get();
            if (fresh == null || !fresh.getMetadata().getUid().equals(rs.getMetadata().getUid())) {
                return;
            }
            fresh.setStatus(status);
            client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(fresh).updateStatus();
        }
    }

    // ---- event routing (upstream addPod/updatePod/deletePod, addRS/updateRS/deleteRS)

    private void enqueue(ReplicaSet rs) {
        queue.add(Clients.key(rs));
    }

    /** The set {@code ref} names, if it is in the cache with that uid. */
    private ReplicaSet resolve(String ns, OwnerReference ref) {
        if (ref == null || !PodTemplates.KIND.equals(ref.getKind())) {
            return null;
        }
        ReplicaSet rs = sets.getStore().getByKey(ns + "/" + ref.getName());
        return rs != null && rs.getMetadata().getUid().equals(ref.getUid()) ? rs : null;
    }

    /** Sets of the pod's namespace whose selector matches it (candidates to adopt an orphan). */
    private List<ReplicaSet> matching(Pod pod) {
        List<ReplicaSet> out = new ArrayList<>();
        for (ReplicaSet rs : sets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.getMetadata().getNamespace())) {
            if (!Selectors.isEmpty(rs.getSpec().getSelector())
                    && Selectors.matches(rs.getSpec().getSelector(), pod.getMetadata().getLabels())) {
                out.add(rs);
            }
        }
        return out;
    }

    private final class PodHandler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                onDelete(pod, false);
                return;
            }
            ReplicaSet rs = resolve(pod.getMetadata().getNamespace(), Owners.controllerOf(pod));
            if (rs != null) {
                expectations.creationObserved(Clients.key(rs));
                enqueue(rs);
            } else if (Owners.controllerOf(pod) == null) {
                matching(pod).forEach(ReplicaSetController.this::enqueue);
            }
        }

        @Override
        public void onUpdate(Pod old, Pod cur) {
            if (Objects.equals(old.getMetadata().getResourceVersion(), cur.getMetadata().getResourceVersion())) {
                return;
            }
            boolean labelsChanged = !Objects.equals(old.getMetadata().getLabels(), cur.getMetadata().getLabels());
            if (cur.getMetadata().getDeletionTimestamp() != null) {
                onDelete(cur, false);
                if (labelsChanged) {
                    onDelete(old, false);
                }
                return;
            }
            OwnerReference curRef = Owners.controllerOf(cur);
            OwnerReference oldRef = Owners.controllerOf(old);
            boolean refChanged = !Objects.equals(curRef, oldRef);
            if (refChanged && oldRef != null) {
                ReplicaSet oldRs = resolve(old.getMetadata().getNamespace(), oldRef);
                if (oldRs != null) {
                    enqueue(oldRs);
                }
            }
            if (curRef != null) {
                ReplicaSet rs = resolve(cur.getMetadata().getNamespace(), curRef);
                if (rs != null) {
                    enqueue(rs);
                }
                return;
            }
            if (labelsChanged || refChanged) {
                matching(cur).forEach(ReplicaSetController.this::enqueue);
            }
        }

        @Override
        public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
            ReplicaSet rs = resolve(pod.getMetadata().getNamespace(), Owners.controllerOf(pod));
            if (rs != null) {
                expectations.deletionObserved(Clients.key(rs), Clients.key(pod));
                enqueue(rs);
            }
        }
    }

    private final class SetHandler implements ResourceEventHandler<ReplicaSet> {
        @Override
        public void onAdd(ReplicaSet rs) {
            enqueue(rs);
        }

        @Override
        public void onUpdate(ReplicaSet old, ReplicaSet cur) {
            if (!Objects.equals(old.getMetadata().getUid(), cur.getMetadata().getUid())) {
                expectations.delete(Clients.key(old));
            }
            enqueue(cur);
        }

        @Override
        public void onDelete(ReplicaSet rs, boolean deletedFinalStateUnknown) {
            expectations.delete(Clients.key(rs));
            enqueue(rs);
        }
    }
}
