package dev.ferry.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Json;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Valid objects of each served kind, and the assertions on {@code Status} replies every test class uses. */
final class Fixtures {
    static final String CONFLICT_DETAIL =
            "the object has been modified; please apply your changes to the latest version and try again";

    private Fixtures() {
    }

    /** One namespaced kind: where it lives and how to build a valid instance. */
    record Kind(String group, String version, String plural, String kind) {
        String collection(String ns) {
            String root = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
            return root + "/namespaces/" + ns + "/" + plural;
        }

        /** The list/watch path across all namespaces. */
        String all() {
            return (group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version) + "/" + plural;
        }

        String item(String ns, String name) {
            return collection(ns) + "/" + name;
        }

        /** "services" or "deployments.apps", as upstream names a resource in messages. */
        String qualified() {
            return group.isEmpty() ? plural : plural + "." + group;
        }

        String apiVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }

        /** A valid object of this kind, to be created in namespace {@code ns}. */
        ObjectNode build(String ns, String name) {
            return switch (kind) {
                case "Service" -> service(name, Map.of("app", name));
                case "Pod" -> pod(name, Map.of("app", name));
                case "Event" -> event(ns, name, "pod-" + name);
                case "Deployment" -> deployment(name, 2);
                case "EndpointSlice" -> endpointSlice(name, "svc-" + name);
                default -> throw new IllegalArgumentException(kind);
            };
        }

        @Override
        public String toString() {
            return qualified();
        }
    }

    static final Kind SERVICES = new Kind("", "v1", "services", "Service");
    static final Kind PODS = new Kind("", "v1", "pods", "Pod");
    static final Kind EVENTS = new Kind("", "v1", "events", "Event");
    static final Kind DEPLOYMENTS = new Kind("apps", "v1", "deployments", "Deployment");
    static final Kind ENDPOINT_SLICES = new Kind("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice");

    static ObjectNode namespace(String name) {
        ObjectNode o = Json.object();
        o.put("apiVersion", "v1");
        o.put("kind", "Namespace");
        o.putObject("metadata").put("name", name);
        return o;
    }

    static ObjectNode service(String name, Map<String, String> labels) {
        ObjectNode o = head("v1", "Service", name, labels);
        ObjectNode spec = o.putObject("spec");
        spec.putObject("selector").put("app", name);
        spec.putArray("ports").addObject().put("name", "http").put("port", 80).put("protocol", "TCP")
                .put("targetPort", 8080);
        return o;
    }

    static ObjectNode pod(String name, Map<String, String> labels) {
        ObjectNode o = head("v1", "Pod", name, labels);
        o.putObject("spec").putArray("containers").addObject().put("name", "main").put("image", "ferry/echo");
        return o;
    }

    static ObjectNode event(String ns, String name, String involvedPod) {
        ObjectNode o = head("v1", "Event", name, Map.of());
        o.putObject("involvedObject").put("kind", "Pod").put("namespace", ns).put("name", involvedPod)
                .put("apiVersion", "v1");
        o.put("reason", "Started");
        o.put("message", "Started container main");
        o.put("type", "Normal");
        o.putObject("source").put("component", "kubelet");
        return o;
    }

    static ObjectNode deployment(String name, int replicas) {
        ObjectNode o = head("apps/v1", "Deployment", name, Map.of("app", name));
        ObjectNode spec = o.putObject("spec");
        spec.put("replicas", replicas);
        spec.putObject("selector").putObject("matchLabels").put("app", name);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name);
        template.putObject("spec").putArray("containers").addObject().put("name", "main").put("image", "ferry/echo");
        return o;
    }

    static ObjectNode endpointSlice(String name, String service) {
        ObjectNode o = head("discovery.k8s.io/v1", "EndpointSlice", name,
                Map.of("kubernetes.io/service-name", service));
        o.put("addressType", "IPv4");
        ArrayNode endpoints = o.putArray("endpoints");
        ObjectNode ep = endpoints.addObject();
        ep.putArray("addresses").add("127.244.0.10");
        ep.putObject("conditions").put("ready", true);
        o.putArray("ports").addObject().put("name", "http").put("port", 8080).put("protocol", "TCP");
        return o;
    }

    private static ObjectNode head(String apiVersion, String kind, String name, Map<String, String> labels) {
        ObjectNode o = Json.object();
        o.put("apiVersion", apiVersion);
        o.put("kind", kind);
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        if (!labels.isEmpty()) {
            ObjectNode l = meta.putObject("labels");
            labels.forEach(l::put);
        }
        return o;
    }

    /**
     * Asserts a {@code metav1.Status} failure reply exactly as upstream renders it: HTTP code, JSON content type,
     * kind/apiVersion/status, reason, code and the whole message.
     */
    static ObjectNode assertStatus(ApiClient.Resp r, int code, String reason, String message) {
        ObjectNode s = assertStatusShape(r, code);
        assertThat(s.path("reason").asString()).as("Status reason in %s", r.body()).isEqualTo(reason);
        if (message != null) {
            assertThat(s.path("message").asString()).as("Status message").isEqualTo(message);
        }
        return s;
    }

    /** A failure reply with a well-formed Status body whose code is the HTTP status. */
    static ObjectNode assertStatusShape(ApiClient.Resp r, int code) {
        assertThat(r.status()).as("HTTP status of %s", r.body()).isEqualTo(code);
        assertThat(r.contentType()).as("Content-Type").startsWith("application/json");
        ObjectNode s = r.json();
        assertThat(s.path("kind").asString()).isEqualTo("Status");
        assertThat(s.path("apiVersion").asString()).isEqualTo("v1");
        assertThat(s.path("status").asString()).isEqualTo("Failure");
        assertThat(s.path("code").asInt()).isEqualTo(code);
        assertThat(s.path("message").asString()).as("Status message").isNotEmpty()
                .doesNotContain("\tat ").doesNotContain("Exception");
        return s;
    }

    /** {@code details} of a NotFound/AlreadyExists/Conflict Status: name, group (when not core) and plural kind. */
    static void assertDetails(ObjectNode status, String name, String group, String plural) {
        ObjectNode expected = Json.object();
        expected.put("name", name);
        if (!group.isEmpty()) {
            expected.put("group", group);
        }
        expected.put("kind", plural);
        assertThat(status.path("details")).as("Status details").isEqualTo(expected);
    }
}
