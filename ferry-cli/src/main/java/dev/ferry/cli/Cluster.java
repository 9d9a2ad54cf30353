package dev.ferry.cli;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.NodeAgent;
import dev.ferry.agent.node.MachineInfo;
import dev.ferry.agent.runtime.ContainerRuntime;
import dev.ferry.agent.runtime.ImageCatalog;
import dev.ferry.agent.runtime.ProcessRuntime;
import dev.ferry.agent.runtime.SimulatedRuntime;
import dev.ferry.apiserver.ApiServer;
import dev.ferry.client.Clients;
import dev.ferry.client.SharedInformers;
import dev.ferry.controllers.ControllerManager;
import dev.ferry.dns.ClusterDns;
import dev.ferry.dns.DnsConfig;
import dev.ferry.proxy.ProxyConfig;
import dev.ferry.proxy.ServiceProxy;
import dev.ferry.proxy.dataplane.DataPlaneConfig;
import dev.ferry.proxy.dataplane.NettyDataPlane;
import dev.ferry.store.KeyValueStore;
import dev.ferry.store.MemoryStore;
import dev.ferry.store.SqliteStore;
import dev.ferry.store.etcd.EtcdStore;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the parts of a cluster in this process and stops them, in reverse order, on SIGTERM/SIGINT. */
final class Cluster {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);
    /** How long pods get to exit after SIGTERM when the node stops with them. */
    private static final Duration POD_STOP_GRACE = Duration.ofSeconds(10);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<AutoCloseable> parts = Collections.synchronizedList(new ArrayList<>());
    private String apiUrl;

    private Cluster() {
    }

    /** Blocks until the process is asked to stop and every part has stopped. */
    void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    String apiUrl() {
        return apiUrl;
    }

    /** Stops every part, in reverse start order; idempotent. */
    void stop() {
        synchronized (parts) {
            List<AutoCloseable> reversed = new ArrayList<>(parts);
            parts.clear();
            Collections.reverse(reversed);
            for (AutoCloseable p : reversed) {
                try {
                    p.close();
                } catch (Exception e) {
                    log.warn("stopping {}: {}", p.getClass().getSimpleName(), e.toString());
                }
            }
        }
        stopped.countDown();
    }

    /**
     * Starts the API server, the cluster DNS (unless {@code dns} is null or off) and, when given, the controllers and
     * a node agent (with its service proxy) in this process; prints {@code readyLine} once all of them serve (the
     * agent: its node runs pods; the proxy: the current Services are served; the DNS: it answers from synced caches,
     * or could not bind and is off).
     */
    static Cluster start(ServerOptions o, ControllerOptions controllers, AgentOptions agent, ProxyOptions proxy,
            DnsOptions dns, String domain, String readyLine) throws Exception {
        long t0 = System.nanoTime();
        var controllerConfig = controllers == null ? null : controllers.config();
        var network = o.network(controllers == null ? new ControllerOptions().podCidr : controllers.podCidr);
        Files.createDirectories(o.dataDir);
        Cluster cluster = new Cluster();
        List<AutoCloseable> parts = cluster.parts;
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "ferry-shutdown"));
        if (controllerConfig != null || agent != null) {
            // the components' JSON readers are built while the API server starts, not on their first requests
            Thread.ofPlatform().daemon().name("client-preload").start(Clients::preload);
        }
        KeyValueStore store = Stores.open(o);
        parts.add(store);
        ApiServer.Config config = ApiServer.Config.defaults(o.apiHost, o.apiPort).withNetwork(network)
                .withSharedStore(o.store == ServerOptions.StoreKind.etcd);
        ApiServer api = ApiServer.start(config, store, Clock.systemUTC());
        parts.add(api);
        String server = "http://" + hostForUrl(o.apiHost) + ":" + api.port();
        cluster.apiUrl = server;
        // controllers and agent start side by side: the agent's wait for a pod CIDR ends when node IPAM runs
        CompletableFuture<ControllerManager> manager = controllerConfig == null
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.supplyAsync(() -> ControllerManager.start(
                        Clients.connect(server, "controller-manager"), controllerConfig, Clock.systemUTC()),
                        r -> Thread.ofPlatform().daemon().name("controllers-start").start(r));
        manager.thenAccept(m -> {
            if (m != null) {
                parts.add(m);
            }
        });
        CompletableFuture<String> dnsState = dns == null || !dns.enabled
                ? CompletableFuture.completedFuture("off")
                : cluster.startDns(server, dns.config(domain, o.serviceCidr));
        if (agent != null) {
            // this node's pods use this cluster's DNS unless --cluster-dns says otherwise; none when it is off or
            // not on port 53 (resolv.conf has no port)
            InetSocketAddress at = dns == null || !dns.enabled ? null : dns.listen(o.serviceCidr);
            agent.clusterDnsDefault = at == null || at.getPort() != 53 ? "" : at.getAddress().getHostAddress();
        }
        String dnsLine;
        try {
            if (agent != null) {
                cluster.startAgent(server, o.dataDir, agent, proxy, manager);
            }
            manager.get(60, TimeUnit.SECONDS);
            dnsLine = dnsState.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        Path kubeconfig = writeKubeconfig(o.dataDir, server);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (dns != null) {
            System.out.println("Cluster DNS (" + domain + "): " + dnsLine);
        }
        System.out.println(readyLine + " (" + ms + " ms): API " + server + ", kubeconfig " + kubeconfig);
        System.out.println("  export KUBECONFIG=" + kubeconfig);
        System.out.flush();
        return cluster;
    }

    /** Starts a node agent alone, against the API server at {@code server}. */
    static Cluster startAgent(String server, Path dataDir, AgentOptions agent, ProxyOptions proxy, String readyLine)
            throws Exception {
        long t0 = System.nanoTime();
        Files.createDirectories(dataDir);
        Cluster cluster = new Cluster();
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "ferry-shutdown"));
        cluster.apiUrl = server;
        cluster.startAgent(server, dataDir, agent, proxy, CompletableFuture.completedFuture(null));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println(readyLine + " (" + ms + " ms): node " + agent.nodeName() + ", API " + server);
        System.out.flush();
        return cluster;
    }

    /**
     * Starts a node agent and its proxy; returns once the node runs pods (it has a pod CIDR) and the proxy serves.
     * A failure of {@code controlPlane} (controllers starting in this process) ends the wait for a pod CIDR with that
     * failure: node IPAM would never assign one.
     */
    private void startAgent(String server, Path dataDir, AgentOptions a, ProxyOptions p,
            CompletableFuture<?> controlPlane) throws Exception {
        String node = a.nodeName();
        // the proxy needs no pod CIDR: it starts while the agent waits for one
        CompletableFuture<Void> proxy = p.enabled ? startProxy(server, node, a, p)
                : CompletableFuture.completedFuture(null);
        Path stateDir = dataDir.resolve("agents").resolve(node);
        Files.createDirectories(stateDir);
        ContainerRuntime runtime = switch (a.runtime) {
            case process -> new ProcessRuntime(stateDir.resolve("containers"), a.imageMap == null
                    ? ImageCatalog.builtIns() : ImageCatalog.withImageMap(a.imageMap), Clock.systemUTC());
            case simulated -> new SimulatedRuntime(Clock.systemUTC());
        };
        parts.add(runtime);
        KubernetesClient client = Clients.connect(server, "agent");
        parts.add(client);
        var capacity = new LinkedHashMap<>(MachineInfo.capacity());
        capacity.put("pods", Integer.toString(a.maxPods));
        AgentConfig config = AgentConfig.defaults(node, stateDir).withNodeIp(a.nodeIp)
                .withKubeletPort(a.kubeletPort).withCapacity(capacity).withHeartbeatInterval(a.heartbeatInterval())
                .withClusterDns(a.clusterDns(), a.clusterDomain).withNodeLabels(a.nodeLabels);
        NodeAgent agent = NodeAgent.start(client, config, runtime, Clock.systemUTC());
        parts.add(a.leavePodsRunning ? agent : () -> agent.closeAndStopContainers(POD_STOP_GRACE));
        try {
            CompletableFuture<?> failed = controlPlane.thenCompose(started -> new CompletableFuture<>());
            CompletableFuture.anyOf(agent.podsRunning(), failed).get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("node " + node + " got no pod CIDR within 60 s: is a controller "
                    + "manager (ferry up or ferry server) running against " + server + "?");
        }
        try {
            proxy.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Starts node {@code node}'s service proxy in the background; done once it serves the current Services. */
    private CompletableFuture<Void> startProxy(String server, String node, AgentOptions a, ProxyOptions p) {
        ProxyConfig config = p.config(node, a.nodeIp);
        DataPlaneConfig dataPlaneConfig = p.dataPlane();
        return CompletableFuture.runAsync(() -> {
            KubernetesClient client = Clients.connect(server, "proxy");
            parts.add(client);
            SharedInformers informers = new SharedInformers(client);
            parts.add(informers);
            informers.prefetch(Service.class, EndpointSlice.class, Node.class);
            parts.add(ServiceProxy.start(informers, config, new NettyDataPlane(dataPlaneConfig), Clock.systemUTC()));
        }, r -> Thread.ofPlatform().daemon().name("proxy-start").start(r));
    }

    /**
     * Starts the cluster DNS in the background; done with a description for the ready line: where it serves, or
     * "off" and why. An address it cannot bind turns DNS off with a warning; the rest of the cluster still starts.
     */
    private CompletableFuture<String> startDns(String server, DnsConfig config) {
        return CompletableFuture.supplyAsync(() -> {
            KubernetesClient client = Clients.connect(server, "dns");
            parts.add(client);
            SharedInformers informers = new SharedInformers(client);
            parts.add(informers);
            try {
                ClusterDns dns = ClusterDns.start(informers, config, Clock.systemUTC());
                parts.add(dns);
                InetSocketAddress at = dns.udpAddresses().getFirst();
                return at.getAddress().getHostAddress() + ":" + at.getPort();
            } catch (IOException e) {
                log.warn("cluster DNS is off: {}", e.getMessage());
                return "off (" + e.getMessage() + ")";
            }
        }, r -> Thread.ofPlatform().daemon().name("dns-start").start(r));
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    static Path writeKubeconfig(Path dataDir, String server) throws IOException {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: ferry
                  cluster:
                    server: %s
                contexts:
                - name: ferry
                  context:
                    cluster: ferry
                    namespace: default
                    user: ferry
                current-context: ferry
                users:
                - name: ferry
                  user: {}
                """.formatted(server);
        Path file = dataDir.resolve("kubeconfig");
        Path tmp = dataDir.resolve("kubeconfig.tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** Opens the configured store. */
    static final class Stores {
        private Stores() {
        }

        static KeyValueStore open(ServerOptions o) {
            return switch (o.store) {
                case memory -> new MemoryStore();
                case sqlite -> SqliteStore.open(o.dataDir.resolve("state.db"));
                case etcd -> new EtcdStore(URI.create(o.etcdEndpoint),
                        o.etcdPrefix.endsWith("/") ? o.etcdPrefix : o.etcdPrefix + "/");
            };
        }
    }
}
