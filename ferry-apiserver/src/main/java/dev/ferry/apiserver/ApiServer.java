package dev.ferry.apiserver;

import dev.ferry.api.Json;
import dev.ferry.apiserver.controlplane.ApiEndpoint;
import dev.ferry.apiserver.controlplane.EndpointReconciler;
import dev.ferry.apiserver.controlplane.KubernetesEndpoints;
import dev.ferry.apiserver.discovery.Discovery;
import dev.ferry.apiserver.discovery.OpenApi;
import dev.ferry.apiserver.discovery.VersionInfo;
import dev.ferry.apiserver.http.ApiRouter;
import dev.ferry.apiserver.http.DiscoveryPaths;
import dev.ferry.apiserver.table.IncludeObject;
import dev.ferry.apiserver.table.Tables;
import dev.ferry.apiserver.http.HttpTransport;
import dev.ferry.apiserver.http.Plugins;
import dev.ferry.apiserver.http.ResourceHandler;
import dev.ferry.apiserver.patch.PatchSchema;
import dev.ferry.apiserver.patch.Patcher;
import dev.ferry.apiserver.patch.UnknownFields;
import dev.ferry.apiserver.patch.ServerSideApply;
import dev.ferry.apiserver.protobuf.ProtobufDecoder;
import dev.ferry.apiserver.workload.DeploymentStrategy;
import dev.ferry.apiserver.workload.EventStrategy;
import dev.ferry.apiserver.workload.LeaseStrategy;
import dev.ferry.apiserver.workload.NamespaceStrategy;
import dev.ferry.apiserver.workload.NodeStrategy;
import dev.ferry.apiserver.workload.ObjectMetaValidation;
import dev.ferry.apiserver.workload.PodStrategy;
import dev.ferry.apiserver.workload.ReplicaSetStrategy;
import dev.ferry.apiserver.allocation.AllocationLedger;
import dev.ferry.apiserver.allocation.StoreLedger;
import dev.ferry.apiserver.service.AllocationRepair;
import dev.ferry.apiserver.service.EndpointSliceStrategy;
import dev.ferry.apiserver.service.EndpointsStrategy;
import dev.ferry.apiserver.service.ServiceAllocations;
import dev.ferry.apiserver.service.ServiceNetworkConfig;
import dev.ferry.apiserver.service.ServiceStrategy;
import dev.ferry.apiserver.service.SpecialIpValidator;
import dev.ferry.apiserver.storage.WatchFilter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import dev.ferry.apiserver.lifecycle.Compactor;
import dev.ferry.apiserver.lifecycle.GarbageCollector;
import dev.ferry.apiserver.lifecycle.NamespaceController;
import dev.ferry.apiserver.resource.ResourceType;
import dev.ferry.apiserver.resource.ResourceTypes;
import dev.ferry.apiserver.storage.Registry;
import dev.ferry.apiserver.storage.WatchCache;
import dev.ferry.apiserver.storage.WriteOptions;
import dev.ferry.store.KeyValueStore;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServerOptions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/** The API server: a store, a watch cache, the registry and an HTTP listener, started and stopped as one. */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    /**
     * Listener address and limits. Port 0 picks a free port.
     *
     * @param sharedStore               true when other API servers may write the same store (etcd): Service IPs and
     *                                  node ports are then claimed in the store ({@link StoreLedger}), not only in
     *                                  this process's memory
     * @param allocationRepairInterval how often unbacked claims are swept when {@code sharedStore}
     * @param endpointTiming           master lease renewal interval and TTL ({@link EndpointReconciler})
     */
    public record Config(String host, int port, ServiceNetworkConfig network, int maxWatchers, int historyPerType,
            HttpTransport.Limits limits, Duration compactionInterval, boolean sharedStore,
            Duration allocationRepairInterval, EndpointReconciler.Timing endpointTiming) {
        public static Config defaults(String host, int port) {
            return new Config(host, port, ServiceNetworkConfig.defaults(), 10_000, 10_000,
                    HttpTransport.Limits.DEFAULT, Duration.ofMinutes(5), false, Duration.ofSeconds(60),
                    EndpointReconciler.Timing.DEFAULT);
        }

        public Config withNetwork(ServiceNetworkConfig n) {
            return new Config(host, port, n, maxWatchers, historyPerType, limits, compactionInterval, sharedStore,
                    allocationRepairInterval, endpointTiming);
        }

        public Config withMaxWatchers(int m) {
            return new Config(host, port, network, m, historyPerType, limits, compactionInterval, sharedStore,
                    allocationRepairInterval, endpointTiming);
        }

        public Config withHistoryPerType(int h) {
            return new Config(host, port, network, maxWatchers, h, limits, compactionInterval, sharedStore,
                    allocationRepairInterval, endpointTiming);
        }

        public Config withSharedStore(boolean shared) {
            return new Config(host, port, network, maxWatchers, historyPerType, limits, compactionInterval, shared,
                    allocationRepairInterval, endpointTiming);
        }

        public Config withAllocationRepairInterval(Duration interval) {
            return new Config(host, port, network, maxWatchers, historyPerType, limits, compactionInterval,
                    sharedStore, interval, endpointTiming);
        }

        /** How often this server renews its master lease and reconciles the kubernetes Service's endpoints. */
        public Config withEndpointTiming(EndpointReconciler.Timing timing) {
            return new Config(host, port, network, maxWatchers, historyPerType, limits, compactionInterval,
                    sharedStore, allocationRepairInterval, timing);
        }
    }

    private final Vertx vertx;
    private final Registry registry;
    private final List<AutoCloseable> parts;
    private final int port;
    private final AllocationRepair allocationRepair;
    private final EndpointReconciler endpointReconciler;

    private ApiServer(Vertx vertx, Registry registry, List<AutoCloseable> parts, int port,
            AllocationRepair allocationRepair, EndpointReconciler endpointReconciler) {
        this.vertx = vertx;
        this.registry = registry;
        this.parts = parts;
        this.port = port;
        this.allocationRepair = allocationRepair;
        this.endpointReconciler = endpointReconciler;
    }

    /** Starts serving {@code store}; blocks until the listener is bound and the cache loaded. */
    public static ApiServer start(Config config, KeyValueStore store, Clock clock) throws Exception {
        long t0 = System.nanoTime();
        // Vert.x and the static documents load many classes: build them on the other core while the store loads.
        // No file cache: nothing is served from files, and Vert.x's cache directory in the temp directory outlives a
        // killed process.
        CompletableFuture<Vertx> vertxReady = CompletableFuture.supplyAsync(
                () -> Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setFileSystemOptions(
                        new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false))));
        ServiceNetworkConfig network = config.network();
        SpecialIpValidator ips = network.specialIpValidator();
        ResourceTypes types = ResourceTypes.standard(Map.of(
                "Service", new ServiceStrategy(network),
                "Endpoints", new EndpointsStrategy(ips),
                "EndpointSlice", new EndpointSliceStrategy(ips),
                "Pod", new PodStrategy(),
                "Deployment", new DeploymentStrategy(),
                "ReplicaSet", new ReplicaSetStrategy(),
                "Namespace", new NamespaceStrategy(),
                "Node", new NodeStrategy(),
                "Event", new EventStrategy(),
                "Lease", new LeaseStrategy()));
        AllocationLedger ledger = config.sharedStore() ? new StoreLedger(store) : AllocationLedger.LOCAL;
        ServiceAllocations allocations = new ServiceAllocations(network, ledger);
        CompletableFuture<StaticParts> staticParts = CompletableFuture.supplyAsync(() -> StaticParts.build(types));
        WatchCache cache = new WatchCache(store, types, config.historyPerType());
        try {
            return serve(config, store, clock, cache, allocations, vertxReady, staticParts, t0);
        } catch (Exception | Error e) {
            cache.close();
            vertxReady.thenAccept(Vertx::close);
            throw e;
        }
    }

    /** The part of start-up that can fail after resources are taken; {@link #start} releases them if it does. */
    private static ApiServer serve(Config config, KeyValueStore store, Clock clock, WatchCache cache,
            ServiceAllocations allocations, CompletableFuture<Vertx> vertxReady,
            CompletableFuture<StaticParts> staticParts, long t0) throws Exception {
        ResourceTypes types = cache.types();
        ResourceType services = types.find("", "v1", "services").orElseThrow();
        cache.start();
        long tCache = System.nanoTime();
        UnknownFields unknownFields = new UnknownFields(PatchSchema.kube());
        Map<ResourceType, ObjectMetaValidation> metadata = new java.util.HashMap<>();
        types.all().forEach(t -> metadata.put(t, ObjectMetaValidation.forKind(t.kind(), t.namespaced())));
        Registry registry = new Registry(store, cache, types, Map.of(services, allocations),
                (t, obj, old) -> old == null ? metadata.get(t).validate(obj) : metadata.get(t).validateUpdate(obj, old),
                ServerSideApply.kube()::recordUpdate, (t, obj) -> unknownFields.prune(t.kind(), obj), clock);
        repairAllocations(registry, services, allocations);
        bootstrap(registry, types, allocations.firstServiceIp(), allocations.ledger().shared(), config.port());
        AllocationRepair repair = new AllocationRepair(allocations, () -> allServices(registry, services));
        if (allocations.ledger().shared()) {
            repair.start(config.allocationRepairInterval());
        }
        long tBootstrap = System.nanoTime();
        StaticParts parts0 = staticParts.join();
        Patcher patches = parts0.patcher();
        Plugins.Patcher patcher = (t, live, media, body, manager, force, sub, now) -> patches.patch(live,
                new Patcher.Request(Patcher.PatchType.fromContentType(media), body, t.kind(), t.groupVersion(),
                        manager, force, sub.isEmpty() ? null : sub, now)).object();
        Plugins.TableRenderer tables = (t, objs, include, withColumns, rv, cont, now) ->
                Tables.toTable(t, objs, IncludeObject.parse(include), !withColumns, rv, cont, now);
        ResourceHandler resources = new ResourceHandler(registry, tables, patcher,
                (t, obj) -> unknownFields.find(t.kind(), obj), parts0.protobuf()::decode, clock,
                config.maxWatchers());
        AtomicInteger boundPort = new AtomicInteger(config.port());
        DiscoveryPaths discovery = new DiscoveryPaths(parts0.discovery(), parts0.openApi(),
                () -> config.host() + ":" + boundPort.get());
        ApiRouter router = new ApiRouter(resources, discovery);
        Vertx vertx = vertxReady.join();
        HttpTransport transport = new HttpTransport(vertx, router, config.limits());
        int port = transport.listen(config.host(), config.port(), new HttpServerOptions());
        boundPort.set(port);
        long tListen = System.nanoTime();
        log.info("API server listening on http://{}:{}", config.host(), port);
        log.debug("start-up: cache {} ms, registry and bootstrap {} ms, listener {} ms",
                (tCache - t0) / 1_000_000, (tBootstrap - tCache) / 1_000_000, (tListen - tBootstrap) / 1_000_000);
        // First pass right away, on its own thread: a few store writes the listener need not wait for.
        EndpointReconciler endpoints = new EndpointReconciler(registry, ApiEndpoint.advertised(config.host(), port),
                allocations.firstServiceIp(), clock, config.endpointTiming()).start();
        // The reconciler closes first: it takes this server out of the endpoints while the store is still open.
        List<AutoCloseable> parts = List.of(endpoints, transport, resources, repair, new NamespaceController(registry),
                new GarbageCollector(registry), new Compactor(store, config.compactionInterval()), cache);
        return new ApiServer(vertx, registry, parts, port, repair, endpoints);
    }

    /** The immutable pieces that take a while to build (schemas, documents), built off the start-up path. */
    private record StaticParts(Patcher patcher, ProtobufDecoder protobuf, Discovery discovery, OpenApi openApi) {
        static StaticParts build(ResourceTypes types) {
            return new StaticParts(Patcher.kube(), new ProtobufDecoder(), new Discovery(types, VersionInfo.DEFAULT),
                    new OpenApi(types, VersionInfo.DEFAULT));
        }
    }

    /** Marks every stored Service's addresses and ports as taken before any write is served. */
    private static void repairAllocations(Registry registry, ResourceType services, ServiceAllocations allocations) {
        for (String problem : allocations.rebuild(allServices(registry, services))) {
            log.warn("allocation repair: {}", problem);
        }
    }

    private static List<ObjectNode> allServices(Registry registry, ResourceType services) {
        return registry.list(services, WatchFilter.all("Service"), new Registry.ListOptions("", 0, null)).items();
    }

    /** Creates the system namespaces and the {@code kubernetes} Service when missing. */
    private static void bootstrap(Registry registry, ResourceTypes types, String firstServiceIp,
            boolean sharedStore, int apiPort) {
        ResourceType ns = types.find("", "v1", "namespaces").orElseThrow();
        for (String name : SYSTEM_NAMESPACES) {
            if (registry.find(ns, "", name).isEmpty()) {
                ObjectNode obj = Json.object();
                obj.put("apiVersion", "v1");
                obj.put("kind", "Namespace");
                obj.putObject("metadata").put("name", name);
                try {
                    registry.create(ns, "", obj, new WriteOptions(false, "ferry"));
                } catch (ApiException e) {
                    if (e.code() != 409) {
                        throw e;
                    }
                }
            }
        }
        ResourceType services = types.find("", "v1", "services").orElseThrow();
        if (registry.find(services, "default", "kubernetes").isEmpty()) {
            // Until the listener is bound the real port is unknown when it is 0: the EndpointReconciler's first pass
            // sets the target port to the port actually served.
            int targetPort = apiPort != 0 ? apiPort : 6443;
            try {
                registry.create(services, "default", KubernetesEndpoints.service(firstServiceIp, targetPort),
                        new WriteOptions(false, "ferry"));
            } catch (ApiException e) {
                if (e.code() == 422 && sharedStore) {
                    // another API server on this store holds the address: it is creating the Service right now
                    log.info("the kubernetes Service is being created by another API server: {}", e.getMessage());
                } else if (e.code() != 409) {
                    throw e;
                }
            }
        }
    }

    public int port() {
        return port;
    }

    public Registry registry() {
        return registry;
    }

    /** Keeps this server in the endpoints of the {@code default/kubernetes} Service. */
    public EndpointReconciler endpointReconciler() {
        return endpointReconciler;
    }

    /** The sweep of Service allocation claims (scheduled only with {@link Config#sharedStore()}). */
    public AllocationRepair allocationRepair() {
        return allocationRepair;
    }

    @Override
    public void close() {
        for (AutoCloseable p : parts) {
            try {
                p.close();
            } catch (Exception e) {
                log.debug("closing {}: {}", p.getClass().getSimpleName(), e.toString());
            }
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("closing vert.x: {}", e.toString());
        }
    }
}
