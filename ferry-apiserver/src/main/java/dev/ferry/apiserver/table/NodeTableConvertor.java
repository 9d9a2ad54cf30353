package dev.ferry.apiserver.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Nodes, ported from upstream's {@code printNode}: STATUS is "Ready"/"NotReady" from the Ready condition
 * ("Unknown" without one) plus ",SchedulingDisabled" when cordoned; ROLES from {@code node-role.kubernetes.io/<role>}
 * and {@code kubernetes.io/role} labels, sorted.
 */
final class NodeTableConvertor implements TableConvertor {
    private static final String ROLE_PREFIX = "node-role.kubernetes.io/";
    private static final String ROLE_LABEL = "kubernetes.io/role";
    private static final List<ColumnDefinition> COLUMNS = List.of(
            ColumnDefinition.nameColumn(),
            ColumnDefinition.of("Status", "string", "The status of the node"),
            ColumnDefinition.of("Roles", "string", "The roles of the node"),
            ColumnDefinition.ageColumn(),
            ColumnDefinition.of("Version", "string", Docs.KUBELET_VERSION),
            ColumnDefinition.wide("Internal-IP", "string", Docs.NODE_ADDRESSES),
            ColumnDefinition.wide("External-IP", "string", Docs.NODE_ADDRESSES),
            ColumnDefinition.wide("OS-Image", "string", Docs.OS_IMAGE),
            ColumnDefinition.wide("Kernel-Version", "string", Docs.KERNEL_VERSION),
            ColumnDefinition.wide("Container-Runtime", "string", Docs.CONTAINER_RUNTIME_VERSION));

    @Override
    public List<ColumnDefinition> columns() {
        return COLUMNS;
    }

    @Override
    public Row row(ObjectNode node, Instant now) {
        List<String> status = new ArrayList<>();
        // The last Ready condition wins, as upstream builds a map keyed by type.
        String ready = null;
        for (JsonNode c : Fields.list(node, "status", "conditions")) {
            if (Fields.str(c, "type").equals("Ready")) {
                ready = Fields.str(c, "status");
            }
        }
        if (ready != null) {
            status.add(ready.equals("True") ? "Ready" : "NotReady");
        } else {
            status.add("Unknown");
        }
        if (Fields.bool(node, "spec", "unschedulable")) {
            status.add("SchedulingDisabled");
        }
        JsonNode info = Fields.at(node, "status", "nodeInfo");
        return Row.of(Formats.name(node), String.join(",", status), Formats.orNone(roles(node)),
                Formats.age(node, now), Fields.str(info, "kubeletVersion"),
                address(node, "InternalIP"), address(node, "ExternalIP"),
                unknownIfEmpty(Fields.str(info, "osImage")),
                unknownIfEmpty(Fields.str(info, "kernelVersion")),
                unknownIfEmpty(Fields.str(info, "containerRuntimeVersion")));
    }

    private static String roles(JsonNode node) {
        TreeSet<String> roles = new TreeSet<>();
        JsonNode labels = Fields.at(node, "metadata", "labels");
        if (labels.isObject()) {
            labels.properties().forEach(e -> {
                String k = e.getKey();
                String v = e.getValue().isString() ? e.getValue().stringValue() : "";
                if (k.startsWith(ROLE_PREFIX)) {
                    String role = k.substring(ROLE_PREFIX.length());
                    if (!role.isEmpty()) {
                        roles.add(role);
                    }
                } else if (k.equals(ROLE_LABEL) && !v.isEmpty()) {
                    roles.add(v);
                }
            });
        }
        return String.join(",", roles);
    }

    private static String address(JsonNode node, String type) {
        for (JsonNode a : Fields.list(node, "status", "addresses")) {
            if (Fields.str(a, "type").equals(type)) {
                return Fields.str(a, "address");
            }
        }
        return Formats.NONE;
    }

    private static String unknownIfEmpty(String s) {
        return s.isEmpty() ? "<unknown>" : s;
    }
}
