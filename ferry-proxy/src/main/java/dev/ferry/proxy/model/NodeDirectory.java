package dev.ferry.proxy.model;

import dev.ferry.api.net.Cidr;
import dev.ferry.api.net.IpAddresses;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which node a client address belongs to, from the Nodes' pod CIDRs and addresses. In loopback mode every node of a
 * machine shares one network stack, so a proxy cannot tell nodes apart by interface; it tells them apart by the
 * client's source address instead and applies Local traffic policies and topology for the client's node. Immutable.
 */
public final class NodeDirectory {
    /** A node as the proxy needs it: its name and zone label ("" when unset). */
    public record NodeRef(String name, String zone) {}

    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    private final NodeRef self;
    private final List<Map.Entry<Cidr, NodeRef>> podCidrs;
    private final Map<String, NodeRef> byAddress;

    private NodeDirectory(NodeRef self, List<Map.Entry<Cidr, NodeRef>> podCidrs, Map<String, NodeRef> byAddress) {
        this.self = self;
        this.podCidrs = podCidrs;
        this.byAddress = byAddress;
    }

    /** A directory of {@code nodes} seen from the node named {@code selfName}. */
    public static NodeDirectory of(String selfName, Collection<Node> nodes) {
        NodeRef self = new NodeRef(selfName, "");
        List<Map.Entry<Cidr, NodeRef>> cidrs = new ArrayList<>();
        Map<String, NodeRef> byAddress = new HashMap<>();
        for (Node n : nodes) {
            Map<String, String> labels = n.getMetadata().getLabels();
            NodeRef ref = new NodeRef(n.getMetadata().getName(),
                    labels == null ? "" : labels.getOrDefault(ZONE_LABEL, ""));
            if (ref.name().equals(selfName)) {
                self = ref;
            }
            if (n.getSpec() != null) {
                List<String> podCidrs = n.getSpec().getPodCIDRs() != null && !n.getSpec().getPodCIDRs().isEmpty()
                        ? n.getSpec().getPodCIDRs()
                        : n.getSpec().getPodCIDR() == null ? List.of() : List.of(n.getSpec().getPodCIDR());
                for (String c : podCidrs) {
                    Cidr cidr = Cidr.tryParse(c);
                    if (cidr != null) {
                        cidrs.add(Map.entry(cidr, ref));
                    }
                }
            }
            if (n.getStatus() != null && n.getStatus().getAddresses() != null) {
                for (NodeAddress a : n.getStatus().getAddresses()) {
                    byte[] b = IpAddresses.parse(a.getAddress());
                    if (b != null) {
                        // several loopback nodes may share an address: the proxy's own node wins
                        String text = IpAddresses.format(b);
                        if (!byAddress.containsKey(text) || ref.name().equals(selfName)) {
                            byAddress.put(text, ref);
                        }
                    }
                }
            }
        }
        return new NodeDirectory(self, List.copyOf(cidrs), Map.copyOf(byAddress));
    }

    /** This proxy's node. */
    public NodeRef self() {
        return self;
    }

    /** Whether {@code client} is in a node's pod CIDR (a pod), as opposed to a node address or outside. */
    public boolean isPodAddress(InetAddress client) {
        byte[] b = client.getAddress();
        for (Map.Entry<Cidr, NodeRef> e : podCidrs) {
            if (e.getKey().contains(b)) {
                return true;
            }
        }
        return false;
    }

    /** The node {@code client} is a pod or an address of, or null when it is outside the cluster. */
    public NodeRef nodeOf(InetAddress client) {
        byte[] b = client.getAddress();
        for (Map.Entry<Cidr, NodeRef> e : podCidrs) {
            if (e.getKey().contains(b)) {
                return e.getValue();
            }
        }
        return byAddress.get(IpAddresses.format(b));
    }
}
