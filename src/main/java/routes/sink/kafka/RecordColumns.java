package routes.sink.kafka;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import routes.change.ChangeEvent;
import routes.change.Operation;

/**
 * The columns a table's records carry, as the task's column policies leave them: a record carries a row's columns
 * as they come, except a column added on the source that the addColumn policy did not apply (left out) and a column
 * dropped on the source that the dropColumn policy did not apply (kept, as null). Only the writer's thread uses it.
 * The task's state topic keeps it ({@link #toJson}), so records after a restart have the shape they had before it.
 */
final class RecordColumns {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The source columns of the table's rows as last seen. */
    private List<String> sourceColumns;
    private final Set<String> leftOut = new LinkedHashSet<>();
    private final Set<String> keptEmpty = new LinkedHashSet<>();

    RecordColumns(List<String> sourceColumns) {
        this.sourceColumns = List.copyOf(sourceColumns);
    }

    /** Columns the rows have now that they had not before. */
    List<String> addedIn(List<String> rowColumns) {
        return rowColumns.stream().filter(c -> !sourceColumns.contains(c)).toList();
    }

    /** Columns the rows had before that they have no longer, except those the records never carried. */
    List<String> droppedIn(List<String> rowColumns) {
        return sourceColumns.stream().filter(c -> !rowColumns.contains(c) && !leftOut.contains(c)).toList();
    }

    /** The rows have these columns from now on, each added or dropped column as its policy decided. */
    void changed(List<String> rowColumns, Set<String> addsApplied, Set<String> dropsApplied) {
        for (String added : addedIn(rowColumns)) {
            // A column the records kept as null carries its values again, whatever the policy.
            if (!keptEmpty.remove(added) && !addsApplied.contains(added)) {
                leftOut.add(added);
            }
        }
        for (String gone : sourceColumns) {
            if (!rowColumns.contains(gone) && !leftOut.remove(gone) && !dropsApplied.contains(gone)) {
                keptEmpty.add(gone);
            }
        }
        sourceColumns = List.copyOf(rowColumns);
    }

    /** The change as its record carries it. */
    ChangeEvent recorded(ChangeEvent change) {
        if (change.operation() == Operation.DELETE || leftOut.isEmpty() && keptEmpty.isEmpty()) {
            return change;
        }
        Map<String, Object> row = new LinkedHashMap<>(change.row());
        row.keySet().removeAll(leftOut);
        for (String column : keptEmpty) {
            row.putIfAbsent(column, null);
        }
        return change.withRow(row);
    }

    /** As the task's state topic keeps it. */
    String toJson() {
        ObjectNode node = JSON.createObjectNode();
        sourceColumns.forEach(node.putArray("source")::add);
        leftOut.forEach(node.putArray("leftOut")::add);
        keptEmpty.forEach(node.putArray("keptNull")::add);
        return node.toString();
    }

    static RecordColumns fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            RecordColumns columns = new RecordColumns(names(node.path("source")));
            columns.leftOut.addAll(names(node.path("leftOut")));
            columns.keptEmpty.addAll(names(node.path("keptNull")));
            return columns;
        } catch (IOException e) {
            throw new IllegalStateException("Unreadable record columns in the task state: " + json, e);
        }
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new java.util.ArrayList<>();
        array.forEach(name -> names.add(name.asText()));
        return names;
    }
}
