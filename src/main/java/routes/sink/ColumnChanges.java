package routes.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import routes.schema.Column;
import routes.schema.TableSchema;

/**
 * The column-level differences between two definitions of one source table, read from the source itself (never
 * from DDL text). A rename is a column gone and a column new at the same position with the same type while the
 * column count stays: that is what RENAME COLUMN leaves behind, while DROP and ADD move the new column to the end.
 */
final class ColumnChanges {

    sealed interface Change permits Added, Dropped, Renamed, Retyped {
    }

    record Added(Column column) implements Change {
    }

    record Dropped(Column column) implements Change {
    }

    record Renamed(Column from, Column to) implements Change {
    }

    /** The same column with another type or nullability. */
    record Retyped(Column from, Column to) implements Change {
    }

    private ColumnChanges() {
    }

    /** True when the primary key's columns (names or order) differ. */
    static boolean keyChanged(TableSchema before, TableSchema after) {
        return !before.primaryKey().equals(after.primaryKey());
    }

    static List<Change> between(TableSchema before, TableSchema after) {
        List<Change> changes = new ArrayList<>();
        List<Column> old = before.columns();
        List<Column> now = after.columns();
        for (int i = 0; i < old.size(); i++) {
            Column was = old.get(i);
            Optional<Column> same = after.column(was.name());
            if (same.isPresent()) {
                if (!same.get().equals(was)) {
                    changes.add(new Retyped(was, same.get()));
                }
                continue;
            }
            Column there = old.size() == now.size() ? now.get(i) : null;
            if (there != null && before.column(there.name()).isEmpty() && there.sourceType().equals(was.sourceType())) {
                changes.add(new Renamed(was, there));
            } else {
                changes.add(new Dropped(was));
            }
        }
        for (Column column : now) {
            boolean renamedTo = changes.stream().anyMatch(c -> c instanceof Renamed r && r.to().name().equals(column.name()));
            if (before.column(column.name()).isEmpty() && !renamedTo) {
                changes.add(new Added(column));
            }
        }
        return changes;
    }
}
