package dev.ferry.apiserver.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pods, ported from upstream's {@code printPod}: READY counts ready running containers (plus started restartable
 * init containers) over containers (plus restartable init containers); STATUS is the phase, overridden by
 * {@code status.reason}, a SchedulingGated condition, the first failing init container ("Init:1/2",
 * "Init:CrashLoopBackOff"), the last container's waiting/terminated reason ("ContainerCreating", "CrashLoopBackOff",
 * "Completed", "ExitCode:1"), and finally "Terminating" (or "Unknown" for NodeLost) once a deletion timestamp is set.
 */
final class PodTableConvertor implements TableConvertor {
    private static final List<ColumnDefinition> COLUMNS = List.of(
            ColumnDefinition.nameColumn(),
            ColumnDefinition.of("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
            ColumnDefinition.of("Status", "string", "The aggregate status of the containers in this pod."),
            ColumnDefinition.of("Restarts", "string", "The number of times the containers in this pod have been "
                    + "restarted and when the last container in this pod has restarted."),
            ColumnDefinition.ageColumn(),
            ColumnDefinition.wide("IP", "string", Docs.POD_IP),
            ColumnDefinition.wide("Node", "string", Docs.NODE_NAME),
            ColumnDefinition.wide("Nominated Node", "string", Docs.NOMINATED_NODE_NAME),
            ColumnDefinition.wide("Readiness Gates", "string", Docs.READINESS_GATES));

    private static final RowCondition SUCCEEDED =
            new RowCondition("Completed", "True", "Succeeded", "The pod has completed successfully.");
    private static final RowCondition FAILED = new RowCondition("Completed", "True", "Failed", "The pod failed.");

    @Override
    public List<ColumnDefinition> columns() {
        return COLUMNS;
    }

    @Override
    public Row row(ObjectNode pod, Instant now) {
        JsonNode spec = Fields.at(pod, "spec");
        JsonNode status = Fields.at(pod, "status");
        long restarts = 0;
        long restartableInitRestarts = 0;
        int totalContainers = Fields.list(spec, "containers").size();
        int readyContainers = 0;
        Optional<Instant> lastRestart = Optional.empty();
        Optional<Instant> lastRestartableInitRestart = Optional.empty();

        String phase = Fields.str(status, "phase");
        String reason = phase;
        if (!Fields.str(status, "reason").isEmpty()) {
            reason = Fields.str(status, "reason");
        }
        List<JsonNode> conditions = Fields.list(status, "conditions");
        for (JsonNode c : conditions) {
            if (Fields.str(c, "type").equals("PodScheduled") && Fields.str(c, "reason").equals("SchedulingGated")) {
                reason = "SchedulingGated";
            }
        }

        List<RowCondition> rowConditions = switch (phase) {
            case "Succeeded" -> List.of(SUCCEEDED);
            case "Failed" -> List.of(FAILED);
            default -> List.of();
        };

        List<JsonNode> initContainers = Fields.list(spec, "initContainers");
        Set<String> restartableInit = new HashSet<>();
        for (JsonNode c : initContainers) {
            if (Fields.str(c, "restartPolicy").equals("Always")) {
                restartableInit.add(Fields.str(c, "name"));
                totalContainers++;
            }
        }

        boolean initializing = false;
        List<JsonNode> initStatuses = Fields.list(status, "initContainerStatuses");
        for (int i = 0; i < initStatuses.size(); i++) {
            JsonNode c = initStatuses.get(i);
            long count = Fields.num(c, "restartCount");
            restarts += count;
            Optional<Instant> finished = lastTerminationFinishedAt(c);
            lastRestart = later(lastRestart, finished);
            boolean restartable = restartableInit.contains(Fields.str(c, "name"));
            if (restartable) {
                restartableInitRestarts += count;
                lastRestartableInitRestart = later(lastRestartableInitRestart, finished);
            }
            JsonNode terminated = Fields.at(c, "state", "terminated");
            JsonNode waiting = Fields.at(c, "state", "waiting");
            if (isSet(terminated) && Fields.num(terminated, "exitCode") == 0) {
                continue;
            }
            if (restartable && Fields.bool(c, "started")) {
                if (Fields.bool(c, "ready")) {
                    readyContainers++;
                }
                continue;
            }
            if (isSet(terminated)) {
                String r = Fields.str(terminated, "reason");
                if (r.isEmpty()) {
                    long signal = Fields.num(terminated, "signal");
                    reason = signal != 0 ? "Init:Signal:" + signal : "Init:ExitCode:" + Fields.num(terminated, "exitCode");
                } else {
                    reason = "Init:" + r;
                }
            } else if (isSet(waiting) && !Fields.str(waiting, "reason").isEmpty()
                    && !Fields.str(waiting, "reason").equals("PodInitializing")) {
                reason = "Init:" + Fields.str(waiting, "reason");
            } else {
                reason = "Init:" + i + "/" + initContainers.size();
            }
            initializing = true;
            break;
        }

        if (!initializing || conditionTrue(conditions, "Initialized")) {
            restarts = restartableInitRestarts;
            lastRestart = lastRestartableInitRestart;
            boolean hasRunning = false;
            List<JsonNode> statuses = Fields.list(status, "containerStatuses");
            for (int i = statuses.size() - 1; i >= 0; i--) {
                JsonNode c = statuses.get(i);
                restarts += Fields.num(c, "restartCount");
                lastRestart = later(lastRestart, lastTerminationFinishedAt(c));
                JsonNode waiting = Fields.at(c, "state", "waiting");
                JsonNode terminated = Fields.at(c, "state", "terminated");
                if (isSet(waiting) && !Fields.str(waiting, "reason").isEmpty()) {
                    reason = Fields.str(waiting, "reason");
                } else if (isSet(terminated) && !Fields.str(terminated, "reason").isEmpty()) {
                    reason = Fields.str(terminated, "reason");
                } else if (isSet(terminated)) {
                    long signal = Fields.num(terminated, "signal");
                    reason = signal != 0 ? "Signal:" + signal : "ExitCode:" + Fields.num(terminated, "exitCode");
                } else if (Fields.bool(c, "ready") && isSet(Fields.at(c, "state", "running"))) {
                    hasRunning = true;
                    readyContainers++;
                }
            }
            if (reason.equals("Completed") && hasRunning) {
                reason = anyConditionTrue(conditions, "Ready") ? "Running" : "NotReady";
            }
        }

        boolean deleting = Fields.present(pod, "metadata", "deletionTimestamp");
        if (deleting && Fields.str(status, "reason").equals("NodeLost")) {
            reason = "Unknown";
        } else if (deleting && !phase.equals("Succeeded") && !phase.equals("Failed")) {
            reason = "Terminating";
        }

        String restartsCell = Long.toString(restarts);
        if (restarts != 0 && lastRestart.isPresent()) {
            restartsCell = restarts + " (" + Formats.since(lastRestart, now) + " ago)";
        }

        List<Object> cells = new ArrayList<>(COLUMNS.size());
        cells.add(Formats.name(pod));
        cells.add(readyContainers + "/" + totalContainers);
        cells.add(reason);
        cells.add(restartsCell);
        cells.add(Formats.age(pod, now));
        cells.add(Formats.orNone(podIp(status)));
        cells.add(Formats.orNone(Fields.str(spec, "nodeName")));
        cells.add(Formats.orNone(Fields.str(status, "nominatedNodeName")));
        cells.add(readinessGates(spec, conditions));
        return new Row(cells, rowConditions);
    }

    /** The first of {@code status.podIPs}, falling back to {@code status.podIP} as the v1 conversion does. */
    private static String podIp(JsonNode status) {
        List<JsonNode> ips = Fields.list(status, "podIPs");
        if (!ips.isEmpty()) {
            return Fields.str(ips.get(0), "ip");
        }
        return Fields.str(status, "podIP");
    }

    private static String readinessGates(JsonNode spec, List<JsonNode> conditions) {
        List<JsonNode> gates = Fields.list(spec, "readinessGates");
        if (gates.isEmpty()) {
            return Formats.NONE;
        }
        int trueConditions = 0;
        for (JsonNode gate : gates) {
            String type = Fields.str(gate, "conditionType");
            for (JsonNode c : conditions) {
                if (Fields.str(c, "type").equals(type)) {
                    if (Fields.str(c, "status").equals("True")) {
                        trueConditions++;
                    }
                    break;
                }
            }
        }
        return trueConditions + "/" + gates.size();
    }

    /** Upstream stops at the first condition of the type, whatever its status. */
    private static boolean conditionTrue(List<JsonNode> conditions, String type) {
        for (JsonNode c : conditions) {
            if (Fields.str(c, "type").equals(type)) {
                return Fields.str(c, "status").equals("True");
            }
        }
        return false;
    }

    private static boolean anyConditionTrue(List<JsonNode> conditions, String type) {
        return conditions.stream()
                .anyMatch(c -> Fields.str(c, "type").equals(type) && Fields.str(c, "status").equals("True"));
    }

    private static boolean isSet(JsonNode n) {
        return n.isObject();
    }

    private static Optional<Instant> lastTerminationFinishedAt(JsonNode containerStatus) {
        JsonNode terminated = Fields.at(containerStatus, "lastState", "terminated");
        return isSet(terminated) ? Fields.time(terminated, "finishedAt") : Optional.empty();
    }

    private static Optional<Instant> later(Optional<Instant> a, Optional<Instant> b) {
        if (b.isEmpty()) {
            return a;
        }
        if (a.isEmpty() || a.get().isBefore(b.get())) {
            return b;
        }
        return a;
    }
}
