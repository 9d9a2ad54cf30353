package dev.ferry.bench;

import tools.jackson.databind.JsonNode;

/** Bodies the pod benchmarks send and facts they read from pods; pure. */
final class PodJson {
    static final String IMAGE = "ferry/serve-hostname";

    private PodJson() {
    }

    /** A Deployment of {@code replicas} pods labelled {@code app=NAME}, one serve-hostname container, no probe. */
    static String deployment(String name, int replicas) {
        return """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%1$s"},\
                "spec":{"replicas":%2$d,"selector":{"matchLabels":{"app":"%1$s"}},\
                "template":{"metadata":{"labels":{"app":"%1$s"}},\
                "spec":{"containers":[{"name":"c","image":"%3$s","ports":[{"containerPort":9376}]}]}}}}"""
                .formatted(name, replicas, IMAGE);
    }

    /** A ClusterIP Service selecting {@code app=NAME}, port 9376. */
    static String service(String name) {
        return """
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"%1$s"},\
                "spec":{"selector":{"app":"%1$s"},"ports":[{"port":9376,"targetPort":9376}]}}""".formatted(name);
    }

    /** A serve-hostname pod; with {@code tcpProbe}, a tcpSocket readiness probe on 9376 every second. */
    static String pod(String name, boolean tcpProbe) {
        String probe = tcpProbe ? ",\"readinessProbe\":{\"tcpSocket\":{\"port\":9376},\"periodSeconds\":1}" : "";
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"start"}},\
                "spec":{"containers":[{"name":"c","image":"%s","ports":[{"containerPort":9376}]%s}]}}"""
                .formatted(name, IMAGE, probe);
    }

    /** True when the pod's Ready condition is True, it has an IP and is not being deleted. */
    static boolean ready(JsonNode pod) {
        if (!pod.path("metadata").path("deletionTimestamp").isMissingNode()
                && !pod.path("metadata").path("deletionTimestamp").isNull()) {
            return false;
        }
        if (ip(pod) == null) {
            return false;
        }
        for (JsonNode c : pod.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asString())) {
                return "True".equals(c.path("status").asString());
            }
        }
        return false;
    }

    /** True when every container status says running (started, maybe not ready). */
    static boolean running(JsonNode pod) {
        JsonNode statuses = pod.path("status").path("containerStatuses");
        if (statuses.isEmpty()) {
            return false;
        }
        for (JsonNode s : statuses) {
            if (s.path("state").path("running").isMissingNode()) {
                return false;
            }
        }
        return true;
    }

    /** status.podIP, or null when none. */
    static String ip(JsonNode pod) {
        String ip = pod.path("status").path("podIP").asString("");
        return ip.isEmpty() ? null : ip;
    }

    /** "namespace/name". */
    static String key(JsonNode object) {
        return object.path("metadata").path("namespace").asString("") + "/" + name(object);
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asString();
    }
}
