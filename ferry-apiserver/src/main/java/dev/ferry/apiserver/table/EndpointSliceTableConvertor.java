package dev.ferry.apiserver.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * EndpointSlices, ported from upstream's {@code printEndpointSlice}: PORTS lists port numbers (a name when the
 * number is unset, "*" when both are), ENDPOINTS every address; at most three each then " + N more...",
 * "&lt;unset&gt;" when empty.
 */
final class EndpointSliceTableConvertor implements TableConvertor {
    private static final int MAX = 3;
    private static final List<ColumnDefinition> COLUMNS = List.of(
            ColumnDefinition.nameColumn(),
            ColumnDefinition.of("AddressType", "string", Docs.SLICE_ADDRESS_TYPE),
            ColumnDefinition.of("Ports", "string", Docs.SLICE_PORTS),
            ColumnDefinition.of("Endpoints", "string", Docs.SLICE_ENDPOINTS),
            ColumnDefinition.ageColumn());

    @Override
    public List<ColumnDefinition> columns() {
        return COLUMNS;
    }

    @Override
    public Row row(ObjectNode slice, Instant now) {
        List<String> ports = new ArrayList<>();
        for (JsonNode p : Fields.list(slice, "ports")) {
            if (Fields.present(p, "port")) {
                ports.add(Long.toString(Fields.num(p, "port")));
            } else if (Fields.present(p, "name")) {
                ports.add(Fields.str(p, "name"));
            } else {
                ports.add("*");
            }
        }
        List<String> addresses = new ArrayList<>();
        for (JsonNode e : Fields.list(slice, "endpoints")) {
            addresses.addAll(Fields.strings(e, "addresses"));
        }
        return Row.of(Formats.name(slice), Fields.str(slice, "addressType"), Formats.listWithMore(ports, MAX),
                Formats.listWithMore(addresses, MAX), Formats.age(slice, now));
    }
}
