package dev.ferry.controllers.nodeipam;

import dev.ferry.client.Backoff;
import dev.ferry.client.ControllerLoop;
import dev.ferry.client.SharedInformers;
import dev.ferry.client.WorkQueue;
import dev.ferry.controllers.scheduler.Events;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node IPAM (upstream's range allocator): gives every node without {@code spec.podCIDR} the lowest free subnet of
 * the cluster pod CIDR ({@code spec.podCIDR} and {@code spec.podCIDRs}), and frees a node's subnet when the node is
 * deleted. The taken subnets are rebuilt from the node cache at start, before any allocation, so a restart neither
 * loses nor duplicates assignments.
 */
public final class NodeIpamController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeIpamController.class);
    private static final int MAX_RETRIES = 15;

    /**
     * @param clusterCidr    the pod CIDR of the cluster (IPv4)
     * @param nodeMaskSize   prefix length of each node's subnet
     */
    public record Options(String clusterCidr, int nodeMaskSize) {
        public static Options defaults() {
            return new Options("127.244.0.0/16", 24);
        }
    }

    private final KubernetesClient client;
    private final SharedIndexInformer<Node> nodes;
    private final Clock clock;
    private final Options options;
    /** Guarded by this. */
    private final CidrSet cidrs;
    /** Node name → subnet patched onto it that the cache may not show yet. Guarded by this. */
    private final Map<String, String> pending = new HashMap<>();
    private final WorkQueue<String> queue = new WorkQueue<>("nodeipam", Backoff.CONTROLLER);
    private final ResourceEventHandler<Node> handler = new Handler();
    private ControllerLoop<String> loop;

    private NodeIpamController(SharedInformers informers, Options options, Clock clock) {
        this.client = informers.client();
        this.nodes = informers.get(Node.class);
        this.clock = clock;
        this.options = options;
        this.cidrs = new CidrSet(options.clusterCidr(), options.nodeMaskSize());
    }

    /** Rebuilds the taken subnets from the node cache, then starts assigning; close the result to stop. */
    public static NodeIpamController start(SharedInformers informers, Options options, Clock clock) {
        NodeIpamController c = new NodeIpamController(informers, options, clock);
        synchronized (c) {
            for (Node n : c.nodes.getStore().list()) {
                c.occupy(n);
            }
        }
        c.nodes.addEventHandler(c.handler);
        c.loop = new ControllerLoop<>("nodeipam", c.queue, c::sync, MAX_RETRIES).start(1);
        return c;
    }

    @Override
    public void close() {
        nodes.removeEventHandler(handler);
        try {
            loop.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void sync(String name) {
        Node node = nodes.getStore().getByKey(name);
        String cidr;
        synchronized (this) {
            if (node == null || !podCidrs(node).isEmpty() || pending.containsKey(name)) {
                if (node != null) {
                    occupy(node);
                }
                return;
            }
            cidr = cidrs.allocate().orElse(null);
            if (cidr != null) {
                pending.put(name, cidr);
            }
        }
        if (cidr == null) {
            record(node, "CIDRNotAvailable", "Node " + name + " status is now: CIDRNotAvailable");
            throw new IllegalStateException("no free pod CIDR left in " + options.clusterCidr() + " for node " + name);
        }
        String patch = "{\"spec\":{\"podCIDR\":\"" + cidr + "\",\"podCIDRs\":[\"" + cidr + "\"]}}";
        try {
            client.nodes().withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            log.debug("node {} gets pod CIDR {}", name, cidr);
        } catch (KubernetesClientException e) {
            synchronized (this) {
                pending.remove(name);
                cidrs.release(cidr);
            }
            if (e.getCode() == 404) {
                return;
            }
            record(node, "CIDRAssignmentFailed", "Node " + name + " status is now: CIDRAssignmentFailed");
            throw e;
        }
    }

    /** Takes the node's subnets (idempotent); a subnet outside the cluster CIDR is reported and left alone. */
    private void occupy(Node node) {
        for (String c : podCidrs(node)) {
            if (!cidrs.occupy(c)) {
                log.warn("node {} has pod CIDR {} outside the cluster CIDR; ignored", node.getMetadata().getName(), c);
            }
        }
        pending.remove(node.getMetadata().getName());
    }

    /** spec.podCIDRs, or spec.podCIDR when only that is set. */
    static List<String> podCidrs(Node node) {
        List<String> out = new ArrayList<>();
        if (node.getSpec() == null) {
            return out;
        }
        if (node.getSpec().getPodCIDRs() != null) {
            out.addAll(node.getSpec().getPodCIDRs());
        }
        String single = node.getSpec().getPodCIDR();
        if (out.isEmpty() && single != null && !single.isEmpty()) {
            out.add(single);
        }
        return out;
    }

    private void record(Node node, String reason, String message) {
        try {
            client.v1().events().inNamespace("default").resource(Events.about(node, "Normal", reason, message,
                    "cidrAllocator", clock.instant())).create();
        } catch (KubernetesClientException e) {
            log.debug("event {} not recorded: {}", reason, e.getMessage());
        }
    }

    private final class Handler implements ResourceEventHandler<Node> {
        @Override
        public void onAdd(Node node) {
            onChange(node);
        }

        @Override
        public void onUpdate(Node old, Node node) {
            onChange(node);
        }

        @Override
        public void onDelete(Node node, boolean finalStateUnknown) {
            String name = node.getMetadata().getName();
            synchronized (NodeIpamController.this) {
                podCidrs(node).forEach(cidrs::release);
                String p = pending.remove(name);
                if (p != null) {
                    cidrs.release(p);
                }
            }
        }

        private void onChange(Node node) {
            if (podCidrs(node).isEmpty()) {
                queue.add(node.getMetadata().getName());
            } else {
                synchronized (NodeIpamController.this) {
                    occupy(node);
                }
            }
        }
    }
}
