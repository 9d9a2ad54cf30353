package dev.ferry.proxy;

import dev.ferry.client.EventRecorder;
import dev.ferry.client.SharedInformers;
import dev.ferry.proxy.dataplane.DataPlane;
import dev.ferry.proxy.model.NodeDirectory;
import dev.ferry.proxy.observe.HealthCheckNodePorts;
import dev.ferry.proxy.observe.ProxyHttpServer;
import dev.ferry.proxy.observe.ProxyMetrics;
import dev.ferry.proxy.plan.RouteContext;
import dev.ferry.proxy.sync.BoundedFrequencyRunner;
import dev.ferry.proxy.sync.Proxier;
import dev.ferry.proxy.sync.SyncMetrics;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's service proxy: watches Services, EndpointSlices and Nodes through the shared informers and keeps the
 * data plane serving every ClusterIP, NodePort, external and load-balancer address of the cluster's Services.
 * {@link #start} returns once the first sync has been programmed.
 */
public final class ServiceProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceProxy.class);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final int BURST = 2;

    private final DataPlane dataPlane;
    private final EventRecorder recorder;
    private final Proxier proxier;
    private final BoundedFrequencyRunner runner;
    private final HealthCheckNodePorts healthChecks;
    private final ExecutorService http;
    private final List<ProxyHttpServer> servers = new ArrayList<>();

    private ServiceProxy(SharedInformers informers, ProxyConfig config, DataPlane dataPlane, Clock clock,
            SyncMetrics observer) {
        this.dataPlane = dataPlane;
        this.recorder = new EventRecorder(informers.client(), "ferry-proxy", clock);
        this.http = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "proxy-http");
            t.setDaemon(true);
            return t;
        });
        SharedIndexInformer<Service> services = informers.get(Service.class);
        RouteContext ctx = new RouteContext(NodeDirectory.of(config.nodeName(), List.of()), config.nodeIps(),
                ServiceProxy::isLocal, System::nanoTime, config.maxCandidates());
        ProxierHolder holder = new ProxierHolder();
        this.healthChecks = new HealthCheckNodePorts(config.nodeIps(), holder::healthy, http);
        this.runner = new BoundedFrequencyRunner("proxy-sync", holder::sync, config.minSyncPeriod(),
                config.syncPeriod(), BURST, RETRY);
        ProxyMetrics metrics = new ProxyMetrics(dataPlane::traffic, holder::frontends);
        this.proxier = new Proxier(dataPlane, ctx, config.nodeName(), (ns, name, reason, message) -> {
            Service s = services.getStore().getByKey(ns + "/" + name);
            if (s != null) {
                log.warn("Service {}/{}: {}", ns, name, message);
                recorder.record(s, "v1", "Service", EventRecorder.WARNING, reason, message);
            }
        }, healthChecks, observer == SyncMetrics.NONE ? metrics : new TeeMetrics(metrics, observer), clock,
                runner::run);
        holder.proxier = proxier;
        SharedIndexInformer<Node> nodes = informers.get(Node.class);
        SharedIndexInformer<EndpointSlice> slices = informers.get(EndpointSlice.class);
        nodes.addEventHandler(new NodeHandler(() -> proxier.onNodes(nodes.getStore().list())));
        services.addEventHandler(handler(proxier::onService));
        slices.addEventHandler(handler(proxier::onSlice));
        // the handlers replay the caches asynchronously: read them now so the first sync serves everything
        proxier.onNodes(nodes.getStore().list());
        services.getStore().list().forEach(svc -> proxier.onService(svc, false));
        slices.getStore().list().forEach(slice -> proxier.onSlice(slice, false));
        proxier.sync();
        runner.start();
        try {
            for (InetSocketAddress bind : new InetSocketAddress[] {config.healthzBind(), config.metricsBind()}) {
                if (bind != null) {
                    ProxyHttpServer s = new ProxyHttpServer(bind, metrics, proxier::healthy, clock, http);
                    servers.add(s);
                    log.info("proxy health and metrics on http://{}:{}", s.address().getHostString(),
                            s.address().getPort());
                }
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot serve the proxy's health and metrics endpoints: " + e, e);
        }
    }

    /** Starts the proxy on synced informers; returns once the current Services are served. */
    public static ServiceProxy start(SharedInformers informers, ProxyConfig config, DataPlane dataPlane,
            Clock clock) {
        return new ServiceProxy(informers, config, dataPlane, clock, SyncMetrics.NONE);
    }

    /** As {@link #start(SharedInformers, ProxyConfig, DataPlane, Clock)}, telling {@code observer} every measurement too. */
    public static ServiceProxy start(SharedInformers informers, ProxyConfig config, DataPlane dataPlane,
            Clock clock, SyncMetrics observer) {
        return new ServiceProxy(informers, config, dataPlane, clock, observer);
    }

    /** Sends every measurement to two places. */
    private record TeeMetrics(SyncMetrics a, SyncMetrics b) implements SyncMetrics {
        @Override
        public void syncDuration(Duration d) {
            a.syncDuration(d);
            b.syncDuration(d);
        }

        @Override
        public void programmingLatency(Duration d) {
            a.programmingLatency(d);
            b.programmingLatency(d);
        }

        @Override
        public void syncFailed() {
            a.syncFailed();
            b.syncFailed();
        }

        @Override
        public void changeLatency(Duration d) {
            a.changeLatency(d);
            b.changeLatency(d);
        }
    }

    /** Frontends (address, port, protocol) served after the last sync. */
    public int frontends() {
        return proxier.frontends();
    }

    /** The addresses of the health and metrics servers, in the order configured. */
    public List<InetSocketAddress> httpAddresses() {
        return servers.stream().map(ProxyHttpServer::address).toList();
    }

    static boolean isLocal(InetAddress ip) {
        if (ip.isLoopbackAddress() || ip.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(ip) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    private static <T> ResourceEventHandler<T> handler(BiConsumer<T, Boolean> change) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                change.accept(obj, false);
            }

            @Override
            public void onUpdate(T old, T obj) {
                change.accept(obj, false);
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                change.accept(obj, true);
            }
        };
    }

    /** Node changes matter only when what the node directory reads changes: not on every heartbeat. */
    private record NodeHandler(Runnable changed) implements ResourceEventHandler<Node> {
        @Override
        public void onAdd(Node obj) {
            changed.run();
        }

        @Override
        public void onUpdate(Node old, Node obj) {
            if (!Objects.equals(identity(old), identity(obj))) {
                changed.run();
            }
        }

        @Override
        public void onDelete(Node obj, boolean finalStateUnknown) {
            changed.run();
        }

        private static List<Object> identity(Node n) {
            return java.util.Arrays.asList(n.getMetadata().getLabels() == null ? null
                    : n.getMetadata().getLabels().get(NodeDirectory.ZONE_LABEL),
                    n.getSpec() == null ? null : n.getSpec().getPodCIDRs(),
                    n.getSpec() == null ? null : n.getSpec().getPodCIDR(),
                    n.getStatus() == null ? null : n.getStatus().getAddresses());
        }
    }

    /** Lets the runner and health checks refer to the proxier before it exists. */
    private static final class ProxierHolder {
        volatile Proxier proxier;

        void sync() {
            proxier.sync();
        }

        boolean healthy() {
            Proxier p = proxier;
            return p != null && p.healthy();
        }

        int frontends() {
            Proxier p = proxier;
            return p == null ? 0 : p.frontends();
        }
    }

    @Override
    public void close() {
        runner.close();
        servers.forEach(ProxyHttpServer::close);
        healthChecks.close();
        dataPlane.close();
        recorder.close();
        http.shutdownNow();
    }
}
