package dev.ferry.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/** Pods, nodes and endpoints as {@code kubectl get -o json} shows them, for tests that follow them across nodes. */
final class PodViews {
    private PodViews() {
    }

    /** One pod: its node, IP, Ready condition, summed restart counts, phase and whether it is being deleted. */
    record PodView(String name, String node, String ip, boolean ready, int restarts, String phase,
            boolean terminating, List<String> containerIds) {
    }

    /** One node: Ready condition status ("True", "False", "Unknown") and spec.podCIDR. */
    record NodeView(String name, String ready, String podCidr) {
    }

    static List<PodView> pods(Kubectl kubectl, String ns, String selector) throws IOException, InterruptedException {
        JsonNode list = Cluster.JSON.readTree(kubectl.run("get", "pods", "-n", ns, "-l", selector, "-o", "json").ok()
                .out());
        List<PodView> out = new ArrayList<>();
        for (JsonNode p : list.path("items")) {
            int restarts = 0;
            List<String> ids = new ArrayList<>();
            for (JsonNode cs : p.path("status").path("containerStatuses")) {
                restarts += cs.path("restartCount").asInt();
                ids.add(cs.path("containerID").asString(""));
            }
            out.add(new PodView(p.path("metadata").path("name").asString(), p.path("spec").path("nodeName")
                    .asString(""), p.path("status").path("podIP").asString(""), "True".equals(condition(p, "Ready")),
                    restarts, p.path("status").path("phase").asString(""), p.path("metadata").has("deletionTimestamp"),
                    ids));
        }
        return out;
    }

    /** The status of condition {@code type} of an object's status.conditions, or "" when it has none. */
    static String condition(JsonNode object, String type) {
        for (JsonNode c : object.path("status").path("conditions")) {
            if (c.path("type").asString().equals(type)) {
                return c.path("status").asString();
            }
        }
        return "";
    }

    /** Nodes by name. */
    static Map<String, NodeView> nodes(Kubectl kubectl) throws IOException, InterruptedException {
        JsonNode list = Cluster.JSON.readTree(kubectl.run("get", "nodes", "-o", "json").ok().out());
        Map<String, NodeView> out = new TreeMap<>();
        for (JsonNode n : list.path("items")) {
            String name = n.path("metadata").path("name").asString();
            out.put(name, new NodeView(name, condition(n, "Ready"), n.path("spec").path("podCIDR").asString("")));
        }
        return out;
    }

    /** "ip:port" of every endpoint of the Service's EndpointSlices, mapped to its ready condition. */
    static Map<String, Boolean> endpoints(Kubectl kubectl, String ns, String service)
            throws IOException, InterruptedException {
        JsonNode list = Cluster.JSON.readTree(kubectl.run("get", "endpointslices", "-n", ns, "-l",
                "kubernetes.io/service-name=" + service, "-o", "json").ok().out());
        Map<String, Boolean> out = new TreeMap<>();
        for (JsonNode slice : list.path("items")) {
            for (JsonNode port : slice.path("ports")) {
                for (JsonNode e : slice.path("endpoints")) {
                    boolean ready = !e.path("conditions").has("ready") || e.path("conditions").path("ready").asBoolean();
                    out.put(e.path("addresses").get(0).asString() + ":" + port.path("port").asInt(), ready);
                }
            }
        }
        return out;
    }

    /** What serve-hostname answers on {@code ip:port} over TCP (its pod's name). */
    static String hostnameAt(String ip, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 2_000);
            s.setSoTimeout(5_000);
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    /** Kills (SIGKILL, by PID) every process whose environment has one of {@code podIps}: a test's safety net. */
    static void killPodProcesses(Iterable<String> podIps) {
        for (String ip : podIps) {
            try {
                for (long pid : PodProcesses.withPodIp(ip)) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            } catch (IOException e) {
                // /proc unreadable: nothing to kill from here
            }
        }
    }
}
