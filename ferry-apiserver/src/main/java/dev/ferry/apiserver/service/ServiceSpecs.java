package dev.ferry.apiserver.service;

import dev.ferry.api.net.IpAddresses;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Predicates over a Service {@code spec} (pkg/api/service/util.go and the registry's helpers). */
final class ServiceSpecs {
    static final String CLUSTER_IP = "ClusterIP";
    static final String NODE_PORT = "NodePort";
    static final String LOAD_BALANCER = "LoadBalancer";
    static final String EXTERNAL_NAME = "ExternalName";
    static final String NONE = "None";
    static final String IPV4 = "IPv4";
    static final String IPV6 = "IPv6";
    static final String SINGLE_STACK = "SingleStack";
    static final String PREFER_DUAL_STACK = "PreferDualStack";
    static final String REQUIRE_DUAL_STACK = "RequireDualStack";

    private ServiceSpecs() {
    }

    static String type(JsonNode spec) {
        return Nodes.text(spec, "type");
    }

    /** Exactly one cluster IP, "None". */
    static boolean isHeadless(JsonNode spec) {
        List<String> ips = Nodes.strings(spec, "clusterIPs");
        return ips.size() == 1 && NONE.equals(ips.get(0));
    }

    static boolean needsClusterIP(JsonNode spec) {
        return !EXTERNAL_NAME.equals(type(spec));
    }

    static boolean needsNodePort(JsonNode spec) {
        String t = type(spec);
        return NODE_PORT.equals(t) || LOAD_BALANCER.equals(t);
    }

    /** NodePort, LoadBalancer, or ClusterIP with external IPs. */
    static boolean externallyAccessible(JsonNode spec) {
        String t = type(spec);
        return LOAD_BALANCER.equals(t) || NODE_PORT.equals(t)
                || (CLUSTER_IP.equals(t) && Nodes.size(spec, "externalIPs") > 0);
    }

    /** LoadBalancer with externalTrafficPolicy Local: needs a healthCheckNodePort. */
    static boolean needsHealthCheck(JsonNode spec) {
        return LOAD_BALANCER.equals(type(spec)) && "Local".equals(Nodes.text(spec, "externalTrafficPolicy"));
    }

    /** Whether new node ports are allocated for ports lacking one. */
    static boolean shouldAllocateNodePorts(JsonNode spec) {
        String t = type(spec);
        if (NODE_PORT.equals(t)) {
            return true;
        }
        if (LOAD_BALANCER.equals(t)) {
            JsonNode v = Nodes.get(spec, "allocateLoadBalancerNodePorts");
            return v == null || !v.isBoolean() || v.asBoolean();
        }
        return false;
    }

    static List<Integer> nodePorts(JsonNode spec) {
        List<Integer> out = new ArrayList<>();
        for (ObjectNode p : Nodes.objects(spec, "ports")) {
            long np = Nodes.integer(p, "nodePort");
            if (np != 0) {
                out.add((int) np);
            }
        }
        return out;
    }

    static String familyOf(String ip) {
        if (IpAddresses.isIPv4(ip)) {
            return IPV4;
        }
        if (IpAddresses.isIPv6(ip)) {
            return IPV6;
        }
        return "unknown";
    }

    static String otherFamily(String family) {
        return IPV4.equals(family) ? IPV6 : IPV4;
    }
}
