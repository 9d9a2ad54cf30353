package dev.ferry.apiserver.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Endpoints, ported from upstream's {@code formatEndpoints}: "ip:port" for every ready address and port, at most
 * three shown then " + N more..."; port-less subsets list bare IPs; "&lt;none&gt;" without subsets.
 */
final class EndpointsTableConvertor implements TableConvertor {
    private static final int MAX = 3;
    private static final List<ColumnDefinition> COLUMNS = List.of(
            ColumnDefinition.nameColumn(),
            ColumnDefinition.of("Endpoints", "string", Docs.ENDPOINTS_SUBSETS),
            ColumnDefinition.ageColumn());

    @Override
    public List<ColumnDefinition> columns() {
        return COLUMNS;
    }

    @Override
    public Row row(ObjectNode endpoints, Instant now) {
        return Row.of(Formats.name(endpoints), format(endpoints), Formats.age(endpoints, now));
    }

    static String format(JsonNode endpoints) {
        List<JsonNode> subsets = Fields.list(endpoints, "subsets");
        if (subsets.isEmpty()) {
            return Formats.NONE;
        }
        List<String> list = new ArrayList<>();
        boolean more = false;
        int count = 0;
        for (JsonNode ss : subsets) {
            List<JsonNode> addresses = Fields.list(ss, "addresses");
            List<JsonNode> ports = Fields.list(ss, "ports");
            if (ports.isEmpty()) {
                count += addresses.size();
                for (JsonNode addr : addresses) {
                    if (list.size() == MAX) {
                        more = true;
                        break;
                    }
                    list.add(Fields.str(addr, "ip"));
                }
                continue;
            }
            for (JsonNode port : ports) {
                count += addresses.size();
                for (JsonNode addr : addresses) {
                    if (list.size() == MAX) {
                        more = true;
                        break;
                    }
                    list.add(Formats.hostPort(Fields.str(addr, "ip"), Fields.num(port, "port")));
                }
            }
        }
        String ret = String.join(",", list);
        return more ? ret + " + " + (count - MAX) + " more..." : ret;
    }
}
