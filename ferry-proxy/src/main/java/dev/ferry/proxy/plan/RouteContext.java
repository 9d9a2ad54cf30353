package dev.ferry.proxy.plan;

import dev.ferry.proxy.model.NodeDirectory;
import java.net.InetAddress;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * What route building needs to know about the proxy's node and machine.
 *
 * @param nodeIps addresses NodePorts are served on; the first is the masquerade source
 * @param isLocal whether an address belongs to this machine (externalIPs and LB addresses are served only then)
 * @param nanoClock monotonic nanoseconds, for session affinity
 * @param maxCandidates endpoints offered per new connection: the choice plus retries when connecting fails
 */
public record RouteContext(
        NodeDirectory nodes,
        List<InetAddress> nodeIps,
        Predicate<InetAddress> isLocal,
        LongSupplier nanoClock,
        int maxCandidates) {

    public RouteContext {
        nodeIps = List.copyOf(nodeIps);
    }

    public RouteContext withNodes(NodeDirectory directory) {
        return new RouteContext(directory, nodeIps, isLocal, nanoClock, maxCandidates);
    }
}
