package dev.ferry.controllers.endpoints;

import dev.ferry.client.Backoff;
import dev.ferry.client.Clients;
import dev.ferry.client.ControllerLoop;
import dev.ferry.client.SharedInformers;
import dev.ferry.client.WorkQueue;
import dev.ferry.controllers.endpointutil.EventTimes;
import dev.ferry.controllers.endpointutil.ServiceTriggers;
import dev.ferry.controllers.endpointutil.ResourceVersions;
import dev.ferry.controllers.endpointutil.ServiceRules;
import dev.ferry.controllers.endpointutil.TriggerTimeTracker;
import dev.ferry.controllers.endpointutil.WellKnown;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The legacy Endpoints controller loop (upstream's pkg/controller/endpoint): Service and Pod events, and deletions
 * of Endpoints, queue Service keys ("ns/name"); a sync reads only the shared caches, asks {@link EndpointsReconciler}
 * for a plan and writes it (updates carry the cached resourceVersion, so a stale cache or a concurrent writer means a
 * conflict and a retry with back-off). A deleted Service's Endpoints object is deleted; at start every cached
 * Endpoints object is queued once so that orphans (no Service) are removed, except leader-election records.
 */
public final class EndpointsController implements AutoCloseable {
    /** Upstream's maxRetries. */
    static final int MAX_RETRIES = 15;

    /** @param workers sync threads */
    public record Options(int workers) {
        public static Options defaults() {
            return new Options(4);
        }
    }

    private final KubernetesClient client;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Endpoints> endpoints;
    private final EndpointsReconciler reconciler = new EndpointsReconciler();
    private final WorkQueue<String> queue = new WorkQueue<>("endpoints", Backoff.CONTROLLER);
    private final TriggerTimeTracker triggerTimes = new TriggerTimeTracker();
    private final EventTimes eventTimes;
    private final List<Runnable> unregister = new ArrayList<>();
    /**
     * Key → resourceVersion of this controller's last write of that Endpoints object (upstream's
     * staleEndpointsTracker): a cached object older than that is stale, and a sync from it could wrongly find
     * nothing to do, so it is retried instead.
     */
    private final Map<String, String> written = new ConcurrentHashMap<>();
    private ControllerLoop<String> loop;

    private EndpointsController(SharedInformers informers, Clock clock) {
        this.client = informers.client();
        this.eventTimes = new EventTimes(clock);
        this.services = informers.get(Service.class);
        this.pods = informers.get(Pod.class);
        this.endpoints = informers.get(Endpoints.class);
    }

    /** Starts the controller on the shared informers; close it to stop. */
    public static EndpointsController start(SharedInformers informers, Options options, Clock clock) {
        EndpointsController c = new EndpointsController(informers, clock);
        c.loop = new ControllerLoop<>("endpoints-controller", c.queue, c::sync, MAX_RETRIES);
        c.register();
        c.loop.start(Math.max(1, options.workers()));
        for (Endpoints e : c.endpoints.getStore().list()) {
            Map<String, String> ann = e.getMetadata().getAnnotations();
            if (ann == null || !ann.containsKey(WellKnown.ANNOTATION_LEADER)) {
                c.queue.add(Clients.key(e));
            }
        }
        return c;
    }

    private <T> void handle(SharedIndexInformer<T> informer, ResourceEventHandler<T> handler) {
        informer.addEventHandler(handler);
        unregister.add(() -> informer.removeEventHandler(handler));
    }

    private void register() {
        handle(services, ServiceTriggers.services(this::enqueue));
        handle(pods, ServiceTriggers.pods(this::servicesIn, this::enqueue));
        handle(endpoints, new ResourceEventHandler<>() {
            @Override
            public void onAdd(Endpoints e) {
            }

            @Override
            public void onUpdate(Endpoints old, Endpoints e) {
            }

            @Override
            public void onDelete(Endpoints e, boolean unknown) {
                written.remove(Clients.key(e));
                queue.add(Clients.key(e));
            }
        });
    }

    private void enqueue(String key) {
        eventTimes.observed(key);
        queue.add(key);
    }

    private List<Service> servicesIn(String namespace) {
        return services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    /** One sync of the Service {@code key}; throws to be retried with back-off. */
    void sync(String key) {
        Instant eventTime = eventTimes.take(key);
        String namespace = Clients.namespace(key);
        Service service = services.getIndexer().getByKey(key);
        Endpoints current = endpoints.getIndexer().getByKey(key);
        if (service == null) {
            triggerTimes.delete(namespace, Clients.name(key));
            written.remove(key);
            // Deleted even when the cache has no Endpoints object: the cache may be behind (upstream does the same).
            client.endpoints().inNamespace(namespace).withName(Clients.name(key)).delete();
            return;
        }
        String wrote = written.get(key);
        if (wrote != null && (current == null
                || !ResourceVersions.atLeast(current.getMetadata().getResourceVersion(), wrote))) {
            eventTimes.restore(key, eventTime);
            throw new IllegalStateException("endpoints informer cache is out of date for " + key);
        }
        List<Pod> selected = new ArrayList<>();
        if (ServiceRules.managesEndpoints(service)) {
            for (Pod p : pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)) {
                if (ServiceRules.selects(service, p.getMetadata().getLabels())) {
                    selected.add(p);
                }
            }
        }
        Instant trigger = ServiceRules.managesEndpoints(service) ? triggerTimes.compute(service, selected) : null;
        EndpointsPlan plan = reconciler.reconcile(service, selected, current, trigger == null ? eventTime : trigger);
        try {
            switch (plan.action()) {
                case CREATE -> written.put(key, client.endpoints().inNamespace(namespace).resource(plan.endpoints())
                        .create().getMetadata().getResourceVersion());
                case UPDATE -> written.put(key, client.endpoints().inNamespace(namespace).resource(plan.endpoints())
                        .update().getMetadata().getResourceVersion());
                case DELETE -> client.endpoints().inNamespace(namespace).withName(Clients.name(key)).delete();
                case NONE -> {
                }
            }
        } catch (RuntimeException e) {
            eventTimes.restore(key, eventTime);
            throw e;
        }
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
    }
}
