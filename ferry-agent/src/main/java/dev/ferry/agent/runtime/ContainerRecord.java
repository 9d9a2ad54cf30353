package dev.ferry.agent.runtime;

import dev.ferry.api.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@link ProcessRuntime} persists per running container (one JSON file in its state directory), so that a
 * restarted agent can adopt the process: identity (pid plus /proc start time) and the launch.
 */
record ContainerRecord(String id, long pid, long procStartTicks, Instant startedAt, ContainerLaunch launch) {
    String toJson() {
        ObjectNode root = Json.object();
        root.put("id", id);
        root.put("pid", pid);
        root.put("procStartTicks", procStartTicks);
        root.put("startedAt", startedAt.toString());
        ObjectNode l = root.putObject("launch");
        l.put("podUid", launch.podUid());
        l.put("namespace", launch.namespace());
        l.put("podName", launch.podName());
        l.put("containerName", launch.containerName());
        l.put("attempt", launch.attempt());
        l.put("image", launch.image());
        ArrayNode command = l.putArray("command");
        launch.command().forEach(command::add);
        ArrayNode args = l.putArray("args");
        launch.args().forEach(args::add);
        ObjectNode env = l.putObject("env");
        launch.env().forEach(env::put);
        l.put("workingDir", launch.workingDir());
        l.put("podIp", launch.podIp());
        l.put("logFile", launch.logFile().toString());
        if (launch.resolvConf() != null) {
            l.put("resolvConf", launch.resolvConf().toString());
        }
        return Json.MAPPER.writeValueAsString(root);
    }

    /** @throws RuntimeException when {@code json} is not a record */
    static ContainerRecord fromJson(String json) {
        JsonNode root = Json.MAPPER.readTree(json);
        JsonNode l = root.required("launch");
        Map<String, String> env = new LinkedHashMap<>();
        l.required("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asString()));
        ContainerLaunch launch = new ContainerLaunch(text(l, "podUid"), text(l, "namespace"), text(l, "podName"),
                text(l, "containerName"), l.required("attempt").asInt(), text(l, "image"), strings(l.required("command")),
                strings(l.required("args")), env, text(l, "workingDir"), text(l, "podIp"),
                Path.of(text(l, "logFile")), l.hasNonNull("resolvConf") ? Path.of(text(l, "resolvConf")) : null);
        return new ContainerRecord(text(root, "id"), root.required("pid").asLong(),
                root.required("procStartTicks").asLong(), Instant.parse(text(root, "startedAt")), launch);
    }

    private static String text(JsonNode node, String field) {
        return node.required(field).asString();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
