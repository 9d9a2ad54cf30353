package dev.ferry.proxy.route;

import dev.ferry.api.net.Cidr;
import dev.ferry.proxy.model.Categories;
import dev.ferry.proxy.model.Categorizer;
import dev.ferry.proxy.model.EndpointInfo;
import dev.ferry.proxy.model.NodeDirectory;
import dev.ferry.proxy.model.NodeDirectory.NodeRef;
import dev.ferry.proxy.model.ServicePortInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The route of one frontend of a service port, with kube-proxy's semantics:
 * <ul>
 *   <li>endpoints per {@link Categorizer}, evaluated for the client's node (see {@link NodeDirectory}); internal
 *       traffic honours internalTrafficPolicy, external traffic externalTrafficPolicy, where a client inside the
 *       cluster (a pod or a node address) short-circuits to the cluster set, as kube-proxy does;</li>
 *   <li>round-robin over the usable endpoints per service port; the next endpoints in the ring are the retry
 *       candidates; with ClientIP affinity a pinned, still usable endpoint comes first;</li>
 *   <li>the pod sees the client's address for internal traffic and for externalTrafficPolicy Local (from outside,
 *       and from pods short-circuited to the cluster set); other external traffic is masqueraded to the node
 *       address; {@code loadBalancerSourceRanges} admit load-balancer traffic.</li>
 * </ul>
 */
public final class ServiceRoute implements Route {
    /** Which kind of frontend the route serves. */
    public enum Kind {
        CLUSTER_IP,
        NODE_PORT,
        EXTERNAL_IP,
        LOAD_BALANCER
    }

    /**
     * The source the kernel gives a connection to any 127/8 address ({@code local 127.0.0.0/8 dev lo src 127.0.0.1}):
     * keeping it needs no bind before connecting, which saves system calls per connection.
     */
    private static final InetAddress KERNEL_SOURCE = InetAddress.getLoopbackAddress();

    private final ServicePortInfo svc;
    private final Kind kind;
    private final List<EndpointInfo> endpoints;
    private final NodeDirectory nodes;
    private final InetAddress masqueradeSource;
    private final ServicePortState state;
    private final LongSupplier nanoClock;
    private final int maxCandidates;
    private final boolean nodeAware;
    private final Set<Backend> usable;
    private final Selection fixed;
    private final ConcurrentHashMap<String, Selection> byNode = new ConcurrentHashMap<>();

    /**
     * @param masqueradeSource the node address external cluster-policy traffic comes from (null: kernel's choice)
     * @param maxCandidates how many endpoints a pick offers (the first plus retries)
     */
    public ServiceRoute(ServicePortInfo svc, Kind kind, List<EndpointInfo> endpoints, NodeDirectory nodes,
            InetAddress masqueradeSource, ServicePortState state, LongSupplier nanoClock, int maxCandidates) {
        this.svc = svc;
        this.kind = kind;
        this.endpoints = List.copyOf(endpoints);
        this.nodes = nodes;
        this.masqueradeSource = masqueradeSource;
        this.state = state;
        this.nanoClock = nanoClock;
        this.maxCandidates = Math.max(1, maxCandidates);
        this.nodeAware = svc.usesLocalEndpoints()
                || endpoints.stream().anyMatch(e -> !e.nodeHints().isEmpty() || !e.zoneHints().isEmpty());
        this.usable = endpoints.stream().filter(e -> e.ready() || e.servingTerminating())
                .map(ServiceRoute::backend).collect(Collectors.toUnmodifiableSet());
        this.fixed = nodeAware ? null : selection(nodes.self(), false);
    }

    static Backend backend(EndpointInfo e) {
        return new Backend(new InetSocketAddress(e.ip(), e.port()), e.nodeName());
    }

    /** Whether any client at all could be sent somewhere; a frontend without is not served, so clients are refused. */
    public boolean hasEndpoints() {
        return !usable.isEmpty();
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public ServicePortName servicePort() {
        return svc.name();
    }

    @Override
    public Pick pick(InetSocketAddress client) {
        InetAddress ip = client.getAddress();
        if (kind == Kind.LOAD_BALANCER && !svc.sourceRanges().isEmpty() && !admitted(ip)) {
            return Pick.REFUSE;
        }
        Selection sel;
        boolean preserve;
        if (!nodeAware) {
            sel = fixed;
            preserve = kind == Kind.CLUSTER_IP;
        } else {
            NodeRef clientNode = nodes.nodeOf(ip);
            if (kind == Kind.CLUSTER_IP) {
                sel = selection(clientNode != null ? clientNode : nodes.self(), svc.internalLocal());
                preserve = true;
            } else if (svc.externalLocal() && clientNode == null) {
                sel = selection(nodes.self(), true);
                preserve = true;
            } else {
                sel = selection(clientNode != null ? clientNode : nodes.self(), !svc.usesClusterEndpoints());
                // kube-proxy short-circuits pod traffic of a Local policy to the cluster endpoints unmasqueraded;
                // node-originated traffic and Cluster policy traffic are masqueraded
                preserve = svc.externalLocal() && clientNode != null && nodes.isPodAddress(ip);
            }
        }
        if (sel.ring.isEmpty()) {
            return Pick.REFUSE;
        }
        InetAddress source = preserve && ip.isLoopbackAddress() ? ip : masqueradeSource;
        if (KERNEL_SOURCE.equals(source)) {
            source = null;
        }
        if (svc.affinityTimeout() != null) {
            Backend pinned = state.affinity(ip, nanoClock.getAsLong());
            if (pinned != null) {
                int at = sel.ring.indexOf(pinned);
                if (at >= 0) {
                    return sel.pick(at, source);
                }
            }
        }
        return sel.pick(state.nextPosition() % sel.ring.size(), source);
    }

    private boolean admitted(InetAddress ip) {
        byte[] b = ip.getAddress();
        for (Cidr c : svc.sourceRanges()) {
            if (c.contains(b)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void connected(InetSocketAddress client, Backend backend) {
        if (svc.affinityTimeout() != null) {
            state.pin(client.getAddress(), backend, nanoClock.getAsLong() + svc.affinityTimeout().toNanos());
        }
    }

    @Override
    public boolean serves(Backend backend) {
        return usable.contains(backend);
    }

    /** The endpoints a node's traffic goes to: its local set or its cluster set. */
    private Selection selection(NodeRef node, boolean local) {
        if (!nodeAware && fixed != null) {
            return fixed;
        }
        return byNode.computeIfAbsent((local ? "L/" : "C/") + node.name(), k -> {
            Categories c = Categorizer.categorize(svc, endpoints, node.name(), node.zone());
            List<EndpointInfo> chosen = local ? c.local() : c.cluster();
            return new Selection(chosen.stream().map(ServiceRoute::backend).toList(), maxCandidates);
        });
    }

    /**
     * A ring of backends and, lazily, the pick that starts at each position for a connection the kernel gives its
     * source (the common case: no allocation per connection); picks that bind a client's address are made per call.
     */
    private static final class Selection {
        final List<Backend> ring;
        private final Pick[] unbound;
        private final int width;

        Selection(List<Backend> ring, int maxCandidates) {
            this.ring = ring;
            this.width = Math.min(maxCandidates, ring.size());
            this.unbound = new Pick[ring.size()];
        }

        Pick pick(int start, InetAddress source) {
            Pick p = unbound[start];
            if (p == null) {
                List<Backend> list = new ArrayList<>(width);
                for (int i = 0; i < width; i++) {
                    list.add(ring.get((start + i) % ring.size()));
                }
                p = new Pick(list, null);
                unbound[start] = p;
            }
            return source == null ? p : new Pick(p.candidates(), source);
        }
    }
}
