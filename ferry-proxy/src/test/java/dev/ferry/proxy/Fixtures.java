package dev.ferry.proxy;

import dev.ferry.api.net.Cidr;
import dev.ferry.proxy.model.EndpointInfo;
import dev.ferry.proxy.model.ServicePortInfo;
import dev.ferry.proxy.route.Protocol;
import dev.ferry.proxy.route.ServicePortName;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Small builders shared by the proxy's unit tests. Test addresses live in 127.0.0.0/8. */
public final class Fixtures {
    private Fixtures() {
    }

    public static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    public static InetSocketAddress addr(String ip, int port) {
        return new InetSocketAddress(ip(ip), port);
    }

    /** An endpoint {@code "ip:port"}, ready, on no node, without hints; refine with the with* methods. */
    public static Ep ep(String ipPort) {
        int colon = ipPort.lastIndexOf(':');
        return new Ep(ip(ipPort.substring(0, colon)), Integer.parseInt(ipPort.substring(colon + 1)), "", "", true,
                true, false, Set.of(), Set.of());
    }

    /** Endpoint builder: every method returns a copy. */
    public record Ep(InetAddress ip, int port, String node, String zone, boolean ready, boolean serving,
            boolean terminating, Set<String> nodeHints, Set<String> zoneHints) {

        public Ep node(String n) {
            return new Ep(ip, port, n, zone, ready, serving, terminating, nodeHints, zoneHints);
        }

        public Ep zone(String z) {
            return new Ep(ip, port, node, z, ready, serving, terminating, nodeHints, zoneHints);
        }

        public Ep zoneHints(String... zones) {
            return new Ep(ip, port, node, zone, ready, serving, terminating, nodeHints, Set.of(zones));
        }

        public Ep nodeHints(String... nodes) {
            return new Ep(ip, port, node, zone, ready, serving, terminating, Set.of(nodes), zoneHints);
        }

        /** ready=false, serving=false, terminating=false. */
        public Ep notReady() {
            return new Ep(ip, port, node, zone, false, false, false, nodeHints, zoneHints);
        }

        /** ready=false, serving=true, terminating=true (KEP-1669 fallback). */
        public Ep servingTerminating() {
            return new Ep(ip, port, node, zone, false, true, true, nodeHints, zoneHints);
        }

        /** ready=false, serving=false, terminating=true. */
        public Ep terminatingNotServing() {
            return new Ep(ip, port, node, zone, false, false, true, nodeHints, zoneHints);
        }

        public EndpointInfo info() {
            return new EndpointInfo(ip, port, node, zone, ready, serving, terminating, nodeHints, zoneHints);
        }
    }

    public static List<EndpointInfo> infos(Ep... eps) {
        List<EndpointInfo> out = new ArrayList<>();
        for (Ep e : eps) {
            out.add(e.info());
        }
        return out;
    }

    /** A service port builder with kube-proxy's defaults: ClusterIP only, Cluster policies, no affinity. */
    public record Svc(ServicePortName name, List<InetAddress> clusterIps, int port, int nodePort,
            List<InetAddress> externalIps, List<InetAddress> lbIps, List<Cidr> ranges, Duration affinity,
            boolean itp, boolean etp, int hcPort) {

        public static Svc of(String namespace, String name, String clusterIp, int port) {
            return new Svc(new ServicePortName(namespace, name, "", Protocol.TCP), List.of(ip(clusterIp)), port, 0,
                    List.of(), List.of(), List.of(), null, false, false, 0);
        }

        public Svc portName(String p, Protocol protocol) {
            return new Svc(new ServicePortName(name.namespace(), name.name(), p, protocol), clusterIps, port,
                    nodePort, externalIps, lbIps, ranges, affinity, itp, etp, hcPort);
        }

        public Svc clusterIps(String... ips) {
            return new Svc(name, List.of(ips).stream().map(Fixtures::ip).toList(), port, nodePort, externalIps,
                    lbIps, ranges, affinity, itp, etp, hcPort);
        }

        public Svc nodePort(int np) {
            return new Svc(name, clusterIps, port, np, externalIps, lbIps, ranges, affinity, itp, etp,
                    hcPort);
        }

        public Svc externalIps(String... ips) {
            return new Svc(name, clusterIps, port, nodePort, List.of(ips).stream().map(Fixtures::ip).toList(), lbIps,
                    ranges, affinity, itp, etp, hcPort);
        }

        public Svc lbIps(String... ips) {
            return new Svc(name, clusterIps, port, nodePort, externalIps,
                    List.of(ips).stream().map(Fixtures::ip).toList(), ranges, affinity, itp, etp, hcPort);
        }

        public Svc sourceRanges(String... cidrs) {
            return new Svc(name, clusterIps, port, nodePort, externalIps, lbIps,
                    List.of(cidrs).stream().map(Cidr::parse).toList(), affinity, itp, etp, hcPort);
        }

        public Svc affinity(Duration timeout) {
            return new Svc(name, clusterIps, port, nodePort, externalIps, lbIps, ranges, timeout, itp, etp,
                    hcPort);
        }

        public Svc itpLocal() {
            return new Svc(name, clusterIps, port, nodePort, externalIps, lbIps, ranges, affinity, true, etp,
                    hcPort);
        }

        public Svc etpLocal() {
            return new Svc(name, clusterIps, port, nodePort, externalIps, lbIps, ranges, affinity, itp, true,
                    hcPort);
        }

        public Svc healthCheckNodePort(int p) {
            return new Svc(name, clusterIps, port, nodePort, externalIps, lbIps, ranges, affinity, itp, etp,
                    p);
        }

        public ServicePortInfo info() {
            return new ServicePortInfo(name, clusterIps, port, nodePort, externalIps, lbIps, ranges, affinity,
                    itp, etp, hcPort);
        }
    }

    /** A Node with a zone label ("" for none), pod CIDR and addresses. */
    public static Node node(String name, String zone, String podCidr, String... addresses) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
        if (!zone.isEmpty()) {
            b.editMetadata().addToLabels("topology.kubernetes.io/zone", zone).endMetadata();
        }
        b.withNewSpec().withPodCIDR(podCidr).withPodCIDRs(podCidr).endSpec();
        var status = b.withNewStatus();
        for (String a : addresses) {
            status.addNewAddress().withType("InternalIP").withAddress(a).endAddress();
        }
        status.endStatus();
        return b.build();
    }
}
