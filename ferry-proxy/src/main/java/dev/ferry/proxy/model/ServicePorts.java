package dev.ferry.proxy.model;

import dev.ferry.api.net.Cidr;
import dev.ferry.api.net.IpAddresses;
import dev.ferry.proxy.route.Protocol;
import dev.ferry.proxy.route.ServicePortName;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a Service into the service ports the proxy serves, skipping what kube-proxy skips. */
public final class ServicePorts {
    /** Services with this label belong to another proxy (KEP-2447). */
    public static final String SERVICE_PROXY_NAME = "service.kubernetes.io/service-proxy-name";
    static final long DEFAULT_AFFINITY_SECONDS = 10800;

    private ServicePorts() {
    }

    /**
     * The IPv4 TCP and UDP ports of {@code service}; none for ExternalName, headless (clusterIP None or empty) and
     * Services labelled {@value #SERVICE_PROXY_NAME}.
     */
    public static List<ServicePortInfo> of(Service service) {
        ServiceSpec spec = service.getSpec();
        Map<String, String> labels = service.getMetadata().getLabels();
        if (spec == null || "ExternalName".equals(spec.getType())
                || (labels != null && labels.containsKey(SERVICE_PROXY_NAME))) {
            return List.of();
        }
        List<InetAddress> clusterIps = addresses(spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty()
                ? spec.getClusterIPs() : spec.getClusterIP() == null ? List.of() : List.of(spec.getClusterIP()));
        if (clusterIps.isEmpty()) {
            return List.of();
        }
        List<InetAddress> externalIps = addresses(spec.getExternalIPs());
        List<InetAddress> lbIps = new ArrayList<>();
        if ("LoadBalancer".equals(spec.getType()) && service.getStatus() != null
                && service.getStatus().getLoadBalancer() != null
                && service.getStatus().getLoadBalancer().getIngress() != null) {
            for (LoadBalancerIngress in : service.getStatus().getLoadBalancer().getIngress()) {
                if (!"Proxy".equals(in.getIpMode())) {
                    lbIps.addAll(addresses(in.getIp() == null ? List.of() : List.of(in.getIp())));
                }
            }
        }
        List<Cidr> ranges = new ArrayList<>();
        if ("LoadBalancer".equals(spec.getType()) && spec.getLoadBalancerSourceRanges() != null) {
            for (String r : spec.getLoadBalancerSourceRanges()) {
                Cidr c = Cidr.tryParse(r.strip());
                if (c != null && !c.isIPv6()) {
                    ranges.add(c);
                }
            }
        }
        Duration affinity = null;
        if ("ClientIP".equals(spec.getSessionAffinity())) {
            long seconds = DEFAULT_AFFINITY_SECONDS;
            if (spec.getSessionAffinityConfig() != null && spec.getSessionAffinityConfig().getClientIP() != null
                    && spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds() != null) {
                seconds = spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds();
            }
            affinity = Duration.ofSeconds(seconds);
        }
        boolean internalLocal = "Local".equals(spec.getInternalTrafficPolicy());
        boolean externalLocal = "Local".equals(spec.getExternalTrafficPolicy());
        int hcPort = spec.getHealthCheckNodePort() == null ? 0 : spec.getHealthCheckNodePort();
        List<ServicePortInfo> out = new ArrayList<>();
        for (ServicePort p : spec.getPorts() == null ? List.<ServicePort>of() : spec.getPorts()) {
            Protocol protocol = protocol(p.getProtocol());
            if (protocol == null || p.getPort() == null) {
                continue;
            }
            String portName = p.getName() == null ? "" : p.getName();
            ServicePortName name = new ServicePortName(service.getMetadata().getNamespace(),
                    service.getMetadata().getName(), portName, protocol);
            int nodePort = p.getNodePort() == null ? 0 : p.getNodePort();
            out.add(new ServicePortInfo(name, clusterIps, p.getPort(), nodePort, externalIps, lbIps, ranges, affinity,
                    internalLocal, externalLocal, hcPort));
        }
        return out;
    }

    static Protocol protocol(String text) {
        if (text == null || text.equals("TCP")) {
            return Protocol.TCP;
        }
        return text.equals("UDP") ? Protocol.UDP : null;
    }

    /** The IPv4 addresses among {@code texts}; anything else (IPv6, "None", garbage) is left out. */
    static List<InetAddress> addresses(List<String> texts) {
        List<InetAddress> out = new ArrayList<>();
        if (texts == null) {
            return out;
        }
        for (String t : texts) {
            byte[] b = IpAddresses.parse(t);
            if (b != null && b.length == 4) {
                try {
                    out.add(InetAddress.getByAddress(b));
                } catch (UnknownHostException impossible) {
                    throw new AssertionError(impossible);
                }
            }
        }
        return out;
    }
}
