package dev.ferry.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/** Reading pods and events as {@code kubectl get -o json} prints them. */
final class PodJson {
    private PodJson() {
    }

    /** The status of container {@code name} (init containers included), or a missing node. */
    static JsonNode containerStatus(JsonNode pod, String name) {
        for (String field : List.of("containerStatuses", "initContainerStatuses")) {
            for (JsonNode cs : pod.path("status").path(field)) {
                if (cs.path("name").asString().equals(name)) {
                    return cs;
                }
            }
        }
        return MissingNode.getInstance();
    }

    /** The status of condition {@code type} ("True", "False", "Unknown"), or "" when absent. */
    static String condition(JsonNode pod, String type) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if (c.path("type").asString().equals(type)) {
                return c.path("status").asString();
            }
        }
        return "";
    }

    static String phase(JsonNode pod) {
        return pod.path("status").path("phase").asString();
    }

    static String podIp(JsonNode pod) {
        return pod.path("status").path("podIP").asString();
    }

    static int restarts(JsonNode pod, String container) {
        return containerStatus(pod, container).path("restartCount").asInt();
    }

    /** The STATUS column of {@code kubectl get pod name} (e.g. "Running", "CrashLoopBackOff", "Init:Error"). */
    static String statusColumn(Cluster cluster, String ns, String name) throws IOException, InterruptedException {
        String out = cluster.ok("get", "pod", name, "-n", ns, "--no-headers").out().strip();
        String[] cols = out.split("\\s+");
        return cols.length > 2 ? cols[2] : out;
    }

    /** "reason: message" of every event about pod {@code name} in {@code ns}. */
    static List<String> events(Cluster cluster, String ns, String name) throws IOException, InterruptedException {
        JsonNode list = Cluster.JSON.readTree(cluster.ok("get", "events", "-n", ns, "-o", "json").out());
        List<String> out = new ArrayList<>();
        for (JsonNode e : list.path("items")) {
            if (e.path("involvedObject").path("name").asString().equals(name)) {
                out.add(e.path("reason").asString() + ": " + e.path("message").asString());
            }
        }
        return out;
    }

    /** What serve-hostname answers on {@code ip:port}. */
    static String hostnameAt(String ip, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 2_000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write('\n');
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    /** pid, parent and command line of each process, for failure messages. */
    static String describeProcesses(List<Long> pids) {
        StringBuilder sb = new StringBuilder();
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(h -> sb.append(pid).append(" (parent ")
                    .append(h.parent().map(ProcessHandle::pid).orElse(-1L)).append("): ")
                    .append(h.info().commandLine().orElse("?")).append('\n'));
        }
        return sb.toString();
    }
}
