package dev.ferry.apiserver.workload;

import dev.ferry.api.validation.FieldError;
import dev.ferry.api.validation.ValueValidation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * PodSpec defaulting (core/v1 defaults.go and the generated declarative defaults) and validation (a subset of
 * core/validation ValidatePodSpec), shared by pods and the pod templates of Deployments and ReplicaSets.
 * All paths passed in are the spec's own path ("spec" or "spec.template.spec").
 */
final class PodSpecs {
    static final int DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
    static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";
    private static final long MAX_INT32 = Integer.MAX_VALUE;

    private PodSpecs() {
    }

    // ---------------------------------------------------------------- defaulting

    /** SetDefaults_PodSpec and the per-container defaults; idempotent. */
    static void defaultSpec(ObjectNode spec) {
        putIfEmpty(spec, "dnsPolicy", "ClusterFirst");
        putIfEmpty(spec, "restartPolicy", "Always");
        if (!Nodes.present(spec, "securityContext")) {
            spec.putObject("securityContext");
        }
        if (!Nodes.present(spec, "terminationGracePeriodSeconds")) {
            spec.put("terminationGracePeriodSeconds", DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
        }
        putIfEmpty(spec, "schedulerName", DEFAULT_SCHEDULER_NAME);
        for (ObjectNode c : containers(spec, "containers")) {
            defaultContainer(c);
        }
        for (ObjectNode c : containers(spec, "initContainers")) {
            defaultContainer(c);
        }
        ArrayNode volumes = Nodes.array(spec, "volumes");
        if (volumes != null) {
            for (JsonNode v : volumes) {
                if (v instanceof ObjectNode vol) {
                    defaultVolume(vol);
                }
            }
        }
    }

    /** SetDefaults_Pod: what applies to a Pod but not to a pod template. */
    static void defaultPodOnly(ObjectNode spec) {
        for (String list : List.of("containers", "initContainers")) {
            for (ObjectNode c : containers(spec, list)) {
                ObjectNode resources = Nodes.object(c, "resources");
                ObjectNode limits = Nodes.object(resources, "limits");
                if (limits != null && !limits.isEmpty()) {
                    ObjectNode requests = Nodes.objectOrCreate(resources, "requests");
                    for (Map.Entry<String, JsonNode> e : limits.properties()) {
                        if (!requests.has(e.getKey())) {
                            requests.set(e.getKey(), e.getValue().deepCopy());
                        }
                    }
                }
            }
        }
        if (!Nodes.present(spec, "enableServiceLinks")) {
            spec.put("enableServiceLinks", true);
        }
        if (spec.path("hostNetwork").asBoolean(false)) {
            for (String list : List.of("containers", "initContainers")) {
                for (ObjectNode c : containers(spec, list)) {
                    for (JsonNode p : c.path("ports")) {
                        if (p instanceof ObjectNode port && Nodes.number(port, "hostPort", 0) == 0
                                && port.has("containerPort")) {
                            port.set("hostPort", port.get("containerPort").deepCopy());
                        }
                    }
                }
            }
        }
    }

    private static void defaultContainer(ObjectNode c) {
        if (Nodes.text(c, "imagePullPolicy").isEmpty()) {
            c.put("imagePullPolicy", "latest".equals(imageTag(Nodes.text(c, "image"))) ? "Always" : "IfNotPresent");
        }
        putIfEmpty(c, "terminationMessagePath", "/dev/termination-log");
        putIfEmpty(c, "terminationMessagePolicy", "File");
        if (!Nodes.present(c, "resources")) {
            c.putObject("resources");
        }
        for (JsonNode p : c.path("ports")) {
            if (p instanceof ObjectNode port) {
                putIfEmpty(port, "protocol", "TCP");
            }
        }
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            ObjectNode pr = Nodes.object(c, probe);
            if (pr != null) {
                putIfZero(pr, "timeoutSeconds", 1);
                putIfZero(pr, "periodSeconds", 10);
                putIfZero(pr, "successThreshold", 1);
                putIfZero(pr, "failureThreshold", 3);
                ObjectNode httpGet = Nodes.object(pr, "httpGet");
                if (httpGet != null) {
                    putIfEmpty(httpGet, "path", "/");
                    putIfEmpty(httpGet, "scheme", "HTTP");
                }
            }
        }
    }

    private static void defaultVolume(ObjectNode vol) {
        boolean hasSource = false;
        for (String key : vol.propertyNames()) {
            if (!key.equals("name") && Nodes.present(vol, key)) {
                hasSource = true;
                break;
            }
        }
        if (!hasSource) {
            vol.putObject("emptyDir");
        }
        for (String src : List.of("secret", "configMap", "downwardAPI", "projected")) {
            ObjectNode s = Nodes.object(vol, src);
            if (s != null && !Nodes.present(s, "defaultMode")) {
                s.put("defaultMode", 420);
            }
        }
    }

    /**
     * The tag of an image reference as parsers.ParseImageName sees it: "latest" when neither tag nor digest is
     * given, "" when only a digest is.
     */
    static String imageTag(String image) {
        String ref = image;
        boolean digest = false;
        int at = ref.indexOf('@');
        if (at >= 0) {
            ref = ref.substring(0, at);
            digest = true;
        }
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        if (colon > slash) {
            return ref.substring(colon + 1);
        }
        return digest ? "" : "latest";
    }

    // ---------------------------------------------------------------- QoS

    /** ComputePodQOS over cpu and memory of all containers. */
    static String qosClass(JsonNode spec) {
        Map<String, BigDecimal> requests = new HashMap<>();
        Map<String, BigDecimal> limits = new HashMap<>();
        boolean guaranteed = true;
        List<ObjectNode> all = new ArrayList<>(containers(spec, "containers"));
        all.addAll(containers(spec, "initContainers"));
        for (ObjectNode c : all) {
            JsonNode resources = c.path("resources");
            sumPositive(resources.get("requests"), requests, null);
            Set<String> limitsFound = new HashSet<>();
            sumPositive(resources.get("limits"), limits, limitsFound);
            if (!limitsFound.containsAll(List.of("cpu", "memory"))) {
                guaranteed = false;
            }
        }
        if (requests.isEmpty() && limits.isEmpty()) {
            return "BestEffort";
        }
        if (guaranteed) {
            for (Map.Entry<String, BigDecimal> r : requests.entrySet()) {
                BigDecimal lim = limits.get(r.getKey());
                if (lim == null || lim.compareTo(r.getValue()) != 0) {
                    guaranteed = false;
                    break;
                }
            }
        }
        return guaranteed && requests.size() == limits.size() ? "Guaranteed" : "Burstable";
    }

    private static void sumPositive(JsonNode list, Map<String, BigDecimal> into, Set<String> found) {
        for (Map.Entry<String, String> e : Nodes.stringMap(list)) {
            if (!e.getKey().equals("cpu") && !e.getKey().equals("memory")) {
                continue;
            }
            BigDecimal q = Quantities.parse(e.getValue()).orElse(BigDecimal.ZERO);
            if (q.signum() > 0) {
                into.merge(e.getKey(), q, BigDecimal::add);
                if (found != null) {
                    found.add(e.getKey());
                }
            }
        }
    }

    // ---------------------------------------------------------------- validation

    /** ValidatePodSpec (subset): containers, init containers, policies, node selector, names. */
    static List<FieldError> validateSpec(JsonNode spec, String path) {
        List<FieldError> errs = new ArrayList<>();
        List<ObjectNode> containers = containers(spec, "containers");
        Set<String> names = new HashSet<>();
        if (containers.isEmpty()) {
            errs.add(FieldError.required(path + ".containers", ""));
        } else {
            for (int i = 0; i < containers.size(); i++) {
                String p = path + ".containers[" + i + "]";
                ObjectNode c = containers.get(i);
                errs.addAll(validateContainer(c, p));
                String name = Nodes.text(c, "name");
                if (!names.add(name)) {
                    errs.add(FieldError.duplicate(p + ".name", name));
                }
            }
        }
        List<ObjectNode> inits = containers(spec, "initContainers");
        for (int i = 0; i < inits.size(); i++) {
            String p = path + ".initContainers[" + i + "]";
            ObjectNode c = inits.get(i);
            errs.addAll(validateContainer(c, p));
            String name = Nodes.text(c, "name");
            if (!names.add(name)) {
                errs.add(FieldError.duplicate(p + ".name", name));
            }
        }
        String restartPolicy = Nodes.text(spec, "restartPolicy");
        switch (restartPolicy) {
            case "Always", "OnFailure", "Never" -> {
            }
            case "" -> errs.add(FieldError.required(path + ".restartPolicy", ""));
            default -> errs.add(FieldError.notSupported(path + ".restartPolicy", restartPolicy,
                    "Always", "OnFailure", "Never"));
        }
        String dnsPolicy = Nodes.text(spec, "dnsPolicy");
        switch (dnsPolicy) {
            case "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None" -> {
            }
            case "" -> errs.add(FieldError.required(path + ".dnsPolicy", ""));
            default -> errs.add(FieldError.notSupported(path + ".dnsPolicy", dnsPolicy,
                    "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"));
        }
        errs.addAll(ObjectMetaValidation.validateLabels(spec.get("nodeSelector"), path + ".nodeSelector"));
        checkName(errs, spec, "serviceAccountName", path, ValueValidation::isDns1123Subdomain);
        checkName(errs, spec, "nodeName", path, ValueValidation::isDns1123Subdomain);
        if (Nodes.present(spec, "activeDeadlineSeconds")) {
            long v = Nodes.number(spec, "activeDeadlineSeconds", 0);
            if (v < 1 || v > MAX_INT32) {
                errs.add(FieldError.invalid(path + ".activeDeadlineSeconds", v,
                        ValueValidation.inclusiveRangeError(1, MAX_INT32)));
            }
        }
        checkName(errs, spec, "hostname", path, ValueValidation::isDns1123Label);
        checkName(errs, spec, "subdomain", path, ValueValidation::isDns1123Label);
        return errs;
    }

    private static void checkName(List<FieldError> errs, JsonNode spec, String field, String path,
            java.util.function.Function<String, List<String>> rule) {
        String v = Nodes.text(spec, field);
        if (!v.isEmpty()) {
            for (String msg : rule.apply(v)) {
                errs.add(FieldError.invalid(path + "." + field, v, msg));
            }
        }
    }

    /** validateContainerCommon (subset). */
    private static List<FieldError> validateContainer(ObjectNode c, String path) {
        List<FieldError> errs = new ArrayList<>();
        String name = Nodes.text(c, "name");
        if (name.isEmpty()) {
            errs.add(FieldError.required(path + ".name", ""));
        } else {
            for (String msg : ValueValidation.isDns1123Label(name)) {
                errs.add(FieldError.invalid(path + ".name", name, msg));
            }
        }
        if (Nodes.text(c, "image").isEmpty()) {
            errs.add(FieldError.required(path + ".image", ""));
        }
        String tmp = Nodes.text(c, "terminationMessagePolicy");
        switch (tmp) {
            case "File", "FallbackToLogsOnError" -> {
            }
            case "" -> errs.add(FieldError.required(path + ".terminationMessagePolicy", ""));
            default -> errs.add(FieldError.notSupported(path + ".terminationMessagePolicy", tmp,
                    "File", "FallbackToLogsOnError"));
        }
        errs.addAll(validatePorts(c.get("ports"), path + ".ports"));
        errs.addAll(validateEnv(c.get("env"), path + ".env"));
        String pull = Nodes.text(c, "imagePullPolicy");
        switch (pull) {
            case "Always", "IfNotPresent", "Never" -> {
            }
            case "" -> errs.add(FieldError.required(path + ".imagePullPolicy", ""));
            default -> errs.add(FieldError.notSupported(path + ".imagePullPolicy", pull,
                    "Always", "IfNotPresent", "Never"));
        }
        return errs;
    }

    private static List<FieldError> validatePorts(JsonNode ports, String path) {
        List<FieldError> errs = new ArrayList<>();
        if (ports == null || !ports.isArray()) {
            return errs;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            String p = path + "[" + i + "]";
            String name = Nodes.text(port, "name");
            if (!name.isEmpty()) {
                List<String> msgs = ValueValidation.isValidPortName(name);
                if (!msgs.isEmpty()) {
                    for (String msg : msgs) {
                        errs.add(FieldError.invalid(p + ".name", name, msg));
                    }
                } else if (!names.add(name)) {
                    errs.add(FieldError.duplicate(p + ".name", name));
                }
            }
            long containerPort = Nodes.number(port, "containerPort", 0);
            if (containerPort == 0) {
                errs.add(FieldError.required(p + ".containerPort", ""));
            } else {
                for (String msg : ValueValidation.isValidPortNum(containerPort)) {
                    errs.add(FieldError.invalid(p + ".containerPort", containerPort, msg));
                }
            }
            long hostPort = Nodes.number(port, "hostPort", 0);
            if (hostPort != 0) {
                for (String msg : ValueValidation.isValidPortNum(hostPort)) {
                    errs.add(FieldError.invalid(p + ".hostPort", hostPort, msg));
                }
            }
            String protocol = Nodes.text(port, "protocol");
            if (protocol.isEmpty()) {
                errs.add(FieldError.required(p + ".protocol", ""));
            } else if (!Set.of("TCP", "UDP", "SCTP").contains(protocol)) {
                errs.add(FieldError.notSupported(p + ".protocol", protocol, "SCTP", "TCP", "UDP"));
            }
        }
        return errs;
    }

    private static List<FieldError> validateEnv(JsonNode env, String path) {
        List<FieldError> errs = new ArrayList<>();
        if (env == null || !env.isArray()) {
            return errs;
        }
        for (int i = 0; i < env.size(); i++) {
            String p = path + "[" + i + "].name";
            String name = Nodes.text(env.get(i), "name");
            if (name.isEmpty()) {
                errs.add(FieldError.required(p, ""));
            }
            for (String msg : ValueValidation.isRelaxedEnvVarName(name)) {
                errs.add(FieldError.invalid(p, name, msg));
            }
        }
        return errs;
    }

    // ---------------------------------------------------------------- helpers

    static List<ObjectNode> containers(JsonNode spec, String field) {
        List<ObjectNode> out = new ArrayList<>();
        JsonNode list = spec == null ? null : spec.get(field);
        if (list != null && list.isArray()) {
            for (JsonNode n : list) {
                if (n instanceof ObjectNode o) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    private static void putIfEmpty(ObjectNode o, String field, String value) {
        if (Nodes.text(o, field).isEmpty()) {
            o.put(field, value);
        }
    }

    private static void putIfZero(ObjectNode o, String field, int value) {
        if (Nodes.number(o, field, 0) == 0) {
            o.put(field, value);
        }
    }
}
