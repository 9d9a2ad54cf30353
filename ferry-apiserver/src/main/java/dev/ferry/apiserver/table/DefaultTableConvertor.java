package dev.ferry.apiserver.table;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The apiserver's default convertor for kinds without a printer: Name and "Created At" (type {@code date}, the
 * creation timestamp as RFC 3339 UTC, Go's zero time when absent).
 */
final class DefaultTableConvertor implements TableConvertor {
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final List<ColumnDefinition> COLUMNS = List.of(
            ColumnDefinition.nameColumn(),
            ColumnDefinition.of("Created At", "date", Docs.CREATION_TIMESTAMP));

    @Override
    public List<ColumnDefinition> columns() {
        return COLUMNS;
    }

    @Override
    public Row row(ObjectNode object, Instant now) {
        String created = Fields.time(object, "metadata", "creationTimestamp")
                .map(t -> RFC3339.format(t.truncatedTo(ChronoUnit.SECONDS)))
                .orElse("0001-01-01T00:00:00Z");
        return Row.of(Formats.name(object), created);
    }
}
