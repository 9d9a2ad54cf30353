package dev.ferry.apiserver.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The registry's write-time rewrites of a Service spec, before validation: clusterIP/clusterIPs sync
 * ({@code normalizeClusterIPs}), carrying allocated values over on update ({@code patchAllocatedValues}), type-change
 * clean-up ({@code dropTypeDependentFields}) and IP-family defaulting ({@code initIPFamilyFields}, defaulting half).
 * All methods mutate {@code spec}/{@code service} in place and read {@code old*} only.
 */
final class ServiceNormalizer {
    private ServiceNormalizer() {
    }

    /** {@code old} is null on create. */
    static void normalizeClusterIPs(ObjectNode spec, JsonNode oldSpec) {
        String ip = Nodes.text(spec, "clusterIP");
        List<String> ips = Nodes.strings(spec, "clusterIPs");
        if (oldSpec == null) {
            if (!ip.isEmpty() && ips.isEmpty()) {
                Nodes.putStrings(spec, "clusterIPs", List.of(ip));
            }
            return;
        }
        String oldIp = Nodes.text(oldSpec, "clusterIP");
        List<String> oldIps = Nodes.strings(oldSpec, "clusterIPs");
        if (!oldIps.isEmpty() && ips.isEmpty() && oldIp.equals(ip)) {
            Nodes.putStrings(spec, "clusterIPs", oldIps);
            ips = oldIps;
        }
        if (!oldIp.equals(ip)) {
            if (!oldIp.isEmpty() && ip.isEmpty()) {
                if (oldIps.equals(ips)) {
                    spec.remove("clusterIPs");
                }
            } else if (oldIps.equals(ips)) {
                Nodes.putStrings(spec, "clusterIPs", List.of(ip));
            }
        }
    }

    /** Lets a client re-submit its original manifest: keeps allocated IPs and node ports it left out. */
    static void patchAllocatedValues(ObjectNode spec, JsonNode oldSpec) {
        if (ServiceSpecs.needsClusterIP(oldSpec) && ServiceSpecs.needsClusterIP(spec)) {
            if (Nodes.text(spec, "clusterIP").isEmpty() && !Nodes.text(oldSpec, "clusterIP").isEmpty()) {
                spec.put("clusterIP", Nodes.text(oldSpec, "clusterIP"));
            }
            if (Nodes.size(spec, "clusterIPs") == 0 && Nodes.size(oldSpec, "clusterIPs") > 0) {
                spec.set("clusterIPs", oldSpec.get("clusterIPs").deepCopy());
            }
        }
        if (ServiceSpecs.needsNodePort(oldSpec) && ServiceSpecs.needsNodePort(spec)) {
            Map<String, Long> byName = new HashMap<>();
            for (ObjectNode p : Nodes.objects(oldSpec, "ports")) {
                byName.put(Nodes.text(p, "name"), Nodes.integer(p, "nodePort"));
            }
            for (ObjectNode p : Nodes.objects(spec, "ports")) {
                long old = byName.getOrDefault(Nodes.text(p, "name"), 0L);
                if (Nodes.integer(p, "nodePort") == 0 && old != 0) {
                    p.put("nodePort", old);
                }
            }
        }
        if (ServiceSpecs.needsHealthCheck(oldSpec) && ServiceSpecs.needsHealthCheck(spec)) {
            long old = Nodes.integer(oldSpec, "healthCheckNodePort");
            if (Nodes.integer(spec, "healthCheckNodePort") == 0 && old != 0) {
                spec.put("healthCheckNodePort", old);
            }
        }
    }

    /**
     * Wipes fields the new type does not use, but only those the user left unchanged (a changed value is the user's
     * and must fail validation). Released IPs and ports are given back by the allocation hook after commit.
     */
    static void dropTypeDependentFields(ObjectNode service, ObjectNode spec, JsonNode oldSpec) {
        if (ServiceSpecs.needsClusterIP(oldSpec) && !ServiceSpecs.needsClusterIP(spec)) {
            if (Nodes.text(oldSpec, "clusterIP").equals(Nodes.text(spec, "clusterIP"))
                    && Nodes.strings(oldSpec, "clusterIPs").equals(Nodes.strings(spec, "clusterIPs"))) {
                spec.remove("clusterIP");
                spec.remove("clusterIPs");
            }
            if (Objects.equals(Nodes.get(oldSpec, "ipFamilies"), Nodes.get(spec, "ipFamilies"))) {
                spec.remove("ipFamilies");
            }
            if (Nodes.text(oldSpec, "ipFamilyPolicy").equals(Nodes.text(spec, "ipFamilyPolicy"))) {
                spec.remove("ipFamilyPolicy");
            }
        }
        if (ServiceSpecs.needsNodePort(oldSpec) && !ServiceSpecs.needsNodePort(spec)
                && Set.copyOf(ServiceSpecs.nodePorts(oldSpec)).containsAll(ServiceSpecs.nodePorts(spec))) {
            for (ObjectNode p : Nodes.objects(spec, "ports")) {
                p.remove("nodePort");
            }
        }
        if (ServiceSpecs.needsHealthCheck(oldSpec) && !ServiceSpecs.needsHealthCheck(spec)
                && Nodes.integer(oldSpec, "healthCheckNodePort") == Nodes.integer(spec, "healthCheckNodePort")) {
            spec.remove("healthCheckNodePort");
        }
        boolean oldLb = ServiceSpecs.LOAD_BALANCER.equals(ServiceSpecs.type(oldSpec));
        boolean newLb = ServiceSpecs.LOAD_BALANCER.equals(ServiceSpecs.type(spec));
        if (oldLb && !newLb) {
            JsonNode oldAlloc = Nodes.get(oldSpec, "allocateLoadBalancerNodePorts");
            JsonNode newAlloc = Nodes.get(spec, "allocateLoadBalancerNodePorts");
            if (oldAlloc != null && newAlloc != null && oldAlloc.equals(newAlloc)) {
                spec.remove("allocateLoadBalancerNodePorts");
            }
            if (Objects.equals(Nodes.get(oldSpec, "loadBalancerClass"), Nodes.get(spec, "loadBalancerClass"))) {
                spec.remove("loadBalancerClass");
            }
        }
        if (ServiceSpecs.externallyAccessible(oldSpec) && !ServiceSpecs.externallyAccessible(spec)
                && Nodes.text(oldSpec, "externalTrafficPolicy").equals(Nodes.text(spec, "externalTrafficPolicy"))) {
            spec.remove("externalTrafficPolicy");
        }
        if (!newLb) {
            ObjectNode status = Nodes.object(service, "status");
            if (status == null) {
                status = service.putObject("status");
            }
            status.putObject("loadBalancer");
        }
    }

    /**
     * IP-family defaulting (the defaulting half of upstream's {@code initIPFamilyFields}; the checks are in
     * {@link ServiceValidation#ipFamilyChecks}). {@code oldSpec} is null on create.
     *
     * @param configured the families the cluster has service ranges for, primary first
     */
    static void initIpFamilies(ObjectNode spec, JsonNode oldSpec, List<String> configured) {
        if (!ServiceSpecs.needsClusterIP(spec) || matchingPreferDualStack(spec, oldSpec)) {
            return;
        }
        if (!Nodes.isSet(spec, "ipFamilyPolicy")) {
            if (oldSpec != null && Nodes.isSet(oldSpec, "ipFamilyPolicy")) {
                spec.set("ipFamilyPolicy", oldSpec.get("ipFamilyPolicy").deepCopy());
            } else if (ServiceSpecs.NONE.equals(Nodes.text(spec, "clusterIP")) && selectorless(spec)) {
                spec.put("ipFamilyPolicy", ServiceSpecs.REQUIRE_DUAL_STACK);
            } else {
                spec.put("ipFamilyPolicy", ServiceSpecs.SINGLE_STACK);
            }
        }
        String policy = Nodes.text(spec, "ipFamilyPolicy");
        List<String> ips = Nodes.strings(spec, "clusterIPs");
        List<String> families = new ArrayList<>(Nodes.strings(spec, "ipFamilies"));
        if (oldSpec != null && ServiceSpecs.SINGLE_STACK.equals(policy)) {
            if (ips.equals(Nodes.strings(oldSpec, "clusterIPs")) && ips.size() > 1) {
                ips = List.of(ips.get(0));
                Nodes.putStrings(spec, "clusterIPs", ips);
            }
            if (families.equals(Nodes.strings(oldSpec, "ipFamilies")) && families.size() > 1) {
                families = new ArrayList<>(families.subList(0, 1));
                Nodes.putStrings(spec, "ipFamilies", families);
            }
        }
        if (!ServiceSpecs.SINGLE_STACK.equals(policy) && !ServiceSpecs.PREFER_DUAL_STACK.equals(policy)
                && !ServiceSpecs.REQUIRE_DUAL_STACK.equals(policy)) {
            return; // unsupported policy: validation reports it
        }
        for (int i = 0; i < ips.size(); i++) {
            String ip = ips.get(i);
            if (ServiceSpecs.NONE.equals(ip)) {
                break;
            }
            String family = ServiceSpecs.familyOf(ip);
            if ("unknown".equals(family)) {
                return; // invalid IP: validation reports it, nothing is inferred
            }
            if (i >= families.size()) {
                if (!configured.contains(family)) {
                    return; // "<family> is not configured on this cluster"
                }
                families.add(family);
            }
        }
        if (ServiceSpecs.NONE.equals(Nodes.text(spec, "clusterIP")) && selectorless(spec)) {
            if (families.isEmpty()) {
                families.add(configured.get(0));
            }
            if (families.size() < 2 && !ServiceSpecs.SINGLE_STACK.equals(policy)) {
                families.add(ServiceSpecs.otherFamily(families.get(0)));
            }
        } else {
            if (families.isEmpty()) {
                families.add(configured.get(0));
            }
            if (!ServiceSpecs.SINGLE_STACK.equals(policy) && families.size() == 1 && configured.size() == 2) {
                families.add(ServiceSpecs.otherFamily(families.get(0)));
            }
        }
        if (new HashSet<>(families).size() == families.size()) {
            Nodes.putStrings(spec, "ipFamilies", families);
        }
    }

    static boolean selectorless(JsonNode spec) {
        JsonNode selector = Nodes.get(spec, "selector");
        return selector == null || selector.isEmpty();
    }

    /** An update leaving a PreferDualStack service's type, IPs and families alone: no family processing at all. */
    static boolean matchingPreferDualStack(JsonNode spec, JsonNode oldSpec) {
        if (oldSpec == null || !Nodes.isSet(spec, "ipFamilyPolicy")) {
            return false;
        }
        if (!ServiceSpecs.type(oldSpec).equals(ServiceSpecs.type(spec))) {
            return false;
        }
        String type = ServiceSpecs.type(spec);
        if (!ServiceSpecs.CLUSTER_IP.equals(type) && !ServiceSpecs.NODE_PORT.equals(type)
                && !ServiceSpecs.LOAD_BALANCER.equals(type)) {
            return false;
        }
        if (!ServiceSpecs.PREFER_DUAL_STACK.equals(Nodes.text(spec, "ipFamilyPolicy"))) {
            return false;
        }
        if (Nodes.isSet(oldSpec, "ipFamilyPolicy")
                && !ServiceSpecs.PREFER_DUAL_STACK.equals(Nodes.text(oldSpec, "ipFamilyPolicy"))) {
            return false;
        }
        return Nodes.strings(oldSpec, "clusterIPs").equals(Nodes.strings(spec, "clusterIPs"))
                && Nodes.strings(oldSpec, "ipFamilies").equals(Nodes.strings(spec, "ipFamilies"));
    }
}
