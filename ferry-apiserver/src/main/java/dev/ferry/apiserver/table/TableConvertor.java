package dev.ferry.apiserver.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders one kind of object as Table rows, as upstream's printers do with {@code Wide: true}: every row carries a
 * cell for every column, including the priority-1 ones. Pure; {@code now} is the reference time for ages.
 */
public interface TableConvertor {

    List<ColumnDefinition> columns();

    /** One row for {@code object}; the object is read only. Its cell count equals {@code columns().size()}. */
    Row row(ObjectNode object, Instant now);

    /**
     * The cells of one row (each a String, Long or Boolean) and its optional {@code conditions}
     * (upstream marks succeeded/failed pods {@code Completed}).
     */
    record Row(List<Object> cells, List<RowCondition> conditions) {
        public Row {
            cells = List.copyOf(cells);
            conditions = List.copyOf(conditions);
        }

        static Row of(Object... cells) {
            return new Row(List.of(cells), List.of());
        }
    }

    /** A {@code meta.k8s.io/v1 TableRowCondition}. */
    record RowCondition(String type, String status, String reason, String message) {
    }
}
