package dev.ferry.apiserver.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** Namespaces: Name, Status (the phase; an unset phase defaults to Active as the API does), Age. */
final class NamespaceTableConvertor implements TableConvertor {
    private static final List<ColumnDefinition> COLUMNS = List.of(
            ColumnDefinition.nameColumn(),
            ColumnDefinition.of("Status", "string", "The status of the namespace"),
            ColumnDefinition.ageColumn());

    @Override
    public List<ColumnDefinition> columns() {
        return COLUMNS;
    }

    @Override
    public Row row(ObjectNode ns, Instant now) {
        String phase = Fields.str(ns, "status", "phase");
        return Row.of(Formats.name(ns), phase.isEmpty() ? "Active" : phase, Formats.age(ns, now));
    }
}
