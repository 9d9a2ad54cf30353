package dev.ferry.agent.node;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The node's presence in the API: registers the Node (create, or update an existing one's labels and status), waits
 * for the node IPAM controller to set spec.podCIDR, and heartbeats every interval: renews the Lease
 * kube-node-lease/&lt;node&gt; and writes the conditions' lastHeartbeatTime. A heartbeat that finds the Node gone
 * registers it again. Failures are logged and retried at the next beat (a missing Lease resource only at debug
 * level after the first warning). One scheduler thread.
 */
public final class NodeLifecycle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeLifecycle.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private final KubernetesClient client;
    private final NodeObjects.Identity identity;
    private final int kubeletPort;
    private final Duration interval;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private static final Duration POD_CIDR_POLL_MAX = Duration.ofMillis(200);
    private final CompletableFuture<String> podCidr = new CompletableFuture<>();
    private volatile String nodeUid;
    private volatile String lastLeaseError;
    private volatile boolean closed;

    public NodeLifecycle(KubernetesClient client, NodeObjects.Identity identity, int kubeletPort, Duration interval,
            Clock clock) {
        this.client = client;
        this.identity = identity;
        this.kubeletPort = kubeletPort;
        this.interval = interval;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "node-" + identity.name());
            t.setDaemon(true);
            return t;
        });
    }

    /** Registers the node (throws when the API refuses) and starts the heartbeat and the podCIDR wait. */
    public NodeLifecycle start() {
        register();
        scheduler.scheduleWithFixedDelay(this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.execute(this::renewLease);
        scheduler.execute(() -> awaitPodCidr(Duration.ofMillis(20)));
        return this;
    }

    /** Completes with spec.podCIDR once the node has one. */
    public CompletableFuture<String> podCidr() {
        return podCidr;
    }

    /** Creates the Node, or brings an existing one's labels and status up to date. */
    void register() {
        Node node = NodeObjects.node(identity, kubeletPort, clock.instant());
        try {
            Node created = client.nodes().resource(node).create();
            nodeUid = created.getMetadata().getUid();
            log.info("registered node {}", identity.name());
            return;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        ObjectNode labels = JSON.createObjectNode();
        NodeObjects.labels(identity).forEach(labels::put);
        ObjectNode patch = JSON.createObjectNode();
        patch.putObject("metadata").set("labels", labels);
        Node existing = client.nodes().withName(identity.name()).patch(PatchContext.of(PatchType.JSON_MERGE),
                patch.toString());
        nodeUid = existing.getMetadata().getUid();
        var status = NodeObjects.status(identity, kubeletPort, existing.getStatus(), clock.instant());
        client.nodes().withName(identity.name()).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\":" + client.getKubernetesSerialization().asJson(status) + "}");
        log.info("updated existing node {}", identity.name());
    }

    private void awaitPodCidr(Duration delay) {
        try {
            Node n = client.nodes().withName(identity.name()).get();
            String cidr = n == null || n.getSpec() == null ? null : n.getSpec().getPodCIDR();
            if (cidr != null && !cidr.isEmpty()) {
                podCidr.complete(cidr);
                return;
            }
        } catch (KubernetesClientException e) {
            log.debug("waiting for podCIDR of {}: {}", identity.name(), e.toString());
        }
        // a GET on the API server is cheap; the pod CIDR usually comes within a second of registration
        Duration next = delay.multipliedBy(2).compareTo(POD_CIDR_POLL_MAX) > 0 ? POD_CIDR_POLL_MAX
                : delay.multipliedBy(2);
        try {
            scheduler.schedule(() -> awaitPodCidr(next), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            podCidr.cancel(false);
        }
    }

    private void beat() {
        renewLease();
        try {
            Node n = client.nodes().withName(identity.name()).get();
            if (n == null) {
                log.warn("node {} is gone from the API; registering it again", identity.name());
                register();
                return;
            }
            var conditions = NodeObjects.heartbeat(identity, n.getStatus(), clock.instant());
            ObjectNode patch = JSON.createObjectNode();
            patch.putObject("status").set("conditions",
                    JSON.readTree(client.getKubernetesSerialization().asJson(conditions)));
            client.nodes().withName(identity.name()).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
        } catch (RuntimeException e) {
            if (!closed) {
                log.warn("node status heartbeat of {} failed: {}", identity.name(), e.toString());
            }
        }
    }

    /** Creates or renews the Lease; failures (e.g. an API server without coordination.k8s.io) are logged only. */
    void renewLease() {
        try {
            var leases = client.resources(Lease.class).inNamespace(NodeObjects.LEASE_NAMESPACE);
            Lease current = leases.withName(identity.name()).get();
            if (current == null) {
                ensureLeaseNamespace();
                leases.resource(NodeObjects.lease(identity.name(), nodeUid, clock.instant())).create();
            } else {
                current.getSpec().setHolderIdentity(identity.name());
                current.getSpec().setLeaseDurationSeconds(NodeObjects.LEASE_DURATION_SECONDS);
                current.getSpec().setRenewTime(clock.instant().truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC));
                leases.resource(current).update();
            }
            lastLeaseError = null;
        } catch (RuntimeException e) {
            if (closed) {
                return;
            }
            String msg = e instanceof KubernetesClientException k && k.getStatus() != null
                    ? k.getCode() + " " + k.getStatus().getMessage() : e.toString();
            if (!msg.equals(lastLeaseError)) {
                log.warn("node lease renewal of {} failed (retrying every {}): {}", identity.name(), interval, msg);
            } else {
                log.debug("node lease renewal of {} failed: {}", identity.name(), msg);
            }
            lastLeaseError = msg;
        }
    }

    private void ensureLeaseNamespace() {
        if (client.namespaces().withName(NodeObjects.LEASE_NAMESPACE).get() == null) {
            Namespace ns = new NamespaceBuilder().withNewMetadata().withName(NodeObjects.LEASE_NAMESPACE)
                    .endMetadata().build();
            try {
                client.namespaces().resource(ns).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
    }

    /** Labels of the node as registered (for tests and the CLI). */
    public Map<String, String> labels() {
        return NodeObjects.labels(identity);
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        podCidr.cancel(false);
    }
}
