package dev.ferry.apiserver.table;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Core v1 Events, ported from upstream's {@code printEvent}: LAST SEEN is the age of lastTimestamp (else of
 * firstTimestamp, else of eventTime; {@code series.lastObservedTime} when a series is set), OBJECT is
 * "kind/name" with the kind lower-cased, MESSAGE is trimmed. COUNT is {@code series.count}, else count, else 1.
 */
final class EventTableConvertor implements TableConvertor {
    private static final List<ColumnDefinition> COLUMNS = List.of(
            ColumnDefinition.of("Last Seen", "string", Docs.EVENT_LAST_TIMESTAMP),
            ColumnDefinition.of("Type", "string", Docs.EVENT_TYPE),
            ColumnDefinition.of("Reason", "string", Docs.EVENT_REASON),
            ColumnDefinition.of("Object", "string", Docs.EVENT_INVOLVED_OBJECT),
            ColumnDefinition.wide("Subobject", "string", Docs.FIELD_PATH),
            ColumnDefinition.wide("Source", "string", Docs.EVENT_SOURCE),
            ColumnDefinition.of("Message", "string", Docs.EVENT_MESSAGE),
            ColumnDefinition.wide("First Seen", "string", Docs.EVENT_FIRST_TIMESTAMP),
            ColumnDefinition.wide("Count", "string", Docs.EVENT_COUNT),
            new ColumnDefinition("Name", "string", "name", Docs.NAME, 1));

    @Override
    public List<ColumnDefinition> columns() {
        return COLUMNS;
    }

    @Override
    public Row row(ObjectNode event, Instant now) {
        String firstSeen = Fields.time(event, "firstTimestamp").isPresent()
                ? Formats.since(Fields.time(event, "firstTimestamp"), now)
                : Formats.since(Fields.time(event, "eventTime"), now);
        String lastSeen = Fields.time(event, "lastTimestamp").isPresent()
                ? Formats.since(Fields.time(event, "lastTimestamp"), now)
                : firstSeen;
        long count = Fields.num(event, "count");
        if (Fields.at(event, "series").isObject()) {
            lastSeen = Formats.since(Fields.time(event, "series", "lastObservedTime"), now);
            count = Fields.num(event, "series", "count");
        } else if (count == 0) {
            count = 1;
        }
        JsonNode involved = Fields.at(event, "involvedObject");
        String kind = Fields.str(involved, "kind").toLowerCase(Locale.ROOT);
        String name = Fields.str(involved, "name");
        String target = name.isEmpty() ? kind : kind + "/" + name;
        String source = source(Fields.firstNonEmpty(Fields.str(event, "source", "component"),
                        Fields.str(event, "reportingComponent")),
                Fields.firstNonEmpty(Fields.str(event, "source", "host"), Fields.str(event, "reportingInstance")));
        return Row.of(lastSeen, Fields.str(event, "type"), Fields.str(event, "reason"), target,
                Fields.str(involved, "fieldPath"), source, Fields.str(event, "message").strip(),
                firstSeen, count, Formats.name(event));
    }

    private static String source(String component, String instance) {
        return instance.isEmpty() ? component : component + ", " + instance;
    }
}
