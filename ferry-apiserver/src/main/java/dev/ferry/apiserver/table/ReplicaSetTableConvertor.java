package dev.ferry.apiserver.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ReplicaSets, ported from upstream's {@code printReplicaSet}: DESIRED (spec.replicas, default 1), CURRENT and
 * READY are integers; SELECTOR is "&lt;none&gt;" when empty.
 */
final class ReplicaSetTableConvertor implements TableConvertor {
    private static final List<ColumnDefinition> COLUMNS = List.of(
            ColumnDefinition.nameColumn(),
            ColumnDefinition.of("Desired", "integer", Docs.RS_SPEC_REPLICAS),
            ColumnDefinition.of("Current", "integer", Docs.RS_STATUS_REPLICAS),
            ColumnDefinition.of("Ready", "integer", Docs.RS_READY_REPLICAS),
            ColumnDefinition.ageColumn(),
            ColumnDefinition.templateContainersColumn(),
            ColumnDefinition.templateImagesColumn(),
            ColumnDefinition.wide("Selector", "string", Docs.RS_SELECTOR));

    @Override
    public List<ColumnDefinition> columns() {
        return COLUMNS;
    }

    @Override
    public Row row(ObjectNode rs, Instant now) {
        JsonNode spec = Fields.at(rs, "spec");
        JsonNode status = Fields.at(rs, "status");
        String[] containers = Formats.containerCells(Fields.at(spec, "template", "spec"));
        return Row.of(Formats.name(rs),
                Fields.num(spec, 1, "replicas"),
                Fields.num(status, "replicas"),
                Fields.num(status, "readyReplicas"),
                Formats.age(rs, now),
                containers[0], containers[1],
                Formats.labelSelector(Fields.at(spec, "selector")));
    }
}
