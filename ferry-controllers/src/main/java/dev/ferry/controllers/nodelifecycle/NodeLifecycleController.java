package dev.ferry.controllers.nodelifecycle;

import dev.ferry.client.Backoff;
import dev.ferry.client.ControllerLoop;
import dev.ferry.client.SharedInformers;
import dev.ferry.client.WorkQueue;
import dev.ferry.controllers.scheduler.Events;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node lifecycle controller's health monitor (upstream monitorNodeHealth): a node whose agent neither renewed
 * its Lease in {@code kube-node-lease} nor changed its Ready heartbeat for {@code gracePeriod} gets its Ready,
 * MemoryPressure, DiskPressure and PIDPressure conditions set to Unknown ("Kubelet stopped posting node status."),
 * and when a node leaves Ready its pods' Ready condition is set to False. It never sets anything back: once the
 * agent renews its Lease the node is fresh again and the agent's own status write restores Ready. Writes carry the
 * cached resourceVersion, so a concurrent agent update wins and the node is looked at again.
 */
public final class NodeLifecycleController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeLifecycleController.class);
    private static final int MAX_RETRIES = 15;
    static final String LEASE_NAMESPACE = "kube-node-lease";
    static final String COMPONENT = "node-controller";

    /**
     * @param gracePeriod   silence after which a node is Unknown (upstream --node-monitor-grace-period, 40 s)
     * @param monitorPeriod how often every node is looked at (upstream --node-monitor-period, 5 s)
     */
    public record Options(Duration gracePeriod, Duration monitorPeriod) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(40), Duration.ofSeconds(5));
        }
    }

    private final KubernetesClient client;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<Lease> leases;
    private final SharedIndexInformer<Pod> pods;
    private final Options options;
    private final Clock clock;
    private final Map<String, NodeHealth> health = new ConcurrentHashMap<>();
    private final WorkQueue<String> queue = new WorkQueue<>("nodelifecycle", Backoff.CONTROLLER);
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "nodelifecycle-monitor");
        t.setDaemon(true);
        return t;
    });
    private final ResourceEventHandler<Node> nodeHandler = new NodeHandler();
    private final ResourceEventHandler<Lease> leaseHandler = new LeaseHandler();
    private ControllerLoop<String> loop;

    private NodeLifecycleController(SharedInformers informers, Options options, Clock clock) {
        this.client = informers.client();
        this.nodes = informers.get(Node.class);
        this.leases = informers.get(Lease.class);
        this.pods = informers.get(Pod.class);
        this.options = options;
        this.clock = clock;
    }

    /** Starts monitoring; close the result to stop. */
    public static NodeLifecycleController start(SharedInformers informers, Options options, Clock clock) {
        NodeLifecycleController c = new NodeLifecycleController(informers, options, clock);
        c.nodes.addEventHandler(c.nodeHandler);
        c.leases.addEventHandler(c.leaseHandler);
        c.loop = new ControllerLoop<>("nodelifecycle", c.queue, c::sync, MAX_RETRIES).start(1);
        long period = options.monitorPeriod().toNanos();
        c.ticker.scheduleWithFixedDelay(c::monitorAll, period, period, TimeUnit.NANOSECONDS);
        return c;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        nodes.removeEventHandler(nodeHandler);
        leases.removeEventHandler(leaseHandler);
        try {
            loop.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void monitorAll() {
        nodes.getStore().listKeys().forEach(queue::add);
    }

    void sync(String name) {
        Node node = nodes.getStore().getByKey(name);
        if (node == null) {
            health.remove(name);
            return;
        }
        Lease lease = leases.getStore().getByKey(LEASE_NAMESPACE + "/" + name);
        Instant now = clock.instant();
        HealthStep step = HealthStep.of(health.get(name), node, lease, now, options.gracePeriod());
        health.put(name, step.seen());
        if (step.nodeConditions().isPresent()) {
            Node copy = new NodeBuilder(node).editStatus().withConditions(step.nodeConditions().get()).endStatus()
                    .build();
            client.nodes().resource(copy).updateStatus();
            log.info("node {} stopped posting status: Ready is now Unknown", name);
            if (!"Unknown".equals(NodeConditions.readyStatus(node))) {
                record(node, "Normal", "NodeNotReady", "Node " + name + " status is now: NodeNotReady", now);
            }
        }
        if (step.markPods()) {
            markPodsNotReady(name, now);
        }
        health.put(name, step.after());
    }

    /** MarkPodsNotReady; throws (so the node is retried) when a write fails for a reason other than the pod's end. */
    private void markPodsNotReady(String nodeName, Instant now) {
        for (Pod p : pods.getStore().list()) {
            if (p.getSpec() == null || !nodeName.equals(p.getSpec().getNodeName())) {
                continue;
            }
            Optional<List<PodCondition>> conditions = NodeConditions.podNotReady(p, now);
            if (conditions.isEmpty()) {
                continue;
            }
            Pod copy = new PodBuilder(p).editStatus().withConditions(conditions.get()).endStatus().build();
            try {
                client.pods().resource(copy).updateStatus();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    continue;
                }
                throw e;
            }
            record(p, "Warning", "NodeNotReady", "Node is not ready", now);
        }
    }

    private void record(io.fabric8.kubernetes.api.model.HasMetadata obj, String type, String reason, String message,
            Instant now) {
        io.fabric8.kubernetes.api.model.Event e = Events.about(obj, type, reason, message, COMPONENT, now);
        try {
            client.v1().events().inNamespace(e.getMetadata().getNamespace()).resource(e).create();
        } catch (KubernetesClientException ex) {
            log.debug("event {} not recorded: {}", reason, ex.getMessage());
        }
    }

    private final class NodeHandler implements ResourceEventHandler<Node> {
        @Override
        public void onAdd(Node node) {
            queue.add(node.getMetadata().getName());
        }

        @Override
        public void onUpdate(Node old, Node node) {
            queue.add(node.getMetadata().getName());
        }

        @Override
        public void onDelete(Node node, boolean finalStateUnknown) {
            queue.add(node.getMetadata().getName());
        }
    }

    private final class LeaseHandler implements ResourceEventHandler<Lease> {
        @Override
        public void onAdd(Lease lease) {
            onChange(lease);
        }

        @Override
        public void onUpdate(Lease old, Lease lease) {
            onChange(lease);
        }

        @Override
        public void onDelete(Lease lease, boolean finalStateUnknown) {
        }

        private void onChange(Lease lease) {
            if (LEASE_NAMESPACE.equals(lease.getMetadata().getNamespace())) {
                queue.add(lease.getMetadata().getName());
            }
        }
    }
}
