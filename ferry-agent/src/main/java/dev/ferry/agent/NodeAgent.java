package dev.ferry.agent;

import dev.ferry.agent.dns.PodDnsConfigurer;
import dev.ferry.agent.dns.ResolvConfFiles;
import dev.ferry.agent.node.MachineInfo;
import dev.ferry.agent.node.NodeLifecycle;
import dev.ferry.agent.node.NodeObjects;
import dev.ferry.agent.pod.EventRecorder;
import dev.ferry.agent.pod.ContainerSetup;
import dev.ferry.agent.pod.PodManager;
import dev.ferry.agent.runtime.ContainerRuntime;
import dev.ferry.agent.server.ContainerLogs;
import dev.ferry.agent.server.KubeletServer;
import dev.ferry.client.SharedInformers;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent (the kubelet's job) for one node: serves the kubelet endpoint, registers and heartbeats the Node,
 * and once the node has a pod CIDR runs the pods bound to it through {@code runtime}.
 * <p>
 * {@link #start} returns once the endpoint listens and the Node is registered; pods start after spec.podCIDR is set
 * ({@link #podsRunning}). {@link #close} stops the agent but not the containers (nor the runtime, which the caller
 * owns): a new agent on the same state directory and runtime adopts them.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);
    private final AgentConfig config;
    private final KubeletServer server;
    private final NodeLifecycle node;
    private final EventRecorder events;
    private final AtomicReference<PodManager> pods;
    private final CompletableFuture<PodManager> podsRunning;
    private final SharedInformers informers;

    private NodeAgent(AgentConfig config, KubeletServer server, NodeLifecycle node, EventRecorder events,
            AtomicReference<PodManager> pods, CompletableFuture<PodManager> podsRunning, SharedInformers informers) {
        this.informers = informers;
        this.config = config;
        this.server = server;
        this.node = node;
        this.events = events;
        this.pods = pods;
        this.podsRunning = podsRunning;
    }

    public static NodeAgent start(KubernetesClient client, AgentConfig config, ContainerRuntime runtime, Clock clock)
            throws IOException {
        AtomicReference<PodManager> pods = new AtomicReference<>();
        ContainerLogs logs = (ns, pod, container, previous) -> {
            PodManager m = pods.get();
            if (m == null) {
                throw new ContainerLogs.NotFound("pods \"" + pod + "\" not found");
            }
            return m.find(ns, pod, container, previous);
        };
        KubeletServer server = KubeletServer.start(config.nodeIp(), config.kubeletPort(), logs, clock);
        NodeLifecycle node;
        EventRecorder events = new EventRecorder(client, config.nodeName(), clock);
        try {
            node = new NodeLifecycle(client, new NodeObjects.Identity(config.nodeName(), config.nodeIp(),
                    config.capacity(), MachineInfo.arch(), "linux", config.nodeLabels()), server.port(), config.heartbeatInterval(),
                    clock).start();
        } catch (RuntimeException e) {
            server.close();
            events.close();
            throw e;
        }
        CompletableFuture<PodManager> running = new CompletableFuture<>();
        SharedInformers informers = new SharedInformers(client);
        NodeAgent agent = new NodeAgent(config, server, node, events, pods, running, informers);
        node.podCidr().thenAcceptAsync(cidr -> {
            try {
                PodManager m = new PodManager(client, new PodManager.Settings(config.nodeName(), config.nodeIp(),
                        cidr, config.stateDir(), config.podWorkers()), runtime, containerSetup(informers, config),
                        new ResolvConfFiles(new PodDnsConfigurer(config.clusterDns(), config.clusterDomain()),
                                config.hostResolvConf()), clock, events);
                synchronized (agent) {
                    if (agent.closed) {
                        return;
                    }
                    pods.set(m);
                }
                m.start();
                log.info("node {} runs pods from {}", config.nodeName(), cidr);
                running.complete(m);
            } catch (RuntimeException e) {
                log.error("node {}: pods cannot run: {}", config.nodeName(), e.toString(), e);
                running.completeExceptionally(e);
            }
        }, r -> Thread.ofPlatform().daemon().name("agent-start-" + config.nodeName()).start(r));
        return agent;
    }

    private boolean closed;

    public String nodeName() {
        return config.nodeName();
    }

    /** The bound port of the kubelet endpoint (as in node.status.daemonEndpoints.kubeletEndpoint.Port). */
    public int kubeletPort() {
        return server.port();
    }

    /** Completes once the node has a pod CIDR and its pods are being run. */
    public CompletableFuture<PodManager> podsRunning() {
        return podsRunning;
    }

    /**
     * Closes the agent, then stops every container it runs: SIGTERM, and SIGKILL after {@code grace}. For a whole
     * cluster going down; a plain {@link #close} leaves them for the next agent to adopt.
     */
    public void closeAndStopContainers(Duration grace) throws InterruptedException {
        close();
        PodManager m = pods.get();
        if (m != null) {
            m.stopAllContainers(grace);
        }
    }

    @Override
    public void close() {
        PodManager m;
        synchronized (this) {
            closed = true;
            m = pods.get();
        }
        if (m != null) {
            m.close();
        }
        node.close();
        server.close();
        events.close();
        informers.close();
    }

    /** Service links come from a cache of every Service, indexed by namespace; synced before any pod starts. */
    private static ContainerSetup containerSetup(SharedInformers informers, AgentConfig config) {
        SharedIndexInformer<Service> services = informers.get(Service.class);
        Map<String, Quantity> allocatable = new LinkedHashMap<>();
        config.capacity().forEach((k, v) -> allocatable.put(k, new Quantity(v)));
        return new ContainerSetup(namespace -> {
            List<Service> visible = new ArrayList<>(services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace));
            if (!namespace.equals("default")) {
                Service kubernetes = services.getStore().getByKey("default/kubernetes");
                if (kubernetes != null) {
                    visible.add(kubernetes);
                }
            }
            return visible;
        }, allocatable);
    }
}
