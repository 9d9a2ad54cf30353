package dev.ferry.apiserver.service;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** core/v1 {@code SetDefaults_Service}, applied to every Service written (create and update), in upstream order. */
final class ServiceDefaults {
    static final int DEFAULT_CLIENT_IP_TIMEOUT_SECONDS = 10800;

    private ServiceDefaults() {
    }

    static void apply(ObjectNode service) {
        ObjectNode spec = service.has("spec") && service.get("spec").isObject()
                ? (ObjectNode) service.get("spec") : service.putObject("spec");
        if (Nodes.text(spec, "sessionAffinity").isEmpty()) {
            spec.put("sessionAffinity", "None");
        }
        String affinity = Nodes.text(spec, "sessionAffinity");
        if ("None".equals(affinity)) {
            spec.remove("sessionAffinityConfig");
        }
        if ("ClientIP".equals(affinity)) {
            JsonNode timeout = Nodes.get(Nodes.object(Nodes.object(spec, "sessionAffinityConfig"), "clientIP"),
                    "timeoutSeconds");
            if (timeout == null) {
                spec.putObject("sessionAffinityConfig").putObject("clientIP")
                        .put("timeoutSeconds", DEFAULT_CLIENT_IP_TIMEOUT_SECONDS);
            }
        }
        if (ServiceSpecs.type(spec).isEmpty()) {
            spec.put("type", ServiceSpecs.CLUSTER_IP);
        }
        for (ObjectNode port : Nodes.objects(spec, "ports")) {
            if (Nodes.text(port, "protocol").isEmpty()) {
                port.put("protocol", "TCP");
            }
            JsonNode target = Nodes.get(port, "targetPort");
            boolean zero = target == null
                    || (target.isString() && target.asString().isEmpty())
                    || (target.isIntegralNumber() && target.canConvertToLong() && target.asLong() == 0);
            if (zero) {
                port.put("targetPort", Nodes.integer(port, "port"));
            }
        }
        if (ServiceSpecs.externallyAccessible(spec) && Nodes.text(spec, "externalTrafficPolicy").isEmpty()) {
            spec.put("externalTrafficPolicy", "Cluster");
        }
        String type = ServiceSpecs.type(spec);
        boolean ipBearing = ServiceSpecs.CLUSTER_IP.equals(type) || ServiceSpecs.NODE_PORT.equals(type)
                || ServiceSpecs.LOAD_BALANCER.equals(type);
        if (!Nodes.isSet(spec, "internalTrafficPolicy") && ipBearing) {
            spec.put("internalTrafficPolicy", "Cluster");
        }
        if (ServiceSpecs.LOAD_BALANCER.equals(type)) {
            if (!Nodes.isSet(spec, "allocateLoadBalancerNodePorts")) {
                spec.put("allocateLoadBalancerNodePorts", true);
            }
            applyStatus(service);
        }
    }

    /** Status defaults: a load-balancer ingress with an IP gets {@code ipMode: VIP}. */
    static void applyStatus(ObjectNode service) {
        ObjectNode lb = Nodes.object(Nodes.object(service, "status"), "loadBalancer");
        for (ObjectNode ingress : Nodes.objects(lb, "ingress")) {
            if (!Nodes.text(ingress, "ip").isEmpty() && !Nodes.isSet(ingress, "ipMode")) {
                ingress.put("ipMode", "VIP");
            }
        }
    }
}
