package dev.ferry.apiserver.controlplane;

import dev.ferry.apiserver.ApiException;
import dev.ferry.apiserver.resource.ResourceType;
import dev.ferry.apiserver.resource.ResourceTypes;
import dev.ferry.apiserver.storage.DeleteOptions;
import dev.ferry.apiserver.storage.Meta;
import dev.ferry.apiserver.storage.Registry;
import dev.ferry.apiserver.storage.WatchFilter;
import dev.ferry.apiserver.storage.WriteOptions;
import dev.ferry.api.selector.FieldSelector;
import dev.ferry.api.selector.LabelSelector;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Publishes this API server as an endpoint of the {@code default/kubernetes} Service (upstream's lease endpoint
 * reconciler with the kubernetesservice controller): each pass renews this server's master lease
 * ({@link MasterLeases}), reads the live leases and the current Service, Endpoints and EndpointSlices, and makes the
 * writes {@link KubernetesEndpoints#plan} asks for, through the registry (so strategies, validation and watches apply
 * as to any client's write). It also recreates the Service when it is missing. Several API servers sharing a store run
 * one each; all compute the same objects, so they agree instead of fighting.
 *
 * <p>Passes are serialized ({@code synchronized}); after {@link #stop()} they do nothing. Errors of a pass are thrown
 * to the caller; the scheduled loop logs them and tries again next period.
 */
public final class EndpointReconciler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EndpointReconciler.class);
    /** Upstream's field manager for its own writes. */
    static final WriteOptions WRITE = new WriteOptions(false, "kube-apiserver");

    /**
     * @param interval how often a pass runs (upstream's EndpointInterval, 10 s)
     * @param leaseTtl how long a lease lives without renewal (upstream's master lease TTL, 15 s)
     */
    public record Timing(Duration interval, Duration leaseTtl) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(10), Duration.ofSeconds(15));
    }

    private final Registry registry;
    private final ApiEndpoint self;
    private final String clusterIp;
    private final Clock clock;
    private final Timing timing;
    private final ResourceType leases;
    private final ResourceType services;
    private final ResourceType endpoints;
    private final ResourceType slices;
    private boolean stopped;
    private ScheduledExecutorService scheduler;

    /**
     * @param self      this server's advertised endpoint ({@link ApiEndpoint#advertised})
     * @param clusterIp the address the Service gets when this reconciler has to create it
     */
    public EndpointReconciler(Registry registry, ApiEndpoint self, String clusterIp, Clock clock, Timing timing) {
        this.registry = registry;
        this.self = self;
        this.clusterIp = clusterIp;
        this.clock = clock;
        this.timing = timing;
        ResourceTypes types = registry.types();
        this.leases = types.find("coordination.k8s.io", "v1", "leases").orElseThrow();
        this.services = types.find("", "v1", "services").orElseThrow();
        this.endpoints = types.find("", "v1", "endpoints").orElseThrow();
        this.slices = types.find("discovery.k8s.io", "v1", "endpointslices").orElseThrow();
    }

    public ApiEndpoint self() {
        return self;
    }

    /** Runs a pass now (off the caller's thread) and then every interval on a daemon thread, until {@link #close}. */
    public synchronized EndpointReconciler start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kubernetes-endpoints");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, timing.interval().toMillis());
        scheduler.scheduleWithFixedDelay(this::reconcileLogged, 0, ms, TimeUnit.MILLISECONDS);
        return this;
    }

    private void reconcileLogged() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            log.warn("reconciling the endpoints of the kubernetes Service failed: {}", e.toString());
        }
    }

    /** One pass: renew this server's lease first (whatever happens next), then bring the objects in line. */
    public synchronized void reconcile() {
        if (stopped) {
            return;
        }
        renewLease();
        sync();
    }

    /**
     * Stops the passes and takes this server out: deletes its lease and reconciles without it (upstream's
     * StopReconciling + RemoveEndpoints). The last server leaves its endpoint in place, as upstream.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        delete(leases, MasterLeases.NAMESPACE, MasterLeases.name(self));
        sync();
    }

    private void renewLease() {
        String name = MasterLeases.name(self);
        var now = clock.instant();
        if (registry.find(leases, MasterLeases.NAMESPACE, name).isEmpty()) {
            try {
                registry.create(leases, MasterLeases.NAMESPACE,
                        MasterLeases.renewed(null, self, now, timing.leaseTtl()), WRITE);
                return;
            } catch (ApiException e) {
                if (e.code() != 409) {
                    throw e;
                }
            }
        }
        registry.patch(leases, MasterLeases.NAMESPACE, name,
                old -> MasterLeases.renewed(old, self, now, timing.leaseTtl()), null, WRITE);
    }

    private void sync() {
        List<ObjectNode> leaseList = list(leases, MasterLeases.NAMESPACE);
        var now = clock.instant();
        List<ApiEndpoint> live = MasterLeases.live(leaseList, now);
        for (String gone : MasterLeases.collectable(leaseList, now)) {
            delete(leases, MasterLeases.NAMESPACE, gone);
            log.info("deleted the expired master lease {}", gone);
        }
        ObjectNode service = registry.find(services, KubernetesEndpoints.NAMESPACE, KubernetesEndpoints.NAME)
                .orElse(null);
        if (service == null && !live.isEmpty()) {
            createService(KubernetesEndpoints.targetPort(live));
        }
        ObjectNode currentEndpoints = registry.find(endpoints, KubernetesEndpoints.NAMESPACE, KubernetesEndpoints.NAME)
                .orElse(null);
        List<ObjectNode> currentSlices = list(slices, KubernetesEndpoints.NAMESPACE);
        KubernetesEndpoints.Plan plan = KubernetesEndpoints.plan(live, currentEndpoints, currentSlices, service);
        if (plan.isEmpty()) {
            return;
        }
        if (plan.servicePorts() != null) {
            log.info("resetting the ports of Service default/kubernetes to {}", plan.servicePorts());
            update(services, KubernetesEndpoints.NAME, old -> {
                ((ObjectNode) old.get("spec")).set("ports", plan.servicePorts().deepCopy());
                return old;
            });
        }
        if (plan.endpoints() != null) {
            log.info("resetting endpoints of Service default/kubernetes to {}", live);
            write(endpoints, plan.endpoints(), plan.createEndpoints(), "subsets");
        }
        for (String name : plan.deleteSlices()) {
            delete(slices, KubernetesEndpoints.NAMESPACE, name);
        }
        for (ObjectNode slice : plan.createSlices()) {
            write(slices, slice, true, "addressType", "endpoints", "ports");
        }
        for (ObjectNode slice : plan.updateSlices()) {
            write(slices, slice, false, "endpoints", "ports");
        }
    }

    private void createService(int targetPort) {
        try {
            registry.create(services, KubernetesEndpoints.NAMESPACE,
                    KubernetesEndpoints.service(clusterIp, targetPort), WRITE);
            log.info("created Service default/kubernetes ({}:443 -> {})", clusterIp, targetPort);
        } catch (ApiException e) {
            // 409: another server created it first; 422: its address is taken (another server is creating it)
            if (e.code() != 409 && e.code() != 422) {
                throw e;
            }
        }
    }

    /**
     * Creates {@code want}, or (when it exists, or {@code create} is false) replaces the current object's labels and
     * {@code fields} with {@code want}'s, retrying on conflicts.
     */
    private void write(ResourceType type, ObjectNode want, boolean create, String... fields) {
        if (create) {
            try {
                registry.create(type, KubernetesEndpoints.NAMESPACE, want.deepCopy(), WRITE);
                return;
            } catch (ApiException e) {
                if (e.code() != 409) {
                    throw e;
                }
            }
        }
        try {
            update(type, Meta.name(want), old -> {
                Meta.metadata(old).set("labels", want.path("metadata").get("labels").deepCopy());
                for (String f : fields) {
                    JsonNode v = want.get(f);
                    old.set(f, v == null ? null : v.deepCopy());
                }
                return old;
            });
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
            // deleted meanwhile: create it again
            registry.create(type, KubernetesEndpoints.NAMESPACE, want.deepCopy(), WRITE);
        }
    }

    /** Deletes an object; one already gone is fine. */
    private void delete(ResourceType type, String namespace, String name) {
        try {
            registry.delete(type, namespace, name, DeleteOptions.DEFAULT);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
        }
    }

    private void update(ResourceType type, String name, UnaryOperator<ObjectNode> change) {
        registry.patch(type, KubernetesEndpoints.NAMESPACE, name, change, null, WRITE);
    }

    private List<ObjectNode> list(ResourceType type, String namespace) {
        return registry.list(type, new WatchFilter(type.kind(), namespace, LabelSelector.EVERYTHING,
                FieldSelector.EVERYTHING), new Registry.ListOptions("", 0, null)).items();
    }

    /**
     * Stops the loop and removes this server (bounded by twice the interval, at least a second, as upstream, so an
     * unreachable store cannot hold up shutdown).
     */
    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = scheduler;
        }
        if (s == null) {
            stop();
            return;
        }
        Future<?> removal = s.submit(this::stop);
        try {
            removal.get(Math.max(1000, timing.interval().toMillis() * 2), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            log.warn("removing this API server from the kubernetes Service endpoints failed: {}",
                    e.getCause().toString());
        } catch (TimeoutException e) {
            log.warn("removing this API server from the kubernetes Service endpoints timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            s.shutdownNow();
        }
    }
}
