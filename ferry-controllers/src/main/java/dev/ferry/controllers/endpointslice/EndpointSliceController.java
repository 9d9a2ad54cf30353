package dev.ferry.controllers.endpointslice;

import dev.ferry.client.Backoff;
import dev.ferry.client.Clients;
import dev.ferry.client.ControllerLoop;
import dev.ferry.client.EventRecorder;
import dev.ferry.client.SharedInformers;
import dev.ferry.client.WorkQueue;
import dev.ferry.controllers.endpointutil.EventTimes;
import dev.ferry.controllers.endpointutil.PodChanges;
import dev.ferry.controllers.endpointutil.ServiceTriggers;
import dev.ferry.controllers.endpointutil.ServiceRules;
import dev.ferry.controllers.endpointutil.TriggerTimeTracker;
import dev.ferry.controllers.endpointutil.WellKnown;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EndpointSlice controller loop (upstream's pkg/controller/endpointslice): Service, Pod, Node and EndpointSlice
 * events queue Service keys ("ns/name"); a sync reads only the shared caches, asks {@link EndpointSliceReconciler}
 * for a plan and writes it (creates by generateName, updates with the cached resourceVersion, so a conflict means a
 * retry with back-off). A deleted Service's slices go away through the API server's garbage collector (owner
 * references). Syncs wait for the slice cache to catch up with this controller's own writes ({@link SliceTracker}).
 * Node changes that move the zones' shares of CPU ({@link ZoneShares}) queue every Service that asks for
 * {@code topology-mode: Auto} hints; the heuristic's changes of outcome are events on the Service.
 */
public final class EndpointSliceController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EndpointSliceController.class);
    /** Upstream's maxRetries. */
    static final int MAX_RETRIES = 15;
    /** Upstream's sync back-off for this controller: 1 s doubling to 1000 s. */
    static final Backoff SYNC_BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1000));
    /** Upstream's endpointSliceChangeMinSyncDelay: slice changes by others are batched for this long. */
    static final Duration SLICE_CHANGE_DELAY = Duration.ofSeconds(1);
    /** Consecutive stale-cache syncs after which the tracker's record of a Service is dropped (self-healing). */
    private static final int MAX_STALE_SYNCS = 10;
    private static final String SERVICE_INDEX = "ferry.dev/endpointslice-service";

    /** @param maxEndpointsPerSlice at most this many endpoints per slice (1..1000) @param workers sync threads */
    public record Options(int maxEndpointsPerSlice, int workers) {
        public static Options defaults() {
            return new Options(EndpointSliceReconciler.DEFAULT_MAX_ENDPOINTS_PER_SLICE, 4);
        }
    }

    /** The cache is behind this controller's writes; the sync is retried. */
    static final class StaleCacheException extends Exception {
        StaleCacheException(String key) {
            super("EndpointSlice informer cache is out of date for service " + key);
        }
    }

    private final KubernetesClient client;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final EndpointSliceReconciler reconciler;
    private final WorkQueue<String> queue = new WorkQueue<>("endpointslice", SYNC_BACKOFF);
    private final SliceTracker tracker = new SliceTracker();
    private final TriggerTimeTracker triggerTimes = new TriggerTimeTracker();
    private final EventTimes eventTimes;
    /** Service keys whose last sync found the cache stale: the next echo of a write queues them at once. */
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> staleSyncs = new ConcurrentHashMap<>();
    /** Node name → Services whose last sync left out a pod because that node was not in the cache. */
    private final Map<String, Set<String>> servicesByMissingNode = new ConcurrentHashMap<>();
    /** Service key → address type → the Auto hints' outcome of its last sync (Services that ask for them). */
    private final Map<String, Map<String, AutoHints.Outcome>> autoHints = new ConcurrentHashMap<>();
    private final EventRecorder events;
    private volatile ZoneShares zones;
    private final List<Runnable> unregister = new ArrayList<>();
    private ControllerLoop<String> loop;

    private EndpointSliceController(SharedInformers informers, Options options, Clock clock) {
        this.client = informers.client();
        this.reconciler = new EndpointSliceReconciler(options.maxEndpointsPerSlice());
        this.eventTimes = new EventTimes(clock);
        this.events = new EventRecorder(client, "endpoint-slice-controller", clock);
        this.services = informers.get(Service.class);
        this.pods = informers.get(Pod.class);
        this.nodes = informers.get(Node.class);
        this.slices = informers.get(EndpointSlice.class);
        this.zones = ZoneShares.of(nodes.getStore().list());
        synchronized (slices) {
            if (!slices.getIndexer().getIndexers().containsKey(SERVICE_INDEX)) {
                slices.addIndexers(Map.of(SERVICE_INDEX, s -> {
                    String key = SliceTracker.serviceKey(s);
                    return key == null ? List.of() : List.of(key);
                }));
            }
        }
    }

    /** Starts the controller on the shared informers; close it to stop. */
    public static EndpointSliceController start(SharedInformers informers, Options options, Clock clock) {
        EndpointSliceController c = new EndpointSliceController(informers, options, clock);
        c.loop = new ControllerLoop<>("endpointslice-controller", c.queue, c::sync, MAX_RETRIES);
        c.register();
        c.loop.start(Math.max(1, options.workers()));
        return c;
    }

    private <T> void handle(SharedIndexInformer<T> informer, ResourceEventHandler<T> handler) {
        informer.addEventHandler(handler);
        unregister.add(() -> informer.removeEventHandler(handler));
    }

    private void register() {
        handle(services, ServiceTriggers.services(this::enqueue));
        handle(pods, ServiceTriggers.pods(this::servicesIn, this::enqueue));
        handle(nodes, new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node n) {
                Set<String> waitingServices = servicesByMissingNode.remove(n.getMetadata().getName());
                if (waitingServices != null) {
                    waitingServices.forEach(EndpointSliceController.this::enqueue);
                }
                nodesChanged();
            }

            @Override
            public void onUpdate(Node old, Node n) {
                if (!Objects.equals(zone(old), zone(n))) {
                    queueServicesOnNode(n.getMetadata().getName());
                }
                nodesChanged();
            }

            @Override
            public void onDelete(Node n, boolean unknown) {
                nodesChanged();
            }
        });
        handle(slices, new ResourceEventHandler<>() {
            @Override
            public void onAdd(EndpointSlice s) {
                if (managed(s) && tracker.shouldSync(s)) {
                    queueForSlice(s);
                }
                wake(s);
            }

            @Override
            public void onUpdate(EndpointSlice old, EndpointSlice s) {
                String svc = SliceTracker.serviceKey(s);
                String oldSvc = SliceTracker.serviceKey(old);
                if (!Objects.equals(svc, oldSvc)) {
                    queueForSlice(s);
                    queueForSlice(old);
                } else if (managed(old) != managed(s) || (managed(s) && tracker.shouldSync(s))) {
                    queueForSlice(s);
                }
                if (!managed(s) || isDeleting(s)) {
                    tracker.handleDeletion(s);
                }
                wake(s);
            }

            @Override
            public void onDelete(EndpointSlice s, boolean unknown) {
                if (managed(s) && !tracker.handleDeletion(s)) {
                    queueForSlice(s);
                }
                wake(s);
            }
        });
    }

    private void enqueue(String key) {
        eventTimes.observed(key);
        queue.add(key);
    }

    private void queueForSlice(EndpointSlice s) {
        String key = SliceTracker.serviceKey(s);
        if (key != null) {
            queue.addAfter(key, SLICE_CHANGE_DELAY);
        }
    }

    /** A slice event may be what a stale sync of its Service waits for. */
    private void wake(EndpointSlice s) {
        String key = SliceTracker.serviceKey(s);
        if (key != null && waiting.remove(key)) {
            queue.add(key);
        }
    }

    /** A node's zone changed: the Services of the pods on it (a rare event, so a scan of the pod cache). */
    private void queueServicesOnNode(String node) {
        for (Pod p : pods.getStore().list()) {
            if (p.getSpec() != null && node.equals(p.getSpec().getNodeName())) {
                PodChanges.servicesSelecting(servicesIn(p.getMetadata().getNamespace()), p).forEach(this::enqueue);
            }
        }
    }

    /** Recomputes the zones' shares (a few nodes: cheap); when they moved, every Auto Service is synced again. */
    private void nodesChanged() {
        ZoneShares now = ZoneShares.of(nodes.getStore().list());
        if (now.equals(zones)) {
            return;
        }
        zones = now;
        for (Service s : services.getStore().list()) {
            if (EndpointSliceReconciler.topologyAuto(s)) {
                enqueue(key(s.getMetadata().getNamespace(), s.getMetadata().getName()));
            }
        }
    }

    private List<Service> servicesIn(String namespace) {
        return services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    private static String zone(Node n) {
        return n.getMetadata().getLabels() == null ? null
                : n.getMetadata().getLabels().get(WellKnown.LABEL_TOPOLOGY_ZONE);
    }

    private static boolean managed(EndpointSlice s) {
        Map<String, String> labels = s.getMetadata().getLabels();
        return labels != null && WellKnown.ENDPOINTSLICE_CONTROLLER.equals(labels.get(WellKnown.LABEL_MANAGED_BY));
    }

    private static boolean isDeleting(EndpointSlice s) {
        String ts = s.getMetadata().getDeletionTimestamp();
        return ts != null && !ts.isEmpty();
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    /** One sync of the Service {@code key}; throws to be retried with back-off. */
    void sync(String key) throws Exception {
        Instant eventTime = eventTimes.take(key);
        Service service = services.getIndexer().getByKey(key);
        if (service == null) {
            triggerTimes.delete(Clients.namespace(key), Clients.name(key));
            tracker.deleteService(key);
            staleSyncs.remove(key);
            servicesByMissingNode.values().forEach(keys -> keys.remove(key));
            autoHints.remove(key);
            return;
        }
        if (!ServiceRules.managesEndpoints(service)) {
            autoHints.remove(key);
            return;
        }
        String namespace = service.getMetadata().getNamespace();
        List<Pod> selected = new ArrayList<>();
        for (Pod p : pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)) {
            if (ServiceRules.selects(service, p.getMetadata().getLabels())) {
                selected.add(p);
            }
        }
        waiting.add(key);
        List<EndpointSlice> existing = new ArrayList<>();
        for (EndpointSlice s : slices.getIndexer().byIndex(SERVICE_INDEX, key)) {
            if (managed(s) && !isDeleting(s)) {
                existing.add(s);
            }
        }
        if (tracker.stale(key, existing)) {
            if (staleSyncs.merge(key, 1, Integer::sum) < MAX_STALE_SYNCS) {
                eventTimes.restore(key, eventTime);
                throw new StaleCacheException(key);
            }
            log.warn("endpointslice: cache for service {} stayed behind its writes; forgetting them", key);
            tracker.deleteService(key);
        }
        waiting.remove(key);
        staleSyncs.remove(key);

        Instant trigger = triggerTimes.compute(service, selected);
        if (trigger == null) {
            trigger = eventTime;
        }
        EndpointSlicePlan plan = reconciler.reconcile(service, selected, nodes.getIndexer()::getByKey, existing,
                trigger, zones);
        try {
            apply(namespace, plan);
        } catch (RuntimeException e) {
            eventTimes.restore(key, eventTime);
            throw e;
        }
        recordAutoHints(service, key, plan.autoHints());
        for (String node : plan.missingNodes()) {
            servicesByMissingNode.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet()).add(key);
            if (nodes.getIndexer().getByKey(node) != null) {
                queue.add(key); // arrived between the plan and this registration
            }
        }
        if (!plan.problems().isEmpty()) {
            throw new IllegalStateException(String.join("; ", plan.problems()));
        }
    }

    private void recordAutoHints(Service service, String key, Map<String, AutoHints.Outcome> now) {
        Map<String, AutoHints.Outcome> before = now.isEmpty() ? autoHints.remove(key) : autoHints.put(key, now);
        for (AutoHints.Event e : AutoHints.events(before == null ? Map.of() : before, now)) {
            log.info("endpointslice: service {}: {}", key, e.message());
            events.record(service, "v1", "Service", e.type(), e.reason(), e.message());
        }
    }

    private void apply(String namespace, EndpointSlicePlan plan) {
        var api = client.resources(EndpointSlice.class).inNamespace(namespace);
        for (EndpointSlice s : plan.create()) {
            tracker.written(api.resource(s).create());
        }
        for (EndpointSlice s : plan.update()) {
            tracker.written(api.resource(s).update());
        }
        for (EndpointSlice s : plan.delete()) {
            api.withName(s.getMetadata().getName()).delete();
            tracker.deleted(s);
        }
        if (!plan.isEmpty()) {
            log.debug("endpointslice {}: created {}, updated {}, deleted {}", namespace, plan.create().size(),
                    plan.update().size(), plan.delete().size());
        }
    }

    /** The cached slice {@code namespace/name}, or null (for tests). */
    EndpointSlice cachedSlice(String namespace, String name) {
        return slices.getIndexer().getByKey(namespace + "/" + name);
    }

    /** Stops the workers and unregisters the handlers; the shared informers keep running. */
    @Override
    public void close() {
        unregister.forEach(Runnable::run);
        if (loop != null) {
            try {
                loop.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        events.close();
    }
}
