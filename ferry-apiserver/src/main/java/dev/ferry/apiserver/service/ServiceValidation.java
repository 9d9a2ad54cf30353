package dev.ferry.apiserver.service;

import dev.ferry.api.Json;
import dev.ferry.api.validation.FieldError;
import dev.ferry.api.validation.ValueValidation;
import dev.ferry.api.net.IpAddresses;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Service validation as pkg/apis/core/validation ({@code ValidateService}, {@code validateServicePort},
 * {@code ValidateServiceClusterIPsRelatedFields}, {@code ValidateServiceUpdate}) plus the IP-family checks upstream
 * makes during allocation. Field paths, error types, bad values and messages are upstream's, quirks included
 * ({@code spec.LoadBalancerSourceRanges}, the unprefixed {@code allocateLoadBalancerNodePorts} path).
 */
final class ServiceValidation {
    private static final List<String> SERVICE_TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    private static final List<String> AFFINITIES = List.of("ClientIP", "None");
    private static final List<String> FAMILIES = List.of("IPv4", "IPv6");
    private static final List<String> POLICIES = List.of("PreferDualStack", "RequireDualStack", "SingleStack");
    private static final List<String> TRAFFIC_POLICIES = List.of("Cluster", "Local");
    private static final List<String> TRAFFIC_DISTRIBUTIONS = List.of("PreferClose", "PreferSameNode", "PreferSameZone");
    private static final int MAX_CLIENT_IP_TIMEOUT = 86400;
    static final String TOPOLOGY_MODE = "service.kubernetes.io/topology-mode";
    static final String TOPOLOGY_HINTS = "service.kubernetes.io/topology-aware-hints";
    static final String SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges";

    private final SpecialIpValidator specialIps;
    private final List<String> configuredFamilies;

    ServiceValidation(SpecialIpValidator specialIps, List<String> configuredFamilies) {
        this.specialIps = specialIps;
        this.configuredFamilies = List.copyOf(configuredFamilies);
    }

    /** Create: the allocation-time family checks first (they end the request on their own upstream), then the rest. */
    List<FieldError> validateCreate(ObjectNode service) {
        List<FieldError> early = ipFamilyChecks(spec(service), null);
        if (!early.isEmpty()) {
            return early;
        }
        return validateService(service);
    }

    List<FieldError> validateUpdate(ObjectNode service, ObjectNode old) {
        List<FieldError> early = ipFamilyChecks(spec(service), spec(old));
        if (!early.isEmpty()) {
            return early;
        }
        JsonNode s = spec(service);
        JsonNode o = spec(old);
        List<FieldError> errs = new ArrayList<>();
        upgradeDowngradeClusterIPs(errs, s, o);
        upgradeDowngradeIpFamilies(errs, s, o);
        loadBalancerClass(errs, s, o);
        if (ServiceSpecs.needsHealthCheck(o) && ServiceSpecs.needsHealthCheck(s)
                && Nodes.integer(s, "healthCheckNodePort") != Nodes.integer(o, "healthCheckNodePort")) {
            errs.add(FieldError.forbidden("spec.healthCheckNodePort", "field is immutable"));
        }
        errs.addAll(validateService(service));
        return errs;
    }

    static JsonNode spec(JsonNode service) {
        JsonNode spec = Nodes.get(service, "spec");
        return spec == null ? Json.object() : spec;
    }

    /** {@code ValidateService}, in upstream's order. */
    List<FieldError> validateService(ObjectNode service) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode meta = Nodes.get(service, "metadata");
        JsonNode annotations = Nodes.get(meta, "annotations");
        if (Nodes.isSet(annotations, TOPOLOGY_MODE) && Nodes.isSet(annotations, TOPOLOGY_HINTS)
                && !Nodes.text(annotations, TOPOLOGY_MODE).equals(Nodes.text(annotations, TOPOLOGY_HINTS))) {
            errs.add(FieldError.invalid("metadata.annotations[" + TOPOLOGY_MODE + "]",
                    Nodes.text(annotations, TOPOLOGY_MODE),
                    "must match annotations[" + TOPOLOGY_HINTS + "] when both are specified"));
        }

        JsonNode spec = spec(service);
        String type = ServiceSpecs.type(spec);
        boolean headless = ServiceSpecs.isHeadless(spec);
        List<ObjectNode> ports = Nodes.objects(spec, "ports");
        if (Nodes.size(spec, "ports") == 0 && !headless && !ServiceSpecs.EXTERNAL_NAME.equals(type)) {
            errs.add(FieldError.required("spec.ports", ""));
        }
        switch (type) {
            case ServiceSpecs.LOAD_BALANCER -> {
                if (headless) {
                    errs.add(FieldError.invalid("spec.clusterIPs[0]", "None",
                            "may not be set to 'None' for LoadBalancer services"));
                }
            }
            case ServiceSpecs.NODE_PORT -> {
                if (headless) {
                    errs.add(FieldError.invalid("spec.clusterIPs[0]", "None",
                            "may not be set to 'None' for NodePort services"));
                }
            }
            case ServiceSpecs.EXTERNAL_NAME -> {
                if (Nodes.size(spec, "clusterIPs") > 0) {
                    errs.add(FieldError.forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
                }
                if (Nodes.size(spec, "ipFamilies") > 0) {
                    errs.add(FieldError.forbidden("spec.ipFamilies", "may not be set for ExternalName services"));
                }
                if (Nodes.isSet(spec, "ipFamilyPolicy")) {
                    errs.add(FieldError.forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"));
                }
                String cname = Nodes.text(spec, "externalName");
                if (cname.endsWith(".")) {
                    cname = cname.substring(0, cname.length() - 1);
                }
                if (!cname.isEmpty()) {
                    Formats.dns1123Subdomain(errs, "spec.externalName", cname);
                } else {
                    errs.add(FieldError.required("spec.externalName", ""));
                }
            }
            default -> {
            }
        }

        Set<String> portNames = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            servicePort(errs, ports.get(i), ports.size() > 1, portNames, "spec.ports[" + i + "]");
        }

        if (Nodes.isSet(spec, "selector")) {
            Formats.labels(errs, "spec.selector", spec.get("selector"));
        }

        String affinity = Nodes.text(spec, "sessionAffinity");
        if (affinity.isEmpty()) {
            errs.add(FieldError.required("spec.sessionAffinity", ""));
        } else if (!AFFINITIES.contains(affinity)) {
            errs.add(FieldError.notSupported("spec.sessionAffinity", affinity, AFFINITIES.toArray(String[]::new)));
        }
        if ("ClientIP".equals(affinity)) {
            clientIpAffinity(errs, spec);
        } else if ("None".equals(affinity) && Nodes.isSet(spec, "sessionAffinityConfig")) {
            errs.add(FieldError.forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"));
        }

        errs.addAll(clusterIPsRelatedFields(spec));

        List<String> externalIPs = Nodes.strings(spec, "externalIPs");
        for (int i = 0; i < externalIPs.size(); i++) {
            String path = "spec.externalIPs[" + i + "]";
            String ip = externalIPs.get(i);
            if (!IpAddresses.isValid(ip)) {
                errs.add(FieldError.invalid(path, ip, Formats.IP_INVALID));
            } else {
                errs.addAll(specialIps.validate(ip, path));
            }
        }

        if (type.isEmpty()) {
            errs.add(FieldError.required("spec.type", ""));
        } else if (!SERVICE_TYPES.contains(type)) {
            errs.add(FieldError.notSupported("spec.type", type, SERVICE_TYPES.toArray(String[]::new)));
        }

        if (ServiceSpecs.CLUSTER_IP.equals(type)) {
            for (int i = 0; i < ports.size(); i++) {
                if (Nodes.integer(ports.get(i), "nodePort") != 0) {
                    errs.add(FieldError.forbidden("spec.ports[" + i + "].nodePort",
                            "may not be used when `type` is 'ClusterIP'"));
                }
            }
        }

        Set<String> nodePorts = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            long np = Nodes.integer(ports.get(i), "nodePort");
            if (np == 0) {
                continue;
            }
            if (!nodePorts.add(Nodes.text(ports.get(i), "protocol") + "/" + np)) {
                errs.add(FieldError.duplicate("spec.ports[" + i + "].nodePort", np));
            }
        }

        Set<String> portKeys = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            String protocol = Nodes.text(ports.get(i), "protocol");
            long port = Nodes.integer(ports.get(i), "port");
            if (!portKeys.add(protocol + "/" + port)) {
                errs.add(FieldError.duplicate("spec.ports[" + i + "]", servicePortKey(protocol, port)));
            }
        }

        sourceRanges(errs, service, spec, type);

        if (Nodes.isSet(spec, "allocateLoadBalancerNodePorts") && !ServiceSpecs.LOAD_BALANCER.equals(type)) {
            errs.add(FieldError.forbidden("spec.allocateLoadBalancerNodePorts",
                    "may only be used when `type` is 'LoadBalancer'"));
        }
        if (ServiceSpecs.LOAD_BALANCER.equals(type) && !Nodes.isSet(spec, "allocateLoadBalancerNodePorts")) {
            errs.add(FieldError.required("allocateLoadBalancerNodePorts", ""));
        }

        loadBalancerClass(errs, spec, null);
        externalTrafficPolicy(errs, spec);
        internalTrafficPolicy(errs, spec, type);
        if (Nodes.isSet(spec, "trafficDistribution")) {
            String td = Nodes.text(spec, "trafficDistribution");
            if (!TRAFFIC_DISTRIBUTIONS.contains(td)) {
                errs.add(FieldError.notSupported("spec.trafficDistribution", td,
                        TRAFFIC_DISTRIBUTIONS.toArray(String[]::new)));
            }
        }
        return errs;
    }

    /** The duplicate-port bad value: upstream prints the internal ServicePort struct as JSON. */
    private static ObjectNode servicePortKey(String protocol, long port) {
        ObjectNode key = Json.object();
        key.put("Name", "");
        key.put("Protocol", protocol);
        key.putNull("AppProtocol");
        key.put("Port", port);
        key.put("TargetPort", 0);
        key.put("NodePort", 0);
        return key;
    }

    private static void servicePort(List<FieldError> errs, ObjectNode port, boolean requireName, Set<String> names,
            String path) {
        String name = Nodes.text(port, "name");
        if (requireName && name.isEmpty()) {
            errs.add(FieldError.required(path + ".name", ""));
        } else if (!name.isEmpty()) {
            Formats.dns1123Label(errs, path + ".name", name);
            if (!names.add(name)) {
                errs.add(FieldError.duplicate(path + ".name", name));
            }
        }
        Formats.portNumberAndProtocol(errs, port, path);
        JsonNode target = Nodes.get(port, "targetPort");
        if (target != null && target.isString()) {
            Formats.addInvalid(errs, path + ".targetPort", target.asString(),
                    ValueValidation.isValidPortName(target.asString()));
        } else {
            long t = Nodes.integer(port, "targetPort");
            Formats.addInvalid(errs, path + ".targetPort", t, ValueValidation.isValidPortNum(t));
        }
        if (Nodes.isSet(port, "appProtocol")) {
            Formats.qualifiedName(errs, path + ".appProtocol", Nodes.text(port, "appProtocol"));
        }
    }

    private static void clientIpAffinity(List<FieldError> errs, JsonNode spec) {
        String path = "spec.sessionAffinityConfig";
        String detail = "when session affinity type is ClientIP";
        JsonNode config = Nodes.get(spec, "sessionAffinityConfig");
        if (config == null) {
            errs.add(FieldError.required(path, detail));
            return;
        }
        JsonNode clientIp = Nodes.get(config, "clientIP");
        if (clientIp == null) {
            errs.add(FieldError.required(path + ".clientIP", detail));
            return;
        }
        if (!Nodes.isSet(clientIp, "timeoutSeconds")) {
            errs.add(FieldError.required(path + ".clientIP.timeoutSeconds", detail));
            return;
        }
        long timeout = Nodes.integer(clientIp, "timeoutSeconds");
        if (timeout <= 0 || timeout > MAX_CLIENT_IP_TIMEOUT) {
            errs.add(FieldError.invalid(path + ".clientIP.timeoutSeconds", timeout,
                    "must be greater than 0 and less than " + MAX_CLIENT_IP_TIMEOUT));
        }
    }

    /** {@code ValidateServiceClusterIPsRelatedFields}. */
    List<FieldError> clusterIPsRelatedFields(JsonNode spec) {
        List<FieldError> errs = new ArrayList<>();
        if (ServiceSpecs.EXTERNAL_NAME.equals(ServiceSpecs.type(spec))) {
            return errs;
        }
        String clusterIP = Nodes.text(spec, "clusterIP");
        List<String> ips = Nodes.strings(spec, "clusterIPs");
        JsonNode ipsValue = Nodes.valueOrNull(spec, "clusterIPs");
        if (!clusterIP.isEmpty()) {
            if (ips.isEmpty()) {
                errs.add(FieldError.required("spec.clusterIPs", ""));
            } else if (!ips.get(0).equals(clusterIP)) {
                errs.add(FieldError.invalid("spec.clusterIPs", ipsValue, "first value must match `clusterIP`"));
            }
        } else if (!ips.isEmpty()) {
            errs.add(FieldError.invalid("spec.clusterIPs", ipsValue, "must be empty when `clusterIP` is not specified"));
        }

        List<String> families = Nodes.strings(spec, "ipFamilies");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < families.size(); i++) {
            String f = families.get(i);
            if (!FAMILIES.contains(f)) {
                errs.add(FieldError.notSupported("spec.ipFamilies[" + i + "]", f, FAMILIES.toArray(String[]::new)));
            }
            if (!seen.add(f)) {
                errs.add(FieldError.duplicate("spec.ipFamilies[" + i + "]", f));
            }
        }
        if (Nodes.isSet(spec, "ipFamilyPolicy")) {
            String policy = Nodes.text(spec, "ipFamilyPolicy");
            if (!POLICIES.contains(policy)) {
                errs.add(FieldError.notSupported("spec.ipFamilyPolicy", policy, POLICIES.toArray(String[]::new)));
            }
        }

        boolean invalidIps = false;
        for (int i = 0; i < ips.size(); i++) {
            String ip = ips.get(i);
            if (i == 0 && ServiceSpecs.NONE.equals(ip)) {
                if (ips.size() > 1) {
                    invalidIps = true;
                    errs.add(FieldError.invalid("spec.clusterIPs", ipsValue, "'None' must be the first and only value"));
                }
                continue;
            }
            if (!IpAddresses.isValid(ip)) {
                invalidIps = true;
                errs.add(FieldError.invalid("spec.clusterIPs[" + i + "]", ip, Formats.IP_INVALID));
            }
        }
        if (ips.size() > 2) {
            errs.add(FieldError.invalid("spec.clusterIPs", ipsValue, "may only hold up to 2 values"));
        }
        if (invalidIps) {
            return errs;
        }
        if (ips.size() > 1) {
            Set<String> ipFamilies = new HashSet<>();
            for (String ip : ips) {
                ipFamilies.add(ServiceSpecs.familyOf(ip));
            }
            if (ipFamilies.size() != 2) {
                errs.add(FieldError.invalid("spec.clusterIPs", ipsValue,
                        "may specify no more than one IP for each IP family"));
            }
        }
        if (!ServiceSpecs.isHeadless(spec) && !ips.isEmpty() && !families.isEmpty()) {
            for (int i = 0; i < ips.size() && i < families.size(); i++) {
                String ip = ips.get(i);
                boolean v6 = IpAddresses.isIPv6(ip);
                if (ServiceSpecs.IPV4.equals(families.get(i)) && v6) {
                    errs.add(FieldError.invalid("spec.clusterIPs[" + i + "]", ip,
                            "expected an IPv4 value as indicated by `ipFamilies[" + i + "]`"));
                }
                if (ServiceSpecs.IPV6.equals(families.get(i)) && !v6) {
                    errs.add(FieldError.invalid("spec.clusterIPs[" + i + "]", ip,
                            "expected an IPv6 value as indicated by `ipFamilies[" + i + "]`"));
                }
            }
        }
        return errs;
    }

    /**
     * The checks upstream makes while initialising IP families at allocation time, each group ending the request on
     * its own: loose cluster-IP validation, then policy/IP consistency, then families configured on this cluster.
     */
    List<FieldError> ipFamilyChecks(JsonNode spec, JsonNode oldSpec) {
        if (!ServiceSpecs.needsClusterIP(spec) || ServiceNormalizer.matchingPreferDualStack(spec, oldSpec)) {
            return List.of();
        }
        List<FieldError> related = clusterIPsRelatedFields(spec);
        if (!related.isEmpty()) {
            return related;
        }
        List<FieldError> errs = new ArrayList<>();
        String policy = Nodes.text(spec, "ipFamilyPolicy");
        Object policyValue = Nodes.pointer(spec, "ipFamilyPolicy");
        List<String> ips = Nodes.strings(spec, "clusterIPs");
        List<String> families = Nodes.strings(spec, "ipFamilies");
        if (oldSpec != null && !ServiceSpecs.SINGLE_STACK.equals(policy)) {
            if (!ips.isEmpty() && ips.size() < Nodes.size(oldSpec, "clusterIPs")) {
                errs.add(FieldError.invalid("spec.ipFamilyPolicy", policyValue,
                        "must be 'SingleStack' to release the secondary cluster IP"));
            }
            if (!families.isEmpty() && families.size() < Nodes.size(oldSpec, "ipFamilies")) {
                errs.add(FieldError.invalid("spec.ipFamilyPolicy", policyValue,
                        "must be 'SingleStack' to release the secondary IP family"));
            }
        }
        if (ServiceSpecs.SINGLE_STACK.equals(policy)) {
            if (ips.size() == 2) {
                errs.add(FieldError.invalid("spec.ipFamilyPolicy", policyValue,
                        "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
            }
            if (families.size() == 2) {
                errs.add(FieldError.invalid("spec.ipFamilyPolicy", policyValue,
                        "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
            }
        }
        for (int i = 0; i < ips.size(); i++) {
            if (ServiceSpecs.NONE.equals(ips.get(i))) {
                break;
            }
            String family = ServiceSpecs.familyOf(ips.get(i));
            if (i >= families.size() && !configuredFamilies.contains(family)) {
                errs.add(FieldError.invalid("spec.clusterIPs[" + i + "]", Nodes.valueOrNull(spec, "clusterIPs"),
                        family + " is not configured on this cluster"));
            }
        }
        if (!errs.isEmpty()) {
            return errs;
        }
        if (ServiceSpecs.NONE.equals(Nodes.text(spec, "clusterIP")) && ServiceNormalizer.selectorless(spec)) {
            return errs;
        }
        if (ServiceSpecs.REQUIRE_DUAL_STACK.equals(policy) && configuredFamilies.size() < 2) {
            errs.add(FieldError.invalid("spec.ipFamilyPolicy", policyValue,
                    "this cluster is not configured for dual-stack services"));
        }
        for (int i = 0; i < families.size(); i++) {
            if (!configuredFamilies.contains(families.get(i))) {
                errs.add(FieldError.invalid("spec.ipFamilies[" + i + "]", families.get(i),
                        "not configured on this cluster"));
            }
        }
        return errs;
    }

    private static void sourceRanges(List<FieldError> errs, JsonNode service, JsonNode spec, String type) {
        List<String> ranges = Nodes.strings(spec, "loadBalancerSourceRanges");
        JsonNode annotations = Nodes.get(Nodes.get(service, "metadata"), "annotations");
        if (!ranges.isEmpty()) {
            String path = "spec.LoadBalancerSourceRanges";
            if (!ServiceSpecs.LOAD_BALANCER.equals(type)) {
                errs.add(FieldError.forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
            }
            for (int i = 0; i < ranges.size(); i++) {
                Formats.validCidr(errs, path + "[" + i + "]", ranges.get(i).strip());
            }
        } else if (annotations != null && annotations.has(SOURCE_RANGES_ANNOTATION)) {
            String path = "metadata.annotations[" + SOURCE_RANGES_ANNOTATION + "]";
            if (!ServiceSpecs.LOAD_BALANCER.equals(type)) {
                errs.add(FieldError.forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
            }
            String value = Nodes.text(annotations, SOURCE_RANGES_ANNOTATION).strip();
            if (!value.isEmpty()) {
                for (String cidr : value.split(",", -1)) {
                    Formats.validCidr(errs, path, cidr.strip());
                }
            }
        }
    }

    /** {@code validateLoadBalancerClassField}; {@code oldSpec} is null when called from {@code ValidateService}. */
    private static void loadBalancerClass(List<FieldError> errs, JsonNode spec, JsonNode oldSpec) {
        boolean lb = ServiceSpecs.LOAD_BALANCER.equals(ServiceSpecs.type(spec));
        Object value = Nodes.pointer(spec, "loadBalancerClass");
        if (oldSpec != null && lb && ServiceSpecs.LOAD_BALANCER.equals(ServiceSpecs.type(oldSpec))
                && !Objects.equals(Nodes.get(oldSpec, "loadBalancerClass"), Nodes.get(spec, "loadBalancerClass"))) {
            errs.add(FieldError.invalid("spec.loadBalancerClass", value, "may not change once set"));
        }
        // Upstream runs the format checks below in ValidateServiceUpdate and again in ValidateService.
        if (lb) {
            if (Nodes.isSet(spec, "loadBalancerClass")) {
                Formats.qualifiedName(errs, "spec.loadBalancerClass", Nodes.text(spec, "loadBalancerClass"));
            }
        } else if (Nodes.isSet(spec, "loadBalancerClass")) {
            errs.add(FieldError.forbidden("spec.loadBalancerClass", "may only be used when `type` is 'LoadBalancer'"));
        }
    }

    private static void externalTrafficPolicy(List<FieldError> errs, JsonNode spec) {
        String etp = Nodes.text(spec, "externalTrafficPolicy");
        if (!ServiceSpecs.externallyAccessible(spec)) {
            if (!etp.isEmpty()) {
                errs.add(FieldError.invalid("spec.externalTrafficPolicy", etp,
                        "may only be set for externally-accessible services"));
            }
        } else if (etp.isEmpty()) {
            errs.add(FieldError.required("spec.externalTrafficPolicy", ""));
        } else if (!TRAFFIC_POLICIES.contains(etp)) {
            errs.add(FieldError.notSupported("spec.externalTrafficPolicy", etp,
                    TRAFFIC_POLICIES.toArray(String[]::new)));
        }
        long hcnp = Nodes.integer(spec, "healthCheckNodePort");
        if (!ServiceSpecs.needsHealthCheck(spec)) {
            if (hcnp != 0) {
                errs.add(FieldError.invalid("spec.healthCheckNodePort", hcnp,
                        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
            }
        } else if (hcnp != 0) {
            // hcnp == 0 is left to the allocation hook, which runs after validation in Ferry (before it upstream).
            Formats.addInvalid(errs, "spec.healthCheckNodePort", hcnp, ValueValidation.isValidPortNum(hcnp));
        }
    }

    private static void internalTrafficPolicy(List<FieldError> errs, JsonNode spec, String type) {
        if (!Nodes.isSet(spec, "internalTrafficPolicy")) {
            if (ServiceSpecs.NODE_PORT.equals(type) || ServiceSpecs.LOAD_BALANCER.equals(type)
                    || ServiceSpecs.CLUSTER_IP.equals(type)) {
                errs.add(FieldError.required("spec.internalTrafficPolicy", ""));
            }
            return;
        }
        String itp = Nodes.text(spec, "internalTrafficPolicy");
        if (!TRAFFIC_POLICIES.contains(itp)) {
            errs.add(FieldError.notSupported("spec.internalTrafficPolicy", itp,
                    TRAFFIC_POLICIES.toArray(String[]::new)));
        }
    }

    /** {@code validateUpgradeDowngradeClusterIPs}. */
    private static void upgradeDowngradeClusterIPs(List<FieldError> errs, JsonNode spec, JsonNode oldSpec) {
        if (ServiceSpecs.EXTERNAL_NAME.equals(ServiceSpecs.type(spec))
                || ServiceSpecs.EXTERNAL_NAME.equals(ServiceSpecs.type(oldSpec))) {
            return;
        }
        if (ServiceSpecs.isHeadless(spec) && ServiceSpecs.isHeadless(oldSpec)) {
            return;
        }
        List<String> ips = Nodes.strings(spec, "clusterIPs");
        List<String> oldIps = Nodes.strings(oldSpec, "clusterIPs");
        JsonNode value = Nodes.valueOrNull(spec, "clusterIPs");
        if (oldIps.size() == ips.size()) {
            for (int i = 0; i < oldIps.size(); i++) {
                if (!oldIps.get(i).equals(ips.get(i))) {
                    errs.add(FieldError.invalid("spec.clusterIPs[" + i + "]", value, "may not change once set"));
                }
            }
        } else if (oldIps.size() > ips.size()) {
            if (ips.isEmpty()) {
                errs.add(FieldError.invalid("spec.clusterIPs[0]", value, "primary clusterIP can not be unset"));
            }
            if (!oldIps.isEmpty() && !ips.isEmpty() && !ips.get(0).equals(oldIps.get(0))) {
                errs.add(FieldError.invalid("spec.clusterIPs[0]", value, "may not change once set"));
            }
            if (ips.size() == 1 && !ServiceSpecs.SINGLE_STACK.equals(Nodes.text(spec, "ipFamilyPolicy"))) {
                errs.add(FieldError.invalid("spec.ipFamilyPolicy", Nodes.pointer(spec, "ipFamilyPolicy"),
                        "must be set to 'SingleStack' when releasing the secondary clusterIP"));
            }
        } else if (!oldIps.isEmpty() && !ips.get(0).equals(oldIps.get(0))) {
            errs.add(FieldError.invalid("spec.clusterIPs[0]", value, "may not change once set"));
        }
    }

    /** {@code validateUpgradeDowngradeIPFamilies} (bad values as upstream, which prints clusterIPs in two cases). */
    private static void upgradeDowngradeIpFamilies(List<FieldError> errs, JsonNode spec, JsonNode oldSpec) {
        if (ServiceSpecs.EXTERNAL_NAME.equals(ServiceSpecs.type(spec))
                || ServiceSpecs.EXTERNAL_NAME.equals(ServiceSpecs.type(oldSpec))) {
            return;
        }
        boolean headless = ServiceSpecs.isHeadless(spec);
        if (headless != ServiceSpecs.isHeadless(oldSpec) || headless) {
            return;
        }
        List<String> families = Nodes.strings(spec, "ipFamilies");
        List<String> oldFamilies = Nodes.strings(oldSpec, "ipFamilies");
        JsonNode familiesValue = Nodes.valueOrNull(spec, "ipFamilies");
        JsonNode ipsValue = Nodes.valueOrNull(spec, "clusterIPs");
        if (oldFamilies.size() == families.size()) {
            for (int i = 0; i < oldFamilies.size(); i++) {
                if (!oldFamilies.get(i).equals(families.get(i))) {
                    errs.add(FieldError.invalid("spec.ipFamilies[0]", familiesValue, "may not change once set"));
                }
            }
        } else if (oldFamilies.size() > families.size()) {
            if (Nodes.size(spec, "clusterIPs") == 0) {
                errs.add(FieldError.invalid("spec.ipFamilies[0]", familiesValue, "primary ipFamily can not be unset"));
            }
            if (!families.isEmpty() && !families.get(0).equals(oldFamilies.get(0))) {
                errs.add(FieldError.invalid("spec.ipFamilies[0]", ipsValue, "may not change once set"));
            }
            if (families.size() == 1 && !ServiceSpecs.SINGLE_STACK.equals(Nodes.text(spec, "ipFamilyPolicy"))) {
                errs.add(FieldError.invalid("spec.ipFamilyPolicy", Nodes.pointer(spec, "ipFamilyPolicy"),
                        "must be set to 'SingleStack' when releasing the secondary ipFamily"));
            }
        } else if (!oldFamilies.isEmpty() && !families.isEmpty() && !families.get(0).equals(oldFamilies.get(0))) {
            errs.add(FieldError.invalid("spec.ipFamilies[0]", ipsValue, "may not change once set"));
        }
    }

    /** {@code ValidateLoadBalancerStatus} for status writes. */
    static List<FieldError> loadBalancerStatus(JsonNode service) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode lb = Nodes.get(Nodes.get(service, "status"), "loadBalancer");
        List<ObjectNode> ingress = Nodes.objects(lb, "ingress");
        for (int i = 0; i < ingress.size(); i++) {
            String path = "status.loadBalancer.ingress[" + i + "]";
            ObjectNode in = ingress.get(i);
            String ip = Nodes.text(in, "ip");
            if (!ip.isEmpty() && !IpAddresses.isValid(ip)) {
                errs.add(FieldError.invalid(path + ".ip", ip, "must be a valid IP address"));
            }
            if (Nodes.isSet(in, "ipMode")) {
                String mode = Nodes.text(in, "ipMode");
                if (ip.isEmpty()) {
                    errs.add(FieldError.forbidden(path + ".ipMode", "may not be specified when `ip` is not set"));
                } else if (!List.of("Proxy", "VIP").contains(mode)) {
                    errs.add(FieldError.notSupported(path + ".ipMode", mode, "Proxy", "VIP"));
                }
            }
            String hostname = Nodes.text(in, "hostname");
            if (!hostname.isEmpty()) {
                Formats.dns1123Subdomain(errs, path + ".hostname", hostname);
                if (IpAddresses.isValid(hostname)) {
                    errs.add(FieldError.invalid(path + ".hostname", hostname, "must be a DNS name, not an IP address"));
                }
            }
        }
        return errs;
    }
}
