package dev.ferry.apiserver;

import dev.ferry.api.Json;
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
import dev.ferry.apiserver.lifecycle.Compactor;
import dev.ferry.apiserver.lifecycle.GarbageCollector;
import dev.ferry.apiserver.lifecycle.NamespaceController;
import dev.ferry.apiserver.resource.ResourceType;
import dev.ferry.apiserver.resource.ResourceTypes;
import dev.ferry.apiserver.resource.WriteHook;
import dev.ferry.apiserver.storage.FieldManager;
import dev.ferry.apiserver.storage.Registry;
import dev.ferry.apiserver.storage.WatchCache;
import dev.ferry.apiserver.storage.WriteOptions;
import dev.ferry.store.KeyValueStore;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
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

    /** Listener address and limits. Port 0 picks a free port. */
    public record Config(String host, int port, int maxWatchers, int historyPerType,
            HttpTransport.Limits limits, java.time.Duration compactionInterval) {
        public static Config defaults(String host, int port) {
            return new Config(host, port, 10_000, 10_000, HttpTransport.Limits.DEFAULT,
                    java.time.Duration.ofMinutes(5));
        }
    }

    private final Vertx vertx;
    private final Registry registry;
    private final List<AutoCloseable> parts;
    private final int port;

    private ApiServer(Vertx vertx, Registry registry, List<AutoCloseable> parts, int port) {
        this.vertx = vertx;
        this.registry = registry;
        this.parts = parts;
        this.port = port;
    }

    /** Starts serving {@code store}; blocks until the listener is bound and the cache loaded. */
    public static ApiServer start(Config config, KeyValueStore store, Clock clock) throws Exception {
        ResourceTypes types = ResourceTypes.standard(Map.of());
        Map<ResourceType, WriteHook> hooks = Map.of();
        WatchCache cache = new WatchCache(store, types, config.historyPerType());
        cache.start();
        Registry registry = new Registry(store, cache, types, hooks, (t, obj, old) -> List.of(), FieldManager.NONE,
                clock);
        bootstrap(registry, types);
        Plugins.Patcher patcher = (t, media, cur, body) -> {
            throw ApiException.unsupportedMediaType(media, "none yet");
        };
        Plugins.TableRenderer tables = (t, objs, include, withColumns, rv, cont, now) ->
                Tables.toTable(t, objs, IncludeObject.parse(include), !withColumns, rv, cont, now);
        ResourceHandler resources = new ResourceHandler(registry, tables, patcher, null, null, clock,
                config.maxWatchers());
        DiscoveryPaths discovery = new DiscoveryPaths(new Discovery(types, VersionInfo.DEFAULT),
                new OpenApi(types, VersionInfo.DEFAULT), config.host() + ":" + config.port());
        ApiRouter router = new ApiRouter(resources, discovery);
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        HttpTransport transport = new HttpTransport(vertx, router, config.limits());
        int port = transport.listen(config.host(), config.port(), new HttpServerOptions());
        log.info("API server listening on http://{}:{}", config.host(), port);
        List<AutoCloseable> parts = List.of(transport, new NamespaceController(registry),
                new GarbageCollector(registry), new Compactor(store, config.compactionInterval()), cache);
        return new ApiServer(vertx, registry, parts, port);
    }

    /** Creates the system namespaces when missing. */
    private static void bootstrap(Registry registry, ResourceTypes types) {
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
    }

    public int port() {
        return port;
    }

    public Registry registry() {
        return registry;
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
