package dev.ferry.controllers.loadbalancer;

import dev.ferry.client.Backoff;
import dev.ferry.client.Clients;
import dev.ferry.client.ControllerLoop;
import dev.ferry.client.Handlers;
import dev.ferry.client.SharedInformers;
import dev.ferry.client.WorkQueue;
import dev.ferry.controllers.workloadutil.Copies;
import dev.ferry.client.EventRecorder;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LoadBalancer address allocator (as k3s ServiceLB's and MetalLB's controllers): every Service of type
 * LoadBalancer with {@code spec.loadBalancerClass} unset or {@value LbPlan#LOAD_BALANCER_CLASS} gets one IPv4
 * address of the pool, written as {@code status.loadBalancer.ingress = [{ip, ipMode: VIP, ports}]} through the
 * status subresource; the address is freed when the Service is deleted or stops being a LoadBalancer. Services of
 * other classes are never touched. The rules are {@link LbPlan}'s.
 *
 * <p>Start-up: the allocations are rebuilt from the synced Service cache ({@link LbAllocations#restore}) before
 * any Service is synced, so restarts keep every address and never hand one out twice.
 *
 * <p>Events on the Service (MetalLB's reasons): Normal {@value #IP_ALLOCATED} "Assigned IP [\"a.b.c.d\"]" when it
 * gets a new address; Warning {@value #ALLOCATION_FAILED} when it cannot get one (requested address outside the pool
 * or in use, pool exhausted), once per distinct failure. A Service that failed waits, without back-off, until an
 * address is freed: every release re-queues every waiting Service.
 *
 * <p>Concurrency: one worker; the allocations and the waiting set are guarded by this.
 */
public final class ServiceLbController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceLbController.class);
    public static final String COMPONENT = "service-lb-controller";
    public static final String IP_ALLOCATED = "IPAllocated";
    public static final String ALLOCATION_FAILED = "AllocationFailed";
    private static final int MAX_RETRIES = 15;

    /** @param pool the IPv4 CIDR addresses are assigned from (the {@code --lb-pool} flag) */
    public record Options(String pool) {
        public static final String DEFAULT_POOL = "127.240.0.0/24";

        public static Options defaults() {
            return new Options(DEFAULT_POOL);
        }
    }

    private final KubernetesClient client;
    private final SharedIndexInformer<Service> services;
    private final EventRecorder events;
    /** Guarded by this. */
    private final LbAllocations allocations;
    /** Keys of Services that could not get an address → the failure last reported for each. Guarded by this. */
    private final Map<String, String> waiting = new HashMap<>();
    private final WorkQueue<String> queue = new WorkQueue<>("service-lb", Backoff.CONTROLLER);
    private final ResourceEventHandler<Service> handler = Handlers.onChange(this::onChange);
    private ControllerLoop<String> loop;

    private ServiceLbController(SharedInformers informers, LbAddressPool pool, Clock clock) {
        this.client = informers.client();
        this.services = informers.get(Service.class);
        this.events = new EventRecorder(client, COMPONENT, clock);
        this.allocations = LbAllocations.restore(pool, services.getStore().list());
    }

    /**
     * Waits for the Service cache, rebuilds the allocations from it, then starts assigning; close the result to
     * stop.
     *
     * @throws IllegalArgumentException when {@code options.pool()} is not a usable IPv4 CIDR
     */
    public static ServiceLbController start(SharedInformers informers, Options options, Clock clock) {
        LbAddressPool pool = LbAddressPool.parse(options.pool());
        ServiceLbController c = new ServiceLbController(informers, pool, clock);
        log.debug("service-lb: {} of {} addresses of {} in use at start", pool.used(), pool.size(), pool.cidr());
        c.services.addEventHandler(c.handler);
        // a Service deleted between the rebuild and the handler's replay of the cache sends no event: its sync
        // frees what the rebuild gave it
        c.allocations().keySet().forEach(c.queue::add);
        c.loop = new ControllerLoop<>("service-lb", c.queue, c::sync, MAX_RETRIES).start(1);
        return c;
    }

    /** The current allocations, "namespace/name" → address. */
    public synchronized Map<String, String> allocations() {
        return allocations.snapshot();
    }

    @Override
    public void close() {
        services.removeEventHandler(handler);
        try {
            if (loop != null) {
                loop.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            events.close();
        }
    }

    private void onChange(Service svc) {
        String key = Clients.key(svc);
        boolean relevant;
        synchronized (this) {
            relevant = LbPlan.isLoadBalancer(svc) || allocations.held(key).isPresent() || !LbPlan.ingressIps(svc)
                    .isEmpty();
        }
        if (relevant) {
            queue.add(key);
        }
    }

    void sync(String key) {
        Service svc = services.getStore().getByKey(key);
        LbPlan plan;
        boolean report;
        List<String> requeue = List.of();
        synchronized (this) {
            plan = LbPlan.plan(key, svc, allocations);
            if (plan.release() != null) {
                allocations.release(key);
            }
            if (plan.claim() != null) {
                allocations.assign(key, plan.claim());
            }
            if (plan.failure() != null && svc != null) {
                report = !plan.failure().equals(waiting.put(key, plan.failure()));
            } else {
                report = false;
                waiting.remove(key);
            }
            if (plan.release() != null && !waiting.isEmpty()) {
                Set<String> others = new LinkedHashSet<>(waiting.keySet());
                others.remove(key);
                requeue = new ArrayList<>(others);
            }
        }
        requeue.forEach(queue::add);
        if (plan.release() != null) {
            log.debug("service-lb: {} gives back {}", key, plan.release());
        }
        if (plan.claim() != null) {
            log.debug("service-lb: {} gets {}", key, plan.claim());
            events.record(svc, "v1", "Service", EventRecorder.NORMAL, IP_ALLOCATED,
                    "Assigned IP [\"" + plan.claim() + "\"]");
        }
        if (report) {
            events.record(svc, "v1", "Service", EventRecorder.WARNING, ALLOCATION_FAILED,
                    "Failed to allocate IP for \"" + key + "\": " + plan.failure());
        }
        if (plan.ingress() != null && svc != null) {
            writeStatus(svc, plan);
        }
    }

    /** Writes the planned ingress with the cached resourceVersion; a conflict is retried by the loop. */
    private void writeStatus(Service svc, LbPlan plan) {
        Service copy = Copies.copy(svc);
        if (copy.getStatus() == null) {
            copy.setStatus(new ServiceStatus());
        }
        copy.getStatus().setLoadBalancer(new LoadBalancerStatus(plan.ingress().isEmpty() ? null : plan.ingress()));
        try {
            client.services().inNamespace(svc.getMetadata().getNamespace()).resource(copy).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return; // deleted: its delete event frees the address
            }
            throw e;
        }
    }
}
