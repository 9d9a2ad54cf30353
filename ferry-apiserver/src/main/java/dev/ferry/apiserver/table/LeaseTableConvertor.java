package dev.ferry.apiserver.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** Leases, as upstream's {@code printLease}: Name, Holder ({@code spec.holderIdentity}, "" when unset), Age. */
final class LeaseTableConvertor implements TableConvertor {
    private static final List<ColumnDefinition> COLUMNS = List.of(
            ColumnDefinition.nameColumn(),
            ColumnDefinition.of("Holder", "string", Docs.LEASE_HOLDER_IDENTITY),
            ColumnDefinition.ageColumn());

    @Override
    public List<ColumnDefinition> columns() {
        return COLUMNS;
    }

    @Override
    public Row row(ObjectNode lease, Instant now) {
        return Row.of(Formats.name(lease), Fields.str(lease, "spec", "holderIdentity"), Formats.age(lease, now));
    }
}
