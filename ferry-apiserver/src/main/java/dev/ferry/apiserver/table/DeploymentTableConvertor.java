package dev.ferry.apiserver.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deployments, ported from upstream's {@code printDeployment}: READY is "readyReplicas/spec.replicas" (an unset
 * spec.replicas defaults to 1), UP-TO-DATE and AVAILABLE are integers; SELECTOR is the selector string, "" when
 * empty and "&lt;invalid&gt;" when it does not parse.
 */
final class DeploymentTableConvertor implements TableConvertor {
    private static final List<ColumnDefinition> COLUMNS = List.of(
            ColumnDefinition.nameColumn(),
            ColumnDefinition.of("Ready", "string", "Number of the pod with ready state"),
            ColumnDefinition.of("Up-to-date", "string", Docs.DEPLOYMENT_UPDATED_REPLICAS),
            ColumnDefinition.of("Available", "string", Docs.DEPLOYMENT_AVAILABLE_REPLICAS),
            ColumnDefinition.ageColumn(),
            ColumnDefinition.templateContainersColumn(),
            ColumnDefinition.templateImagesColumn(),
            ColumnDefinition.wide("Selector", "string", Docs.DEPLOYMENT_SELECTOR));

    @Override
    public List<ColumnDefinition> columns() {
        return COLUMNS;
    }

    @Override
    public Row row(ObjectNode deployment, Instant now) {
        JsonNode spec = Fields.at(deployment, "spec");
        JsonNode status = Fields.at(deployment, "status");
        long desired = Fields.num(spec, 1, "replicas");
        String[] containers = Formats.containerCells(Fields.at(spec, "template", "spec"));
        return Row.of(Formats.name(deployment),
                Fields.num(status, "readyReplicas") + "/" + desired,
                Fields.num(status, "updatedReplicas"),
                Fields.num(status, "availableReplicas"),
                Formats.age(deployment, now),
                containers[0], containers[1],
                Formats.selector(Fields.at(spec, "selector")).orElse("<invalid>"));
    }
}
